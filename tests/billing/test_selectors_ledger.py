"""The monthly cap ledger: exactly at the cap, a cent over, and what is outside it."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from billing.selectors import member_cap_ledger
from jobs.services import job_record
from members.models import Member
from milestones.models import AuthorizationRound
from milestones.rules import Window
from milestones.services import EvidenceUpload, achievement_log
from payers.models import FeeRate, FeeSchedule, Payer
from payers.services_catalog import Service
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
APRIL = Window(D(2026, 4, 1), D(2026, 4, 30))


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def member_paid_by(
    case_manager: User, specialist: User, provider: Any, payer: str
) -> Member:
    member = MemberFactory(
        managing_organization=case_manager.organization,
        payer=Payer.objects.get(short_name=payer),
    )
    if payer == "IVRS":
        member.medicaid_id = None
        member.save()
    EpisodeFactory(member=member, provider=provider, specialist=specialist)
    return member


def negotiate(payer: Payer, **rates: str) -> None:
    schedule = FeeSchedule.objects.create(
        payer=payer, name="Negotiated", effective_on=D(2026, 1, 1)
    )
    for service, rate in rates.items():
        FeeRate.objects.create(
            schedule=schedule, service=Service[service], rate=Decimal(rate)
        )


def both_in_april(
    case_manager: User, specialist: User, member: Member
) -> AuthorizationRound:
    """Milestones 1 and 2 authorized with April windows and achieved in April."""
    authorization = authorize(
        case_manager,
        member,
        windows={
            1: Window(D(2026, 2, 1), D(2026, 4, 30)),
            2: APRIL,
            3: Window(D(2026, 5, 1), D(2026, 5, 31)),
            4: Window(D(2026, 7, 1), D(2026, 7, 31)),
        },
        cap_warning_seen=True,
    )
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n")
    achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=1),
        achieved_on=D(2026, 4, 2),
        evidence=[EvidenceUpload("employment_plan", pdf)],
    )
    job = job_record(
        actor=specialist,
        member=member,
        employer="Prairie Grocers (demo)",
        title="Stocker",
        first_day_on=D(2026, 4, 20),
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("12"),
    )
    achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=2),
        job=job,
        cap_warning_seen=True,
        evidence=[
            EvidenceUpload(
                "service_documentation", SimpleUploadedFile("n.pdf", b"%PDF-1.4\n")
            )
        ],
    )
    return authorization


def april(member: Member) -> Any:
    return next(
        m
        for m in member_cap_ledger(member, D(2026, 11, 30), 8)
        if m.month == D(2026, 4, 1)
    )


def test_milestones_1_and_2_in_one_month_break_the_cap(
    case_manager: User, specialist: User, provider_a: Any
) -> None:
    member = member_paid_by(case_manager, specialist, provider_a, "Wellpoint")
    both_in_april(case_manager, specialist, member)

    month = april(member)

    assert month.total == Decimal("3964.95")
    assert month.is_over_cap


def test_exactly_at_the_cap_is_allowed_and_one_cent_over_is_not(
    case_manager: User, specialist: User, provider_a: Any
) -> None:
    at_cap = member_paid_by(case_manager, specialist, provider_a, "Wellpoint")
    negotiate(at_cap.payer, CAREER_DEVELOPMENT="1297.81", JOB_DEVELOPMENT_1="2394.53")
    both_in_april(case_manager, specialist, at_cap)

    assert april(at_cap).total == Decimal("3692.34")
    assert not april(at_cap).is_over_cap

    cent_over = member_paid_by(case_manager, specialist, provider_a, "Molina")
    negotiate(
        cent_over.payer, CAREER_DEVELOPMENT="1297.82", JOB_DEVELOPMENT_1="2394.53"
    )
    both_in_april(case_manager, specialist, cent_over)

    assert april(cent_over).total == Decimal("3692.35")
    assert april(cent_over).is_over_cap


def test_an_ivrs_funded_milestone_is_outside_the_cap(
    case_manager: User, specialist: User, provider_a: Any
) -> None:
    member = member_paid_by(case_manager, specialist, provider_a, "IVRS")
    both_in_april(case_manager, specialist, member)

    assert april(member).total == Decimal("0.00")
    assert not april(member).is_over_cap


def test_the_ledger_queries_do_not_grow_with_achievements(
    case_manager: User, specialist: User, provider_a: Any
) -> None:
    quiet = member_paid_by(case_manager, specialist, provider_a, "Wellpoint")
    busy = member_paid_by(case_manager, specialist, provider_a, "ITC")
    both_in_april(case_manager, specialist, busy)

    with CaptureQueriesContext(connection) as few:
        member_cap_ledger(quiet, D(2026, 11, 30), 8)
    with CaptureQueriesContext(connection) as many:
        member_cap_ledger(busy, D(2026, 11, 30), 8)

    assert len(many) == len(few)
