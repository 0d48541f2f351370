"""The coaching pages' dates: authorizing a tier, logging coaching.

The case manager's authorization and the specialist's log both refuse days
outside the member's time in IPS, next to the field.
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from coaching.models import CoachingEntry, CoachingPeriod
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


def authorize_through_the_page(
    case_manager: User, member: Member, begins_on: str
) -> Any:
    client = Client()
    client.force_login(case_manager)
    return client.post(
        reverse("coaching:authorize", args=[member.public_id]),
        {
            "tier": "3",
            "begins_on": begins_on,
            "authorization_number": "CO-2026-11",
            "payer": str(member.payer.pk),
            "authorized_on": "2026-11-25",
        },
    )


@pytest.mark.parametrize("begins_on", ["1900-01-01", "2025-05-01", "2026-11-21"])
def test_a_begin_date_before_the_member_joined_ips_is_refused_next_to_it(
    case_manager: User, member: Member, begins_on: str
) -> None:
    page = authorize_through_the_page(case_manager, member, begins_on)

    assert page.status_code == 200
    assert errors_next_to(page.content.decode(), "begins_on") == (
        "A coaching period cannot begin before the member joined IPS (11/22/2026)."
    )
    assert not CoachingPeriod.objects.exists()


def test_a_begin_date_in_2099_is_refused_next_to_it(
    case_manager: User, member: Member
) -> None:
    page = authorize_through_the_page(case_manager, member, "2099-12-31")

    assert page.status_code == 200
    assert errors_next_to(page.content.decode(), "begins_on") == (
        "A period beginning more than a year from today is likely a typing mistake."
    )
    assert not CoachingPeriod.objects.exists()


def test_a_begin_date_in_the_members_time_in_ips_is_authorized(
    case_manager: User, member: Member
) -> None:
    page = authorize_through_the_page(case_manager, member, "2026-11-22")

    assert page.status_code == 302
    assert CoachingPeriod.objects.get().begins_on == datetime.date(2026, 11, 22)


def test_the_reason_field_is_not_shown_until_it_is_needed(
    case_manager: User, member: Member
) -> None:
    client = Client()
    client.force_login(case_manager)

    page = client.get(reverse("coaching:authorize", args=[member.public_id]))

    assert page.status_code == 200
    assert 'name="after_billing_reason"' not in page.content.decode()


# The specialist's coaching log


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
