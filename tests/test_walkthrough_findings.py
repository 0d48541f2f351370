"""Findings of a fresh-eyes walk-through, each pinned so it stays fixed."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.forms import DateField, MonthField
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from members.services import member_create
from milestones.rules import Window
from milestones.services import (
    EvidenceUpload,
    achievement_log,
    milestone_window_change,
    milestone_windows_fit_to_job,
)
from referrals.services import referral_accept, referral_create
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize
from tests.uploads import pdf

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: Any) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


def job(specialist: User, member: Member, first_day: D, wage: str = "12.00") -> Job:
    return job_record(
        actor=specialist,
        member=member,
        employer="Prairie Grocers (demo)",
        title="Stocker",
        first_day_on=first_day,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal(wage),
        below_minimum_seen=True,
    )


@pytest.mark.parametrize("typed", ["9999-12-31", "1899-12-31", "2100-01-01"])
def test_dates_outside_1900_to_2099_are_refused_by_forms(typed: str) -> None:
    with pytest.raises(ValidationError):
        DateField().clean(typed)
    with pytest.raises(ValidationError):
        MonthField().clean(typed[:7])


def test_a_job_under_minimum_wage_pays_no_milestone(
    case_manager: User, specialist: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)
    low = job(specialist, member, D(2026, 4, 15), wage="7.00")

    with pytest.raises(ValidationError) as refusal:
        achievement_log(
            actor=specialist,
            line=authorization.lines.get(milestone=2),
            job=low,
            evidence=[EvidenceUpload("service_documentation", pdf())],
        )

    assert "not competitive employment" in str(refusal.value)


def test_windows_fit_a_job_that_starts_while_an_achieved_milestone_1_window_is_open(
    case_manager: User, specialist: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)  # milestone 1: Feb 1–Mar 31
    achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=1),
        achieved_on=D(2026, 2, 20),
        evidence=[EvidenceUpload("employment_plan", pdf())],
    )
    early = job(specialist, member, D(2026, 3, 10))

    milestone_windows_fit_to_job(actor=case_manager, job=early, cap_warning_seen=True)

    line = authorization.lines.get(milestone=2)
    assert (line.window_begins_on, line.window_ends_on) == (
        D(2026, 3, 1),
        D(2026, 3, 31),
    )


def test_a_window_of_an_ended_time_in_ips_cannot_change(
    case_manager: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)
    member.episodes.update(closed_on=D(2026, 8, 31))

    with pytest.raises(ValidationError, match="time in IPS that ended"):
        milestone_window_change(
            actor=case_manager,
            line=authorization.lines.get(milestone=4),
            window=Window(D(2026, 8, 1), D(2026, 8, 31)),
            reason="Late fix",
        )


def test_a_new_episode_cannot_begin_before_the_last_one_ended(
    case_manager: User, supervisor: User, specialist: User, member: Member
) -> None:
    member.episodes.update(closed_on=D(2026, 12, 1))
    referral = referral_create(
        actor=case_manager,
        member=member,
        provider=member.episodes.get().provider,
        referred_on=D(2026, 11, 15),
        conversation={"wants_to_work": True},
    )

    with pytest.raises(ValidationError) as refusal:
        referral_accept(
            actor=supervisor,
            referral=referral,
            specialist=specialist,
            accepted_on=D(2026, 11, 16),
        )

    assert list(refusal.value.message_dict) == ["accepted_on"]


def test_a_referral_before_the_member_was_born_is_refused(
    case_manager: User, provider_a: Any
) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)

    with pytest.raises(ValidationError) as refusal:
        referral_create(
            actor=case_manager,
            member=member,
            provider=provider_a,
            referred_on=D(1900, 1, 1),
            conversation={"wants_to_work": True},
        )

    assert list(refusal.value.message_dict) == ["referred_on"]


def test_a_birth_date_in_the_future_is_refused(case_manager: User) -> None:
    with pytest.raises(ValidationError) as refusal:
        member_create(
            actor=case_manager,
            data={
                "first_name": "Ada",
                "last_name": "Futureborn",
                "birth_date": D(2030, 1, 1),
                "county": Member._meta.get_field("county").related_model.objects.get(
                    name="Polk"
                ),
                "payer": Member._meta.get_field("payer").related_model.objects.get(
                    short_name="IVRS"
                ),
                "diagnosis_category": Member.DiagnosisCategory.SMI,
            },
        )

    assert list(refusal.value.message_dict) == ["birth_date"]


@pytest.mark.parametrize("value", ["9" * 40, "²", "٢٦", "-1"])
def test_a_strange_move_all_value_is_a_form_error_not_a_server_error(
    client: Client, supervisor: User, member: Member, value: str
) -> None:
    client.force_login(supervisor)

    response = client.post(reverse("referrals:caseload"), {"all_of": value})

    assert response.status_code == 200
    assert member.episodes.get().specialist != supervisor
