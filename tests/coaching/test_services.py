"""Coaching periods and the coaching log, through the services."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.models import User
from coaching.models import CoachingEntry, CoachingPeriod
from coaching.selectors import coaching_months_for_member
from coaching.services import coaching_entry_log, coaching_period_authorize
from members.models import Member
from tests.factories import EpisodeFactory, MemberFactory

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


def authorize(actor: User, member: Member, **changes: Any) -> CoachingPeriod:
    arguments: dict[str, Any] = {
        "actor": actor,
        "member": member,
        "payer": member.payer,
        "tier": 2,
        "begins_on": D(2026, 8, 1),
        "authorization_number": "CO-1",
        "authorized_on": D(2026, 7, 25),
    }
    arguments.update(changes)
    return coaching_period_authorize(**arguments)


def log(actor: User, member: Member, **changes: Any) -> CoachingEntry:
    arguments: dict[str, Any] = {
        "actor": actor,
        "member": member,
        "coached_on": D(2026, 9, 3),
        "minutes": 60,
        "kind": CoachingEntry.Kind.WORKSITE,
    }
    arguments.update(changes)
    return coaching_entry_log(**arguments)


def test_a_period_runs_90_days_at_the_rate_in_force(
    case_manager: User, member: Member
) -> None:
    period = authorize(case_manager, member)

    assert (period.begins_on, period.ends_on) == (D(2026, 8, 1), D(2026, 10, 29))
    assert period.rate == Decimal("436.40")
    assert period.history.get().history_user == case_manager


def test_the_next_period_begins_the_day_after(
    case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)

    later = authorize(
        case_manager, member, begins_on=D(2026, 10, 30), authorization_number="CO-2"
    )

    assert later.begins_on == D(2026, 10, 30)


def test_an_early_tier_change_ends_the_current_period_the_day_before(
    case_manager: User, member: Member
) -> None:
    first = authorize(case_manager, member)

    authorize(
        case_manager,
        member,
        tier=3,
        begins_on=D(2026, 9, 15),
        authorization_number="CO-2",
    )

    first.refresh_from_db()
    assert first.ends_on == D(2026, 9, 14)
    assert first.history.first().history_change_reason.startswith(
        "Ended early for tier 3"
    )


def test_a_period_at_the_same_tier_cannot_overlap(
    case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)

    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, begins_on=D(2026, 9, 15))

    assert list(refusal.value.message_dict) == ["begins_on"]
    assert CoachingPeriod.objects.count() == 1


def test_a_period_cannot_begin_before_an_existing_one(
    case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)

    with pytest.raises(ValidationError):
        authorize(case_manager, member, tier=3, begins_on=D(2026, 7, 1))


def test_the_database_refuses_overlapping_periods_on_postgresql(
    case_manager: User, member: Member
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The exclusion constraint exists on PostgreSQL (CI runs it).")
    period = authorize(case_manager, member)

    with pytest.raises(IntegrityError), transaction.atomic():
        CoachingPeriod.objects.create(
            member=member,
            episode=period.episode,
            payer=period.payer,
            tier=3,
            begins_on=D(2026, 9, 1),
            ends_on=D(2026, 11, 29),
            authorization_number="CO-X",
            rate=Decimal("871.58"),
            authorized_on=D(2026, 8, 20),
            authorized_by=case_manager,
        )


def test_tier_5_states_its_hours(case_manager: User, member: Member) -> None:
    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, tier=5)
    assert list(refusal.value.message_dict) == ["tier_5_hours"]

    period = authorize(case_manager, member, tier=5, tier_5_hours=Decimal("30"))
    assert period.rate == Decimal("54.51")


def test_a_tier_that_does_not_exist_is_refused(
    case_manager: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, tier=6)

    assert list(refusal.value.message_dict) == ["tier"]


def test_only_the_case_manager_authorizes_coaching(
    specialist: User, outsider_case_manager: User, member: Member
) -> None:
    for person in (specialist, outsider_case_manager):
        with pytest.raises(PermissionDenied):
            authorize(person, member)


@pytest.mark.parametrize("minutes", [0, -15])
def test_zero_or_negative_minutes_are_refused(
    specialist: User, member: Member, minutes: int
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(specialist, member, minutes=minutes)

    assert list(refusal.value.message_dict) == ["minutes"]
    assert not CoachingEntry.objects.exists()


def test_more_than_24_hours_in_one_day_is_refused(
    specialist: User, member: Member
) -> None:
    log(specialist, member, minutes=1400)

    with pytest.raises(ValidationError, match="a day has 1,440"):
        log(specialist, member, minutes=41)
    assert log(specialist, member, minutes=40).minutes == 40


def test_a_date_in_the_future_is_refused(specialist: User, member: Member) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(specialist, member, coached_on=D(2026, 12, 2))

    assert list(refusal.value.message_dict) == ["coached_on"]


def test_the_outsider_cannot_log_coaching(outsider: User, member: Member) -> None:
    with pytest.raises(PermissionDenied):
        log(outsider, member)


def test_coaching_without_an_authorization_is_kept_and_not_billable(
    specialist: User, member: Member
) -> None:
    log(specialist, member, coached_on=D(2026, 11, 5), minutes=90)

    months = coaching_months_for_member(member, 1, D(2026, 11, 20))

    november, entries = months[0]
    assert [e.minutes for e in entries] == [90]
    assert november.unauthorized_minutes == 90
    assert november.amount == Decimal("0.00")


def test_hours_earning_tier_3_under_tier_2_show_the_difference(
    case_manager: User, specialist: User, member: Member
) -> None:
    authorize(case_manager, member)
    for day in range(1, 11):
        log(specialist, member, coached_on=D(2026, 9, day), minutes=60)

    september, _ = coaching_months_for_member(member, 1, D(2026, 9, 30))[0]

    assert (september.earned_tier, september.authorized_tier) == (3, 2)
    assert september.amount == Decimal("436.40")
    assert september.authorization_number == "CO-1"


def test_member_page_queries_do_not_grow_with_coaching_entries(
    client: Any, case_manager: User, specialist: User, member: Member
) -> None:
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    authorize(
        case_manager, member, begins_on=D(2026, 10, 1), authorized_on=D(2026, 9, 25)
    )
    log(specialist, member, coached_on=D(2026, 10, 2))
    client.force_login(case_manager)
    url = reverse("members:detail", args=[member.public_id])
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    for day in range(3, 28):
        log(specialist, member, coached_on=D(2026, 10, day), minutes=45)
        log(specialist, member, coached_on=D(2026, 11, day), minutes=30)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


# Dates outside the member's time in IPS or the fee schedules


@pytest.fixture
def member_since_april_2025(
    case_manager: User, specialist: User, provider_a: Any
) -> Member:
    """A member in IPS since before the first fee schedule (07/01/2025)."""
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(
        member=member,
        provider=provider_a,
        specialist=specialist,
        opened_on=D(2025, 4, 1),
    )
    return member


@pytest.mark.parametrize("begins_on", [D(1900, 1, 1), D(2025, 5, 1), D(2026, 1, 9)])
def test_a_period_cannot_begin_before_the_member_joined_ips(
    case_manager: User, member: Member, begins_on: D
) -> None:
    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, begins_on=begins_on)

    assert refusal.value.message_dict == {
        "begins_on": [
            "A coaching period cannot begin before the member joined IPS (01/10/2026)."
        ]
    }
    assert not CoachingPeriod.objects.exists()


def test_a_period_may_begin_the_day_the_member_joined_ips(
    case_manager: User, member: Member
) -> None:
    period = authorize(
        case_manager, member, begins_on=D(2026, 1, 10), authorized_on=D(2026, 1, 10)
    )

    assert period.begins_on == D(2026, 1, 10)


def test_a_period_cannot_begin_before_the_first_fee_schedule(
    case_manager: User, member_since_april_2025: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member_since_april_2025, begins_on=D(2025, 6, 30))

    assert refusal.value.message_dict == {
        "begins_on": [
            "No fee schedule is in force on 06/30/2025: the first schedule begins "
            "07/01/2025."
        ]
    }
    assert authorize(
        case_manager, member_since_april_2025, begins_on=D(2025, 7, 1)
    ).begins_on == D(2025, 7, 1)


@pytest.mark.parametrize("begins_on", [D(2027, 12, 2), D(2099, 12, 31)])
def test_a_period_beginning_more_than_a_year_away_is_refused(
    case_manager: User, member: Member, begins_on: D
) -> None:
    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, begins_on=begins_on)

    assert list(refusal.value.message_dict) == ["begins_on"]
    assert "more than a year from today" in refusal.value.messages[0]


def test_a_period_beginning_a_year_from_today_is_accepted(
    case_manager: User, member: Member
) -> None:
    assert authorize(case_manager, member, begins_on=D(2027, 12, 1))


def test_coaching_before_the_member_joined_ips_is_refused(
    specialist: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(specialist, member, coached_on=D(2026, 1, 9))

    assert refusal.value.message_dict == {
        "coached_on": ["The date cannot be before the member joined IPS (01/10/2026)."]
    }
    assert log(specialist, member, coached_on=D(2026, 1, 10)).minutes == 60


def test_coaching_before_the_first_fee_schedule_is_refused(
    specialist: User, member_since_april_2025: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(specialist, member_since_april_2025, coached_on=D(2025, 6, 30))

    assert refusal.value.message_dict == {
        "coached_on": [
            "No fee schedule is in force on 06/30/2025: the first schedule begins "
            "07/01/2025."
        ]
    }
    assert log(specialist, member_since_april_2025, coached_on=D(2025, 7, 1))


def test_coaching_between_two_times_in_ips_is_refused_and_late_notes_are_kept(
    specialist: User, member: Member, provider_a: Any
) -> None:
    member.episodes.update(closed_on=D(2026, 6, 30), exit_reason="moved")
    EpisodeFactory(
        member=member,
        provider=provider_a,
        specialist=specialist,
        opened_on=D(2026, 9, 1),
    )

    with pytest.raises(ValidationError) as refusal:
        log(specialist, member, coached_on=D(2026, 8, 31))

    assert refusal.value.messages == [
        "The date cannot be before the member joined IPS (09/01/2026)."
    ]
    assert log(specialist, member, coached_on=D(2026, 6, 30))
