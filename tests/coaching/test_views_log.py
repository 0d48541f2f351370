"""The specialist's coaching log page: days outside the member's time in IPS."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from coaching.models import CoachingEntry
from members.models import Member
from tests.factories import EpisodeFactory, MemberFactory
from tests.pages import errors_next_to_named as errors_next_to

pytestmark = pytest.mark.django_db

# Noon in Iowa on December 1, 2026.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: Any) -> Member:
    """Accepted by the provider on 11/22/2026."""
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(
        member=member,
        provider=provider_a,
        specialist=specialist,
        opened_on=datetime.date(2026, 11, 22),
    )
    return member


def log_through_the_page(specialist: User, member: Member, coached_on: str) -> Any:
    client = Client()
    client.force_login(specialist)
    return client.post(
        reverse("coaching:log", args=[member.public_id]),
        {"coached_on": coached_on, "minutes": "30", "kind": "worksite"},
    )


@pytest.mark.parametrize("coached_on", ["1900-01-01", "2025-05-15", "2026-11-21"])
def test_a_day_before_the_member_joined_ips_is_refused_next_to_the_date(
    specialist: User, member: Member, coached_on: str
) -> None:
    page = log_through_the_page(specialist, member, coached_on)

    assert page.status_code == 200
    assert errors_next_to(page.content.decode(), "coached_on") == (
        "The date cannot be before the member joined IPS (11/22/2026)."
    )
    assert not CoachingEntry.objects.exists()


def test_a_day_in_the_future_is_refused_next_to_the_date(
    specialist: User, member: Member
) -> None:
    page = log_through_the_page(specialist, member, "2099-12-31")

    assert page.status_code == 200
    assert errors_next_to(page.content.decode(), "coached_on") == (
        "The date cannot be in the future."
    )
    assert not CoachingEntry.objects.exists()


def test_a_day_in_the_members_time_in_ips_is_logged(
    specialist: User, member: Member
) -> None:
    page = log_through_the_page(specialist, member, "2026-11-22")

    assert page.status_code == 302
    assert CoachingEntry.objects.get().coached_on == datetime.date(2026, 11, 22)
