"""A coaching month with no rate in force pays nothing; nothing fails on it.

The posted rates are in force from 07/01/2025. The services refuse
coaching periods and entries before that, but the database may already
hold them (written before those checks, or loaded from elsewhere): tier 3
authorized from 05/01/2025 for a member whose time in IPS began
11/22/2026, with 30 minutes coached on 05/15/2025. Those minutes earn
tier 1, and tier 1 has no rate in May 2025. The billing batch, the member
page, the dashboards' refresh and the selectors must report such a month
as not billable for want of a rate, not stop on it.
"""

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from billing.models import ClaimBatch, ClaimLine
from billing.selectors import cap_totals_for_members, member_cap_ledger
from coaching.models import CoachingEntry, CoachingPeriod
from coaching.selectors import coaching_month_for_members, coaching_months_for_member
from dashboards.models import CoachingMonthSummary
from members.models import Member
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.pages import errors_next_to_named as errors_next_to

pytestmark = pytest.mark.django_db
D = datetime.date

# Noon in Iowa on December 1, 2026.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
# Noon in Iowa on June 10, 2025, before the first fee schedule.
JUNE_2025 = datetime.datetime(2025, 6, 10, 17, 0, tzinfo=datetime.UTC)
MAY_2025 = D(2025, 5, 1)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def coached_before_the_fee_schedule(
    member: Member, case_manager: User, specialist: User, opened_on: D
) -> CoachingPeriod:
    """Tier 3 from 05/01/2025 and 30 minutes on 05/15/2025, written directly."""
    episode = EpisodeFactory(
        member=member,
        provider=ProviderSite.objects.get(organization=specialist.organization),
        specialist=specialist,
        opened_on=opened_on,
    )
    period = CoachingPeriod.objects.create(
        member=member,
        episode=episode,
        payer=member.payer,
        tier=3,
        begins_on=MAY_2025,
        ends_on=D(2025, 7, 29),
        authorization_number="CO-2025-5",
        rate=Decimal("871.58"),
        authorized_on=max(opened_on, D(2025, 7, 1)),
        authorized_by=case_manager,
    )
    CoachingEntry.objects.create(
        member=member,
        coached_on=D(2025, 5, 15),
        minutes=30,
        kind=CoachingEntry.Kind.WORKSITE,
        logged_by=specialist,
    )
    return period


@pytest.fixture
def member(case_manager: User, specialist: User, frozen: None) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    coached_before_the_fee_schedule(member, case_manager, specialist, D(2026, 11, 22))
    return member


def test_the_month_earns_tier_1_which_has_no_rate_so_it_pays_nothing(
    member: Member,
) -> None:
    may, entries = coaching_months_for_member(member, 1, D(2025, 5, 31))[0]

    assert [entry.minutes for entry in entries] == [30]
    assert (may.earned_tier, may.authorized_tier) == (1, 3)
    assert may.has_no_rate
    assert may.billable_tier is None
    assert may.amount == Decimal("0.00")


def test_the_set_wise_reader_and_the_cap_count_nothing_for_the_month(
    member: Member,
) -> None:
    summary, period = coaching_month_for_members([member.pk], MAY_2025)[member.pk]

    assert summary.has_no_rate
    assert summary.amount == Decimal("0.00")
    assert period.authorization_number == "CO-2025-5"
    assert cap_totals_for_members([member.pk], MAY_2025) == {member.pk: Decimal("0.00")}
    assert member_cap_ledger(member, D(2025, 5, 31), 1)[0].coaching == Decimal("0.00")


def test_the_supervisor_makes_the_batch_for_may_2025_and_nothing_is_billed(
    member: Member, supervisor: User
) -> None:
    client = Client()
    client.force_login(supervisor)

    response = client.post(reverse("billing:create-batch"), {"month": "2025-05"})

    assert response.status_code == 302
    assert not ClaimBatch.objects.exists()
    assert not ClaimLine.objects.exists()


def test_refresh_dashboards_writes_the_month_as_not_billable(member: Member) -> None:
    call_command("refresh_dashboards", stdout=io.StringIO())

    may = CoachingMonthSummary.objects.get(member=member, month=MAY_2025)
    assert (may.earned_tier, may.authorized_tier, may.billable_tier) == (1, 3, None)
    assert may.amount == Decimal("0.00")


def test_the_member_page_shows_the_month_without_an_amount(
    case_manager: User, specialist: User
) -> None:
    # A member whose time in IPS began before the first fee schedule, seen
    # in June 2025: the page's three coaching months include May.
    with time_machine.travel(JUNE_2025, tick=False):
        member = MemberFactory(managing_organization=case_manager.organization)
        coached_before_the_fee_schedule(member, case_manager, specialist, D(2025, 4, 1))
        client = Client()
        client.force_login(case_manager)

        page = client.get(reverse("members:detail", args=[member.public_id]))

    assert page.status_code == 200
    assert "May 2025" in page.content.decode()
    assert "No fee schedule was in force for this month" in page.content.decode()


def test_logging_coaching_in_that_month_is_refused_next_to_the_date(
    member: Member, specialist: User
) -> None:
    client = Client()
    client.force_login(specialist)

    page = client.post(
        reverse("coaching:log", args=[member.public_id]),
        {"coached_on": "2025-05-20", "minutes": "45", "kind": "worksite"},
    )

    assert page.status_code == 200
    assert errors_next_to(page.content.decode(), "coached_on") == (
        "The date cannot be before the member joined IPS (11/22/2026)."
    )
    assert CoachingEntry.objects.filter(member=member).count() == 1
