"""The background monitors (flags.sweeps): open at the threshold, move, close.

Each kind of flag is stepped to the day before its threshold and onto it,
with ``sweep(today=...)`` given explicit dates; the records behind it are
built through the services. The clock is frozen at noon in Iowa on the last
day of 2026, so every date used below is in the past for the services;
tests about "today" itself move the clock, around midnight and the
daylight-saving changes included.
"""

import datetime
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from core.business_days import authorization_due_on
from flags.models import Flag, FlagEvent
from flags.services import flag_dismiss
from flags.sweeps import MONITORS, sweep
from jobends.models import JobEnd
from members.models import Member
from milestones.models import MilestoneAchievement, MilestoneAuthorization
from milestones.rules import Window
from milestones.services import achievement_void, milestone_window_change
from payers.models import Payer
from referrals.services import caseload_reassign
from tests.flags.builders import (
    MEMBER_KINDS,
    authorize_coaching,
    authorize_milestones,
    caseload_of,
    coaching_ending_on,
    complete_job_end_form,
    every_kind_of_condition,
    exit_member,
    line,
    log_achievement,
    log_coaching,
    member_in_ips,
    negotiated_rates,
    noon_in_iowa,
    open_episode,
    provider_of,
    record_job,
    record_job_end,
    record_meeting,
    specialist_at,
    windows_from,
)
from tests.milestones.helpers import IOWA_EXAMPLE, authorize

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC
Kind = Flag.Kind
OPEN, RESOLVED, DISMISSED = (
    Flag.Status.OPEN,
    Flag.Status.RESOLVED,
    Flag.Status.DISMISSED,
)
WARNING, URGENT = Flag.Severity.WARNING, Flag.Severity.URGENT
OPENED, DUE_MOVED = FlagEvent.What.OPENED, FlagEvent.What.DUE_MOVED

# Noon in Iowa on the last day of 2026: every date below has passed.
NOW = noon_in_iowa(D(2026, 12, 31))
TODAY = D(2026, 12, 31)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User) -> Member:
    """A Wellpoint member in IPS with the specialist since January 10, 2026."""
    return member_in_ips(case_manager, specialist)


# Reading flags back


def open_flags(kind: str) -> list[Flag]:
    return list(Flag.objects.filter(kind=kind, status=OPEN))


def the_flag(kind: str, subject_id: int, qualifier: str = "") -> Flag:
    return Flag.objects.get(
        kind=kind, subject_id=subject_id, qualifier=qualifier, status=OPEN
    )


def story(flag: Flag) -> list[tuple[str, datetime.date | None]]:
    return [(event.what, event.due_on) for event in flag.events.order_by("pk")]


def assert_opened(
    flag: Flag,
    *,
    member: Member | None,
    specialist: User,
    due_on: datetime.date,
    severity: str,
) -> None:
    """The flag is open, points at the member's team and has one OPENED event."""
    assert flag.status == OPEN
    assert flag.member == member
    assert flag.specialist == specialist
    assert flag.provider == provider_of(specialist)
    assert flag.due_on == due_on
    assert flag.severity == severity
    assert flag.opened_at == timezone.now()
    assert flag.closed_at is None
    assert story(flag) == [(OPENED, due_on)]


def assert_resolved(flag: Flag) -> None:
    flag.refresh_from_db()
    assert flag.status == RESOLVED
    assert flag.closed_at == timezone.now()
    assert flag.closed_by is None
    last = flag.events.order_by("pk").last()
    assert last is not None
    assert (last.what, last.at) == (FlagEvent.What.RESOLVED, timezone.now())


def snapshot() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every flag and flag event, field by field."""
    return (
        [dict(row) for row in Flag.objects.order_by("pk").values()],
        [dict(row) for row in FlagEvent.objects.order_by("pk").values()],
    )


def thresholds(**changes: int) -> dict[str, int]:
    return {**django_settings.FLAG_THRESHOLDS, **changes}


# Coaching reauthorization due (within 14 days of the period's end)


def test_coaching_reauthorization_due_opens_14_days_before_the_period_ends(
    case_manager: User, specialist: User, member: Member
) -> None:
    period = authorize_coaching(case_manager, member, D(2026, 8, 1))
    assert period.ends_on == D(2026, 10, 29)

    sweep(today=D(2026, 10, 14))
    assert open_flags(Kind.COACHING_REAUTHORIZATION_DUE) == []

    result = sweep(today=D(2026, 10, 15))

    flag = the_flag(Kind.COACHING_REAUTHORIZATION_DUE, period.pk)
    assert_opened(
        flag,
        member=member,
        specialist=specialist,
        due_on=D(2026, 10, 29),
        severity=WARNING,
    )
    assert flag.coaching_period == period
    assert (flag.line, flag.job) == (None, None)
    assert result.opened == {Kind.COACHING_REAUTHORIZATION_DUE: 1}


def test_coaching_reauthorization_due_still_open_on_the_periods_last_day(
    case_manager: User, member: Member
) -> None:
    period = authorize_coaching(case_manager, member, D(2026, 8, 1))

    sweep(today=D(2026, 10, 15))
    sweep(today=D(2026, 10, 29))

    assert the_flag(Kind.COACHING_REAUTHORIZATION_DUE, period.pk).due_on == D(
        2026, 10, 29
    )


def test_coaching_reauthorization_due_resolves_when_the_next_period_is_authorized(
    case_manager: User, member: Member
) -> None:
    period = authorize_coaching(case_manager, member, D(2026, 8, 1))
    sweep(today=D(2026, 10, 15))
    flag = the_flag(Kind.COACHING_REAUTHORIZATION_DUE, period.pk)

    authorize_coaching(
        case_manager,
        member,
        D(2026, 10, 30),
        authorized_on=D(2026, 10, 16),
        number="CO-DEMO-2",
    )
    result = sweep(today=D(2026, 10, 16))

    assert_resolved(flag)
    assert result.closed == {Kind.COACHING_REAUTHORIZATION_DUE: 1}
    assert open_flags(Kind.COACHING_REAUTHORIZATION_DUE) == []


def test_a_tier_change_resolves_the_reauthorization_flag_instead_of_moving_it(
    case_manager: User, member: Member
) -> None:
    # The early period for the new tier ends the current one the day before,
    # and runs its own 90 days: a reauthorization is no longer due.
    period = authorize_coaching(case_manager, member, D(2026, 8, 1))
    sweep(today=D(2026, 10, 15))
    flag = the_flag(Kind.COACHING_REAUTHORIZATION_DUE, period.pk)

    authorize_coaching(
        case_manager,
        member,
        D(2026, 10, 20),
        tier=3,
        authorized_on=D(2026, 10, 16),
        number="CO-DEMO-3",
    )
    sweep(today=D(2026, 10, 16))

    period.refresh_from_db()
    assert period.ends_on == D(2026, 10, 19)
    assert_resolved(flag)
    assert open_flags(Kind.COACHING_REAUTHORIZATION_DUE) == []


def test_a_corrected_period_end_moves_the_open_flags_due_date(
    case_manager: User, member: Member
) -> None:
    period = authorize_coaching(case_manager, member, D(2026, 8, 1))
    sweep(today=D(2026, 10, 15))
    flag = the_flag(Kind.COACHING_REAUTHORIZATION_DUE, period.pk)

    # A correction made in the admin: the same period now ends two days
    # earlier, still within the threshold.
    period.ends_on = D(2026, 10, 27)
    period.save()
    result = sweep(today=D(2026, 10, 16))

    moved = the_flag(Kind.COACHING_REAUTHORIZATION_DUE, period.pk)
    assert moved.pk == flag.pk
    assert moved.due_on == D(2026, 10, 27)
    assert story(moved) == [(OPENED, D(2026, 10, 29)), (DUE_MOVED, D(2026, 10, 27))]
    assert result.moved == {Kind.COACHING_REAUTHORIZATION_DUE: 1}


# Coaching lapsed (the period ended and no next one exists)


def test_coaching_lapsed_opens_the_day_after_the_period_ends(
    case_manager: User, specialist: User, member: Member
) -> None:
    period = authorize_coaching(case_manager, member, D(2026, 8, 1))
    sweep(today=D(2026, 10, 15))
    due = the_flag(Kind.COACHING_REAUTHORIZATION_DUE, period.pk)

    sweep(today=D(2026, 10, 29))
    assert open_flags(Kind.COACHING_LAPSED) == []

    sweep(today=D(2026, 10, 30))

    flag = the_flag(Kind.COACHING_LAPSED, period.pk)
    assert_opened(
        flag,
        member=member,
        specialist=specialist,
        due_on=D(2026, 10, 29),
        severity=URGENT,
    )
    assert flag.coaching_period == period
    # The warning gives way to the lapse.
    assert_resolved(due)


def test_coaching_lapsed_resolves_when_coaching_is_authorized_again(
    case_manager: User, member: Member
) -> None:
    period = authorize_coaching(case_manager, member, D(2026, 8, 1))
    sweep(today=D(2026, 10, 30))
    flag = the_flag(Kind.COACHING_LAPSED, period.pk)

    authorize_coaching(
        case_manager,
        member,
        D(2026, 10, 30),
        authorized_on=D(2026, 11, 2),
        number="CO-DEMO-2",
    )
    sweep(today=D(2026, 11, 2))

    assert_resolved(flag)
    assert open_flags(Kind.COACHING_LAPSED) == []
    assert open_flags(Kind.COACHING_REAUTHORIZATION_DUE) == []


def test_coaching_lapsed_resolves_when_the_member_exits(
    case_manager: User, member: Member
) -> None:
    period = authorize_coaching(case_manager, member, D(2026, 8, 1))
    sweep(today=D(2026, 10, 30))
    flag = the_flag(Kind.COACHING_LAPSED, period.pk)

    exit_member(case_manager, member, D(2026, 11, 2))
    sweep(today=D(2026, 11, 2))

    assert_resolved(flag)


# Milestone window closing (within 7 days of the window's end)


@pytest.fixture
def iowa_example(
    case_manager: User, member: Member
) -> dict[int, MilestoneAuthorization]:
    """The Iowa example's windows: Feb 1–Mar 31, April, May and July 2026."""
    authorization = authorize(case_manager, member, IOWA_EXAMPLE)
    return {number: line(authorization, number) for number in (1, 2, 3, 4)}


def test_milestone_window_closing_opens_7_days_before_the_window_ends(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    plan = iowa_example[1]

    sweep(today=D(2026, 3, 23))
    assert open_flags(Kind.MILESTONE_WINDOW_CLOSING) == []

    sweep(today=D(2026, 3, 24))

    flag = the_flag(Kind.MILESTONE_WINDOW_CLOSING, plan.pk)
    assert_opened(
        flag,
        member=member,
        specialist=specialist,
        due_on=D(2026, 3, 31),
        severity=WARNING,
    )
    assert flag.line == plan
    assert open_flags(Kind.MILESTONE_WINDOW_CLOSING) == [flag]


def test_milestone_window_closing_resolves_when_the_milestone_is_achieved(
    specialist: User, iowa_example: dict[int, MilestoneAuthorization]
) -> None:
    sweep(today=D(2026, 3, 24))
    flag = the_flag(Kind.MILESTONE_WINDOW_CLOSING, iowa_example[1].pk)

    log_achievement(specialist, iowa_example[1], achieved_on=D(2026, 3, 20))
    sweep(today=D(2026, 3, 25))

    assert_resolved(flag)


def test_milestone_window_closing_resolves_when_the_window_is_widened(
    case_manager: User, iowa_example: dict[int, MilestoneAuthorization]
) -> None:
    sweep(today=D(2026, 3, 24))
    flag = the_flag(Kind.MILESTONE_WINDOW_CLOSING, iowa_example[1].pk)

    milestone_window_change(
        actor=case_manager,
        line=iowa_example[1],
        window=Window(D(2026, 2, 1), D(2026, 4, 15)),
        reason="The plan needs two more weeks.",
        cap_warning_seen=True,
    )
    sweep(today=D(2026, 3, 25))

    assert_resolved(flag)


def test_milestone_3_closing_waits_for_a_job_reaching_day_45_inside_the_window(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    # The April 15 job reaches day 45 on May 29, inside the May window.
    record_job(specialist, member, D(2026, 4, 15))

    sweep(today=D(2026, 5, 24))
    assert open_flags(Kind.MILESTONE_WINDOW_CLOSING) == []

    # On day 45 itself the milestone is there to log: the flag opens.
    sweep(today=D(2026, 5, 29))
    flag = the_flag(Kind.MILESTONE_WINDOW_CLOSING, iowa_example[3].pk)
    assert flag.due_on == D(2026, 5, 31)


def test_milestone_3_closing_is_flagged_when_the_job_ended_before_day_45(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    job = record_job(specialist, member, D(2026, 4, 15))
    record_job_end(specialist, job, D(2026, 5, 20))

    sweep(today=D(2026, 5, 24))

    assert the_flag(Kind.MILESTONE_WINDOW_CLOSING, iowa_example[3].pk).is_open


def test_a_narrower_window_moves_the_open_flags_due_date(
    case_manager: User, iowa_example: dict[int, MilestoneAuthorization]
) -> None:
    sweep(today=D(2026, 3, 24))
    flag = the_flag(Kind.MILESTONE_WINDOW_CLOSING, iowa_example[1].pk)

    milestone_window_change(
        actor=case_manager,
        line=iowa_example[1],
        window=Window(D(2026, 2, 1), D(2026, 3, 29)),
        reason="Corrected to the plan's end date.",
    )
    result = sweep(today=D(2026, 3, 25))

    moved = the_flag(Kind.MILESTONE_WINDOW_CLOSING, iowa_example[1].pk)
    assert moved.pk == flag.pk
    assert moved.due_on == D(2026, 3, 29)
    assert story(moved) == [(OPENED, D(2026, 3, 31)), (DUE_MOVED, D(2026, 3, 29))]
    assert result.moved == {Kind.MILESTONE_WINDOW_CLOSING: 1}
    assert result.changes == 1


# Predicted milestone gap (day 45 or day 90 outside its window)


@pytest.mark.parametrize(
    ("first_day_on", "is_gap"),
    [
        # Day 45 is May 31, the last day of the May window.
        (D(2026, 4, 17), False),
        # Day 45 is June 1, the day after it.
        (D(2026, 4, 18), True),
    ],
)
def test_predicted_gap_at_day_45_opens_when_day_45_falls_after_the_window(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
    first_day_on: datetime.date,
    is_gap: bool,
) -> None:
    job = record_job(specialist, member, first_day_on)

    sweep(today=D(2026, 4, 10))

    day_45 = Flag.objects.filter(kind=Kind.PREDICTED_MILESTONE_GAP, qualifier="day_45")
    assert day_45.exists() == is_gap
    assert not Flag.objects.filter(qualifier="day_90").exists()
    if is_gap:
        flag = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_45")
        assert_opened(
            flag,
            member=member,
            specialist=specialist,
            due_on=D(2026, 6, 1),
            severity=URGENT,
        )
        assert (flag.job, flag.line) == (job, iowa_example[3])


@pytest.mark.parametrize(
    ("first_day_on", "is_gap"),
    [
        # Day 90 is July 31, the last day of the July window.
        (D(2026, 5, 3), False),
        # Day 90 is August 1.
        (D(2026, 5, 4), True),
    ],
)
def test_predicted_gap_at_day_90_opens_when_day_90_falls_after_the_window(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
    first_day_on: datetime.date,
    is_gap: bool,
) -> None:
    job = record_job(specialist, member, first_day_on)

    sweep(today=D(2026, 4, 10))

    day_90 = Flag.objects.filter(kind=Kind.PREDICTED_MILESTONE_GAP, qualifier="day_90")
    assert day_90.exists() == is_gap
    # Day 45 falls in June either way, after the May window.
    assert the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_45")
    if is_gap:
        flag = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_90")
        assert_opened(
            flag,
            member=member,
            specialist=specialist,
            due_on=D(2026, 8, 1),
            severity=URGENT,
        )
        assert (flag.job, flag.line) == (job, iowa_example[4])


def test_predicted_gap_opens_on_the_day_the_job_is_recorded_weeks_ahead(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    with time_machine.travel(noon_in_iowa(D(2026, 4, 9)), tick=False):
        sweep()
    assert open_flags(Kind.PREDICTED_MILESTONE_GAP) == []

    with time_machine.travel(noon_in_iowa(D(2026, 4, 10)), tick=False):
        job = record_job(specialist, member, D(2026, 4, 28))
        sweep()

        # Day 45 is June 11, day 90 July 26: seven weeks ahead, and the
        # July window still holds day 90.
        flag = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_45")
        assert_opened(
            flag,
            member=member,
            specialist=specialist,
            due_on=D(2026, 6, 11),
            severity=URGENT,
        )
    assert open_flags(Kind.PREDICTED_MILESTONE_GAP) == [flag]


def test_predicted_gap_resolves_when_the_window_is_fitted_to_the_job(
    case_manager: User,
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    job = record_job(specialist, member, D(2026, 5, 4))
    sweep(today=D(2026, 4, 10))
    day_45 = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_45")
    day_90 = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_90")

    milestone_window_change(
        actor=case_manager,
        line=iowa_example[3],
        window=Window(D(2026, 5, 1), D(2026, 6, 30)),
        reason="Day 45 falls on June 17.",
    )
    sweep(today=D(2026, 4, 11))
    assert_resolved(day_45)
    assert the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_90").pk == day_90.pk

    milestone_window_change(
        actor=case_manager,
        line=iowa_example[4],
        window=Window(D(2026, 7, 1), D(2026, 8, 31)),
        reason="Day 90 falls on August 1.",
    )
    sweep(today=D(2026, 4, 12))
    assert_resolved(day_90)


def test_predicted_gap_resolves_when_the_job_ends_before_day_45(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    job = record_job(specialist, member, D(2026, 4, 28))
    sweep(today=D(2026, 4, 28))
    flag = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_45")

    record_job_end(specialist, job, D(2026, 5, 20))
    sweep(today=D(2026, 5, 21))

    assert_resolved(flag)


def test_a_window_change_that_leaves_the_gap_keeps_the_flag_as_it_was(
    case_manager: User,
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    job = record_job(specialist, member, D(2026, 4, 28))
    sweep(today=D(2026, 4, 28))
    flag = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_45")

    # Still short of June 11.
    milestone_window_change(
        actor=case_manager,
        line=iowa_example[3],
        window=Window(D(2026, 5, 1), D(2026, 6, 10)),
        reason="Widened by ten days.",
    )
    result = sweep(today=D(2026, 4, 29))

    kept = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_45")
    assert kept.pk == flag.pk
    assert kept.due_on == D(2026, 6, 11)
    assert story(kept) == [(OPENED, D(2026, 6, 11))]
    assert result.changes == 0


def test_a_corrected_first_day_moves_the_gap_flags_due_date(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    job = record_job(specialist, member, D(2026, 4, 28))
    sweep(today=D(2026, 4, 28))
    flag = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_45")

    # A correction made in the admin: the job starts two days later, so
    # day 45 is June 13, still after the May window.
    job.first_day_on = D(2026, 4, 30)
    job.save()
    sweep(today=D(2026, 4, 29))

    moved = the_flag(Kind.PREDICTED_MILESTONE_GAP, job.pk, "day_45")
    assert moved.pk == flag.pk
    assert story(moved) == [(OPENED, D(2026, 6, 11)), (DUE_MOVED, D(2026, 6, 13))]


# Achievement outside its window


@pytest.mark.parametrize(
    ("achieved_on", "is_outside"),
    [
        (D(2026, 1, 31), True),
        (D(2026, 2, 1), False),
        (D(2026, 3, 31), False),
        (D(2026, 4, 1), True),
    ],
)
def test_achievement_outside_window_opens_a_day_outside_either_end(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
    achieved_on: datetime.date,
    is_outside: bool,
) -> None:
    plan = iowa_example[1]
    log_achievement(specialist, plan, achieved_on=achieved_on)

    sweep(today=D(2026, 4, 2))

    assert Flag.objects.filter(kind=Kind.ACHIEVEMENT_OUTSIDE_WINDOW).exists() == (
        is_outside
    )
    if is_outside:
        flag = the_flag(Kind.ACHIEVEMENT_OUTSIDE_WINDOW, plan.pk)
        assert_opened(
            flag,
            member=member,
            specialist=specialist,
            due_on=achieved_on,
            severity=URGENT,
        )
        assert flag.line == plan


def test_achievement_outside_window_resolves_when_the_window_is_changed_to_hold_it(
    case_manager: User,
    specialist: User,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    plan = iowa_example[1]
    log_achievement(specialist, plan, achieved_on=D(2026, 4, 1))
    sweep(today=D(2026, 4, 2))
    flag = the_flag(Kind.ACHIEVEMENT_OUTSIDE_WINDOW, plan.pk)

    milestone_window_change(
        actor=case_manager,
        line=plan,
        window=Window(D(2026, 2, 1), D(2026, 4, 1)),
        reason="The plan was signed a day late.",
        cap_warning_seen=True,
    )
    sweep(today=D(2026, 4, 3))

    assert_resolved(flag)


def test_achievement_outside_window_resolves_when_the_entry_is_voided(
    specialist: User, iowa_example: dict[int, MilestoneAuthorization]
) -> None:
    achievement = log_achievement(
        specialist, iowa_example[1], achieved_on=D(2026, 4, 1)
    )
    sweep(today=D(2026, 4, 2))
    flag = the_flag(Kind.ACHIEVEMENT_OUTSIDE_WINDOW, iowa_example[1].pk)

    achievement_void(actor=specialist, achievement=achievement, reason="Wrong date.")
    sweep(today=D(2026, 4, 3))

    assert_resolved(flag)


def test_achievement_outside_window_resolves_when_the_member_exits(
    case_manager: User,
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    log_achievement(specialist, iowa_example[1], achieved_on=D(2026, 4, 1))
    sweep(today=D(2026, 4, 2))
    flag = the_flag(Kind.ACHIEVEMENT_OUTSIDE_WINDOW, iowa_example[1].pk)

    # No window can change after an exit: nothing is left to do.
    exit_member(case_manager, member, D(2026, 4, 3))
    sweep(today=D(2026, 4, 3))

    assert_resolved(flag)


def test_no_gap_is_predicted_for_a_job_under_the_minimum_wage(
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
) -> None:
    # Day 45 of an April 28 job is June 11, outside the May window, but a
    # job paying under $7.25 an hour earns no milestones.
    record_job(
        specialist,
        member,
        D(2026, 4, 28),
        hourly_wage=Decimal("7.00"),
        below_minimum_seen=True,
    )

    sweep(today=D(2026, 4, 28))

    assert open_flags(Kind.PREDICTED_MILESTONE_GAP) == []


# Authorization delay (none after 5 business days: on the 6th)


@pytest.mark.parametrize(
    ("accepted_on", "due_on", "opens_on"),
    [
        # Thanksgiving and the Friday after are days off: Tue 24, Wed 25,
        # Mon 30, Tue Dec 1, Wed Dec 2 are the five business days.
        (D(2026, 11, 23), D(2026, 12, 2), D(2026, 12, 3)),
        # Christmas is a Friday: Tue 22, Wed 23, Thu 24, Mon 28, Tue 29.
        (D(2026, 12, 21), D(2026, 12, 29), D(2026, 12, 30)),
    ],
)
def test_authorization_delay_opens_on_the_sixth_business_day_after_acceptance(
    case_manager: User,
    specialist: User,
    accepted_on: datetime.date,
    due_on: datetime.date,
    opens_on: datetime.date,
) -> None:
    member = member_in_ips(case_manager, specialist, opened_on=accepted_on)
    referral_id = open_episode(member).referral_id
    assert authorization_due_on(accepted_on) == due_on

    sweep(today=opens_on - datetime.timedelta(days=1))
    assert open_flags(Kind.AUTHORIZATION_DELAY) == []

    sweep(today=opens_on)

    flag = the_flag(Kind.AUTHORIZATION_DELAY, referral_id)
    assert_opened(
        flag, member=member, specialist=specialist, due_on=due_on, severity=URGENT
    )
    assert (flag.line, flag.job, flag.coaching_period) == (None, None, None)


def test_authorization_delay_resolves_when_the_milestones_are_authorized(
    case_manager: User, specialist: User
) -> None:
    member = member_in_ips(case_manager, specialist, opened_on=D(2026, 12, 21))
    sweep(today=D(2026, 12, 30))
    flag = the_flag(Kind.AUTHORIZATION_DELAY, open_episode(member).referral_id)

    authorize(
        case_manager,
        member,
        windows_from(
            (D(2027, 1, 1), D(2027, 2, 28)),
            (D(2027, 3, 1), D(2027, 3, 31)),
            (D(2027, 4, 1), D(2027, 4, 30)),
            (D(2027, 6, 1), D(2027, 6, 30)),
        ),
        authorized_on=D(2026, 12, 30),
        plan_dated_on=D(2026, 12, 28),
    )
    sweep(today=D(2026, 12, 31))

    assert_resolved(flag)


# Job-end form missing (not completed after 14 days: on the 15th)


@pytest.fixture
def job_end(specialist: User, member: Member) -> JobEnd:
    """A job from March 2 whose last day worked was June 1, 2026."""
    job = record_job(specialist, member, D(2026, 3, 2))
    return record_job_end(specialist, job, D(2026, 6, 1))


def test_job_end_form_missing_opens_on_the_15th_day_after_the_last_day_worked(
    specialist: User, member: Member, job_end: JobEnd
) -> None:
    sweep(today=D(2026, 6, 15))
    assert open_flags(Kind.JOB_END_FORM_MISSING) == []

    sweep(today=D(2026, 6, 16))

    flag = the_flag(Kind.JOB_END_FORM_MISSING, job_end.job_id)
    assert_opened(
        flag,
        member=member,
        specialist=specialist,
        due_on=D(2026, 6, 15),
        severity=WARNING,
    )
    assert flag.job == job_end.job


def test_job_end_form_missing_resolves_when_the_form_is_completed(
    specialist: User, job_end: JobEnd
) -> None:
    sweep(today=D(2026, 6, 16))
    flag = the_flag(Kind.JOB_END_FORM_MISSING, job_end.job_id)

    complete_job_end_form(specialist, job_end)
    sweep(today=D(2026, 6, 17))

    assert_resolved(flag)


# Job end with no team meeting or exit (after 30 days: on the 31st)


def test_job_end_next_step_missing_opens_on_the_31st_day_after_the_last_day_worked(
    specialist: User, member: Member, job_end: JobEnd
) -> None:
    sweep(today=D(2026, 7, 1))
    assert open_flags(Kind.JOB_END_NEXT_STEP_MISSING) == []

    sweep(today=D(2026, 7, 2))

    flag = the_flag(Kind.JOB_END_NEXT_STEP_MISSING, job_end.job_id)
    assert_opened(
        flag,
        member=member,
        specialist=specialist,
        due_on=D(2026, 7, 1),
        severity=WARNING,
    )
    assert flag.job == job_end.job


def test_job_end_next_step_missing_resolves_when_the_team_meets(
    specialist: User, job_end: JobEnd
) -> None:
    sweep(today=D(2026, 7, 2))
    flag = the_flag(Kind.JOB_END_NEXT_STEP_MISSING, job_end.job_id)

    record_meeting(specialist, job_end, D(2026, 7, 2))
    sweep(today=D(2026, 7, 3))

    assert_resolved(flag)


def test_job_end_flags_resolve_when_the_member_exits(
    case_manager: User, member: Member, job_end: JobEnd
) -> None:
    sweep(today=D(2026, 7, 2))
    form = the_flag(Kind.JOB_END_FORM_MISSING, job_end.job_id)
    next_step = the_flag(Kind.JOB_END_NEXT_STEP_MISSING, job_end.job_id)

    exit_member(case_manager, member, D(2026, 7, 2))
    sweep(today=D(2026, 7, 3))

    assert_resolved(form)
    assert_resolved(next_step)


# Month over the cap


@pytest.fixture
def wellpoint() -> Payer:
    return Payer.objects.get(short_name="Wellpoint")


def plan_and_first_day_in_april(
    case_manager: User, specialist: User, member: Member
) -> dict[int, MilestoneAchievement]:
    """Milestone 1 on April 10 and milestone 2 on April 15, both billable."""
    authorization = authorize_milestones(
        case_manager,
        member,
        windows_from(
            (D(2026, 2, 1), D(2026, 4, 30)),
            (D(2026, 4, 1), D(2026, 4, 30)),
            (D(2026, 5, 1), D(2026, 5, 31)),
            (D(2026, 7, 1), D(2026, 7, 31)),
        ),
    )
    plan = log_achievement(
        specialist, line(authorization, 1), achieved_on=D(2026, 4, 10)
    )
    job = record_job(specialist, member, D(2026, 4, 15))
    first_day = log_achievement(specialist, line(authorization, 2), job=job)
    return {1: plan, 2: first_day}


def test_month_over_cap_opens_for_milestones_1_and_2_in_one_month(
    case_manager: User, specialist: User, member: Member
) -> None:
    plan_and_first_day_in_april(case_manager, specialist, member)

    sweep(today=D(2026, 4, 30))

    # $1,570.42 + $2,394.53 = $3,964.95, over $3,692.34.
    flag = the_flag(Kind.MONTH_OVER_CAP, member.pk, "2026-04")
    assert_opened(
        flag,
        member=member,
        specialist=specialist,
        due_on=D(2026, 4, 30),
        severity=URGENT,
    )
    assert (flag.line, flag.job, flag.coaching_period) == (None, None, None)
    assert open_flags(Kind.MONTH_OVER_CAP) == [flag]


@pytest.mark.parametrize(
    ("plan_rate", "is_over"),
    [
        # $1,297.81 + $2,394.53 = $3,692.34: exactly the cap is allowed.
        ("1297.81", False),
        ("1297.82", True),
    ],
)
def test_month_over_cap_opens_a_cent_over_the_cap_and_not_at_it(
    case_manager: User,
    specialist: User,
    member: Member,
    wellpoint: Payer,
    plan_rate: str,
    is_over: bool,
) -> None:
    negotiated_rates(wellpoint, D(2026, 1, 1), CAREER_DEVELOPMENT=plan_rate)
    plan_and_first_day_in_april(case_manager, specialist, member)

    sweep(today=D(2026, 4, 30))

    assert Flag.objects.filter(kind=Kind.MONTH_OVER_CAP).exists() == is_over


@pytest.mark.parametrize(
    ("tier", "tier_5_hours", "hours", "is_over"),
    [
        # $2,394.53 + $436.40 (tier 2) = $2,830.93.
        (2, None, 3, False),
        # $2,394.53 + $1,362.84 (tier 4) = $3,757.37.
        (4, None, 18, True),
        # $2,394.53 + 108 quarter hours at $54.51 an hour ($1,471.77).
        (5, Decimal("30"), 27, True),
    ],
)
def test_month_over_cap_counts_the_months_coaching(
    case_manager: User,
    specialist: User,
    member: Member,
    iowa_example: dict[int, MilestoneAuthorization],
    tier: int,
    tier_5_hours: Decimal | None,
    hours: int,
    is_over: bool,
) -> None:
    job = record_job(specialist, member, D(2026, 4, 15))
    log_achievement(specialist, iowa_example[2], job=job)
    authorize_coaching(
        case_manager, member, D(2026, 4, 1), tier=tier, tier_5_hours=tier_5_hours
    )
    for day in range(hours // 9 + 1):
        minutes = min(9, hours - 9 * day) * 60
        if minutes:
            log_coaching(specialist, member, D(2026, 4, 20 + day), minutes)

    sweep(today=D(2026, 4, 30))

    assert Flag.objects.filter(kind=Kind.MONTH_OVER_CAP).exists() == is_over


def test_month_over_cap_resolves_when_an_achievement_is_voided(
    case_manager: User, specialist: User, member: Member
) -> None:
    april = plan_and_first_day_in_april(case_manager, specialist, member)
    sweep(today=D(2026, 4, 30))
    flag = the_flag(Kind.MONTH_OVER_CAP, member.pk, "2026-04")

    achievement_void(actor=specialist, achievement=april[2], reason="Wrong job.")
    sweep(today=D(2026, 5, 1))

    assert_resolved(flag)


def test_month_over_cap_resolves_when_a_window_change_makes_a_line_not_billable(
    case_manager: User, specialist: User, member: Member
) -> None:
    april = plan_and_first_day_in_april(case_manager, specialist, member)
    sweep(today=D(2026, 4, 30))
    flag = the_flag(Kind.MONTH_OVER_CAP, member.pk, "2026-04")

    milestone_window_change(
        actor=case_manager,
        line=april[1].line,
        window=Window(D(2026, 2, 1), D(2026, 3, 31)),
        reason="The plan window was meant to end in March.",
    )
    sweep(today=D(2026, 5, 1))

    assert_resolved(flag)
    # The plan now lies outside its window, which is its own flag.
    assert the_flag(Kind.ACHIEVEMENT_OUTSIDE_WINDOW, april[1].line_id)


def test_month_over_cap_looks_two_months_back_and_leaves_older_flags_alone(
    case_manager: User, specialist: User, member: Member
) -> None:
    plan_and_first_day_in_april(case_manager, specialist, member)
    sweep(today=D(2026, 6, 30))
    flag = the_flag(Kind.MONTH_OVER_CAP, member.pk, "2026-04")

    result = sweep(today=D(2026, 7, 1))

    # April is out of view: its flag is neither closed nor raised again.
    assert the_flag(Kind.MONTH_OVER_CAP, member.pk, "2026-04").pk == flag.pk
    assert result.changes == 0


def test_month_over_cap_is_not_checked_for_months_already_out_of_view(
    case_manager: User, specialist: User, member: Member
) -> None:
    plan_and_first_day_in_april(case_manager, specialist, member)

    sweep(today=D(2026, 7, 1))

    assert open_flags(Kind.MONTH_OVER_CAP) == []


# Caseload over the limit (more than 20 open episodes)


def test_caseload_over_limit_opens_at_21_open_episodes_and_not_at_20(
    specialist: User,
) -> None:
    caseload_of(specialist, 20)
    sweep(today=D(2026, 12, 1))
    assert open_flags(Kind.CASELOAD_OVER_LIMIT) == []

    caseload_of(specialist, 1)
    sweep(today=D(2026, 12, 1))

    flag = the_flag(Kind.CASELOAD_OVER_LIMIT, specialist.pk)
    assert_opened(
        flag,
        member=None,
        specialist=specialist,
        due_on=D(2026, 12, 1),
        severity=WARNING,
    )


def test_caseload_counts_only_open_episodes(
    case_manager: User, specialist: User
) -> None:
    episodes = caseload_of(specialist, 21)
    exit_member(case_manager, episodes[0].member, D(2026, 12, 1))

    sweep(today=D(2026, 12, 1))

    assert open_flags(Kind.CASELOAD_OVER_LIMIT) == []


def test_caseload_over_limit_keeps_its_first_due_date_on_later_sweeps(
    specialist: User,
) -> None:
    caseload_of(specialist, 21)
    sweep(today=D(2026, 12, 1))

    result = sweep(today=D(2026, 12, 8))

    assert the_flag(Kind.CASELOAD_OVER_LIMIT, specialist.pk).due_on == D(2026, 12, 1)
    assert result.changes == 0


def test_caseload_over_limit_resolves_when_the_supervisor_reassigns_an_episode(
    specialist: User, supervisor: User
) -> None:
    episodes = caseload_of(specialist, 21)
    sweep(today=D(2026, 12, 1))
    flag = the_flag(Kind.CASELOAD_OVER_LIMIT, specialist.pk)

    colleague = specialist_at(specialist)
    moved = caseload_reassign(
        actor=supervisor, episodes=episodes[:1], specialist=colleague
    )
    sweep(today=D(2026, 12, 2))

    assert moved == 1
    assert_resolved(flag)


def test_caseload_over_limit_resolves_when_a_member_exits(
    case_manager: User, specialist: User
) -> None:
    episodes = caseload_of(specialist, 21)
    sweep(today=D(2026, 12, 1))
    flag = the_flag(Kind.CASELOAD_OVER_LIMIT, specialist.pk)

    exit_member(case_manager, episodes[0].member, D(2026, 12, 2))
    sweep(today=D(2026, 12, 2))

    assert_resolved(flag)


# Thresholds come from settings.FLAG_THRESHOLDS


def test_there_is_a_monitor_for_every_kind_of_flag() -> None:
    assert {monitor.kind for monitor in MONITORS} == set(Kind.values)
    assert set(MEMBER_KINDS) | {Kind.CASELOAD_OVER_LIMIT} == set(Kind.values)


def test_a_longer_reauthorization_threshold_opens_the_flag_earlier(
    settings: Any, case_manager: User, member: Member
) -> None:
    settings.FLAG_THRESHOLDS = thresholds(coaching_reauthorization_days=30)
    period = authorize_coaching(case_manager, member, D(2026, 8, 1))

    sweep(today=D(2026, 9, 28))
    assert open_flags(Kind.COACHING_REAUTHORIZATION_DUE) == []

    sweep(today=D(2026, 9, 29))
    assert the_flag(Kind.COACHING_REAUTHORIZATION_DUE, period.pk)


def test_a_shorter_job_end_form_threshold_opens_the_flag_earlier(
    settings: Any, job_end: JobEnd
) -> None:
    settings.FLAG_THRESHOLDS = thresholds(job_end_form_days=7)

    sweep(today=D(2026, 6, 8))
    assert open_flags(Kind.JOB_END_FORM_MISSING) == []

    sweep(today=D(2026, 6, 9))
    assert the_flag(Kind.JOB_END_FORM_MISSING, job_end.job_id).due_on == D(2026, 6, 8)


def test_a_shorter_window_closing_threshold_opens_the_flag_later(
    settings: Any, iowa_example: dict[int, MilestoneAuthorization]
) -> None:
    settings.FLAG_THRESHOLDS = thresholds(milestone_window_closing_days=3)

    sweep(today=D(2026, 3, 27))
    assert open_flags(Kind.MILESTONE_WINDOW_CLOSING) == []

    sweep(today=D(2026, 3, 28))
    assert the_flag(Kind.MILESTONE_WINDOW_CLOSING, iowa_example[1].pk)


def test_a_shorter_authorization_delay_counts_three_business_days(
    settings: Any, case_manager: User, specialist: User
) -> None:
    settings.FLAG_THRESHOLDS = thresholds(authorization_delay_business_days=3)
    member = member_in_ips(case_manager, specialist, opened_on=D(2026, 12, 21))
    assert authorization_due_on(D(2026, 12, 21)) == D(2026, 12, 24)

    # Sunday, then Monday the 28th: the 4th business day after the 21st.
    sweep(today=D(2026, 12, 27))
    assert open_flags(Kind.AUTHORIZATION_DELAY) == []

    sweep(today=D(2026, 12, 28))
    flag = the_flag(Kind.AUTHORIZATION_DELAY, open_episode(member).referral_id)
    assert flag.due_on == D(2026, 12, 24)


def test_a_lower_caseload_limit_flags_a_smaller_caseload(
    settings: Any, specialist: User
) -> None:
    settings.FLAG_THRESHOLDS = thresholds(caseload_limit=5)
    caseload_of(specialist, 5)
    sweep(today=D(2026, 12, 1))
    assert open_flags(Kind.CASELOAD_OVER_LIMIT) == []

    caseload_of(specialist, 1)
    sweep(today=D(2026, 12, 1))
    assert the_flag(Kind.CASELOAD_OVER_LIMIT, specialist.pk)


# Idempotency, and "today" in Iowa


@pytest.fixture
def every_kind(case_manager: User, specialist: User) -> Any:
    return every_kind_of_condition(case_manager, specialist, TODAY)


def test_the_scenario_raises_every_kind_for_its_own_member(every_kind: Any) -> None:
    result = sweep(today=TODAY)

    assert set(result.opened) == set(Kind.values)
    for kind, member in every_kind.members.items():
        kinds = set(
            Flag.objects.filter(member=member, status=OPEN).values_list(
                "kind", flat=True
            )
        )
        assert kinds == {kind}
    assert the_flag(Kind.CASELOAD_OVER_LIMIT, every_kind.busy_specialist.pk)
    assert FlagEvent.objects.filter(what=OPENED).count() == Flag.objects.count()


def test_a_second_sweep_on_the_same_day_changes_nothing(every_kind: Any) -> None:
    first = sweep(today=TODAY)
    before = snapshot()

    second = sweep(today=TODAY)

    assert first.changes > 0
    assert second.changes == 0
    assert (second.opened, second.moved, second.closed) == ({}, {}, {})
    assert snapshot() == before


def test_a_sweep_without_a_date_uses_the_date_in_iowa(every_kind: Any) -> None:
    sweep(today=TODAY)
    before = snapshot()

    assert sweep().changes == 0
    assert snapshot() == before


def test_at_2230_in_iowa_the_sweep_uses_the_iowa_date_not_the_utc_one(
    case_manager: User, member: Member
) -> None:
    # Coaching ending December 16: due from December 2 (14 days before).
    period = coaching_ending_on(case_manager, member, D(2026, 12, 16))

    # 04:30 UTC on December 2 is 22:30 on December 1 in Iowa.
    with time_machine.travel(
        datetime.datetime(2026, 12, 2, 4, 30, tzinfo=UTC), tick=False
    ):
        sweep()
        before = snapshot()
        assert sweep().changes == 0
        assert snapshot() == before
    assert open_flags(Kind.COACHING_REAUTHORIZATION_DUE) == []

    # Midnight in Iowa.
    with time_machine.travel(
        datetime.datetime(2026, 12, 2, 6, 0, tzinfo=UTC), tick=False
    ):
        result = sweep()
        assert result.opened == {Kind.COACHING_REAUTHORIZATION_DUE: 1}
        flag = the_flag(Kind.COACHING_REAUTHORIZATION_DUE, period.pk)
        assert flag.due_on == D(2026, 12, 16)
        assert flag.opened_at == timezone.now()


def utc(
    year: int, month: int, day: int, hour: int, minute: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_sweeps_across_the_end_of_daylight_saving_time_in_november_2026(
    case_manager: User, specialist: User
) -> None:
    # Due from November 1 and from November 2 (14 days before each end).
    first = coaching_ending_on(
        case_manager, member_in_ips(case_manager, specialist), D(2026, 11, 15)
    )
    second = coaching_ending_on(
        case_manager, member_in_ips(case_manager, specialist), D(2026, 11, 16)
    )

    def reauthorizations_due() -> dict[int, datetime.date]:
        return dict(
            Flag.objects.filter(
                kind=Kind.COACHING_REAUTHORIZATION_DUE, status=OPEN
            ).values_list("coaching_period_id", "due_on")
        )

    # 23:59 CDT on October 31.
    with time_machine.travel(utc(2026, 11, 1, 4, 59), tick=False):
        sweep()
    assert reauthorizations_due() == {}

    # Midnight CDT on November 1.
    with time_machine.travel(utc(2026, 11, 1, 5, 0), tick=False):
        assert sweep().opened.get(Kind.COACHING_REAUTHORIZATION_DUE) == 1
    assert reauthorizations_due() == {first.pk: D(2026, 11, 15)}
    before = snapshot()

    # 01:00 and 01:30 CDT, then 01:00 and 01:30 CST again, and 02:30 CST,
    # and 23:30 CST, when the UTC date is already November 2.
    for instant in (
        utc(2026, 11, 1, 6, 0),
        utc(2026, 11, 1, 6, 30),
        utc(2026, 11, 1, 7, 0),
        utc(2026, 11, 1, 7, 30),
        utc(2026, 11, 1, 8, 30),
        utc(2026, 11, 2, 5, 30),
    ):
        with time_machine.travel(instant, tick=False):
            assert sweep().changes == 0, instant
    assert snapshot() == before

    # Midnight CST on November 2 is 06:00 UTC, an hour later than before.
    with time_machine.travel(utc(2026, 11, 2, 6, 0), tick=False):
        assert sweep().changes == 1
    assert reauthorizations_due() == {
        first.pk: D(2026, 11, 15),
        second.pk: D(2026, 11, 16),
    }


def test_sweeps_across_the_start_of_daylight_saving_time_in_march_2027(
    case_manager: User, specialist: User
) -> None:
    # Due from March 14 and from March 15, 2027.
    first = coaching_ending_on(
        case_manager,
        member_in_ips(case_manager, specialist),
        D(2027, 3, 28),
        authorized_on=D(2026, 12, 29),
    )
    second = coaching_ending_on(
        case_manager,
        member_in_ips(case_manager, specialist),
        D(2027, 3, 29),
        authorized_on=D(2026, 12, 30),
    )

    def reauthorizations_due() -> dict[int, datetime.date]:
        return dict(
            Flag.objects.filter(
                kind=Kind.COACHING_REAUTHORIZATION_DUE, status=OPEN
            ).values_list("coaching_period_id", "due_on")
        )

    # 23:59 CST on March 13.
    with time_machine.travel(utc(2027, 3, 14, 5, 59), tick=False):
        sweep()
    assert reauthorizations_due() == {}

    # Midnight CST on March 14.
    with time_machine.travel(utc(2027, 3, 14, 6, 0), tick=False):
        assert sweep().opened.get(Kind.COACHING_REAUTHORIZATION_DUE) == 1
    assert reauthorizations_due() == {first.pk: D(2027, 3, 28)}
    before = snapshot()

    # 01:30 CST, then 03:00 and 03:30 CDT (02:00–03:00 never happens), and
    # 23:30 CDT, when the UTC date is already March 15.
    for instant in (
        utc(2027, 3, 14, 7, 30),
        utc(2027, 3, 14, 8, 0),
        utc(2027, 3, 14, 8, 30),
        utc(2027, 3, 15, 4, 30),
    ):
        with time_machine.travel(instant, tick=False):
            assert sweep().changes == 0, instant
    assert snapshot() == before

    # Midnight CDT on March 15 is 05:00 UTC, an hour earlier than before.
    with time_machine.travel(utc(2027, 3, 15, 5, 0), tick=False):
        assert sweep().changes == 1
    assert reauthorizations_due() == {
        first.pk: D(2027, 3, 28),
        second.pk: D(2027, 3, 29),
    }


def test_each_flag_gets_one_opened_event_when_sweeps_share_an_instant(
    case_manager: User, specialist: User
) -> None:
    # Under a frozen clock two sweeps have the same "now"; the second must
    # not take the first one's flags for its own.
    first = member_in_ips(case_manager, specialist, opened_on=D(2026, 12, 21))
    sweep(today=D(2026, 12, 30))
    second = member_in_ips(case_manager, specialist, opened_on=D(2026, 12, 21))

    result = sweep(today=D(2026, 12, 30))

    assert result.opened == {Kind.AUTHORIZATION_DELAY: 1}
    for member in (first, second):
        flag = the_flag(Kind.AUTHORIZATION_DELAY, open_episode(member).referral_id)
        assert story(flag) == [(OPENED, D(2026, 12, 29))]


def test_a_reassigned_members_flags_follow_them_without_a_due_date_event(
    specialist: User, supervisor: User, member: Member, job_end: JobEnd
) -> None:
    sweep(today=D(2026, 6, 16))
    flag = the_flag(Kind.JOB_END_FORM_MISSING, job_end.job_id)
    colleague = specialist_at(specialist)

    caseload_reassign(
        actor=supervisor, episodes=[open_episode(member)], specialist=colleague
    )
    result = sweep(today=D(2026, 6, 17))

    followed = the_flag(Kind.JOB_END_FORM_MISSING, job_end.job_id)
    assert followed.pk == flag.pk
    assert followed.specialist == colleague
    assert followed.due_on == D(2026, 6, 15)
    # The row changed, so the sweep counts it; the due date did not move.
    assert result.moved[Kind.JOB_END_FORM_MISSING] == 1
    assert story(followed) == [(OPENED, D(2026, 6, 15))]


def test_a_sweep_can_be_kept_to_some_kinds(
    case_manager: User, member: Member, job_end: JobEnd
) -> None:
    result = sweep(today=D(2026, 7, 2), kinds=[Kind.JOB_END_FORM_MISSING])

    assert result.opened == {Kind.JOB_END_FORM_MISSING: 1}
    assert set(Flag.objects.values_list("kind", flat=True)) == {
        Kind.JOB_END_FORM_MISSING
    }


# Dismissal


def test_a_dismissed_flag_is_not_raised_again_while_its_condition_lasts(
    case_manager: User, iowa_example: dict[int, MilestoneAuthorization]
) -> None:
    sweep(today=D(2026, 3, 24))
    flag = the_flag(Kind.MILESTONE_WINDOW_CLOSING, iowa_example[1].pk)

    flag_dismiss(actor=case_manager, flag=flag, note="The plan is signed Monday.")
    results = [sweep(today=D(2026, 3, day)) for day in (24, 25, 31)]

    flag.refresh_from_db()
    assert flag.status == DISMISSED
    assert (flag.closed_by, flag.closed_at) == (case_manager, timezone.now())
    assert flag.cleared_at is None
    assert [result.changes for result in results] == [0, 0, 0]
    assert Flag.objects.filter(kind=Kind.MILESTONE_WINDOW_CLOSING).count() == 1
    dismissed = flag.events.get(what=FlagEvent.What.DISMISSED)
    assert (dismissed.by, dismissed.note) == (
        case_manager,
        "The plan is signed Monday.",
    )


def test_a_flag_opens_anew_once_a_dismissed_condition_clears_and_returns(
    case_manager: User, iowa_example: dict[int, MilestoneAuthorization]
) -> None:
    plan = iowa_example[1]
    sweep(today=D(2026, 3, 24))
    flag = the_flag(Kind.MILESTONE_WINDOW_CLOSING, plan.pk)
    flag_dismiss(actor=case_manager, flag=flag, note="Waiting on the member.")

    milestone_window_change(
        actor=case_manager,
        line=plan,
        window=Window(D(2026, 2, 1), D(2026, 4, 15)),
        reason="Two more weeks.",
        cap_warning_seen=True,
    )
    sweep(today=D(2026, 3, 25))
    flag.refresh_from_db()
    assert (flag.status, flag.cleared_at) == (DISMISSED, timezone.now())
    assert FlagEvent.What.RESOLVED not in {what for what, _ in story(flag)}
    assert open_flags(Kind.MILESTONE_WINDOW_CLOSING) == []

    milestone_window_change(
        actor=case_manager,
        line=plan,
        window=Window(D(2026, 2, 1), D(2026, 3, 31)),
        reason="Back to the end of March.",
    )
    result = sweep(today=D(2026, 3, 26))

    again = the_flag(Kind.MILESTONE_WINDOW_CLOSING, plan.pk)
    assert again.pk != flag.pk
    assert story(again) == [(OPENED, D(2026, 3, 31))]
    assert result.opened == {Kind.MILESTONE_WINDOW_CLOSING: 1}


@pytest.mark.parametrize("note", ["", "   "])
def test_a_dismissal_needs_a_note(
    case_manager: User,
    iowa_example: dict[int, MilestoneAuthorization],
    note: str,
) -> None:
    sweep(today=D(2026, 3, 24))
    flag = the_flag(Kind.MILESTONE_WINDOW_CLOSING, iowa_example[1].pk)

    with pytest.raises(ValidationError) as refusal:
        flag_dismiss(actor=case_manager, flag=flag, note=note)

    assert "note" in refusal.value.message_dict
    flag.refresh_from_db()
    assert flag.status == OPEN
    assert story(flag) == [(OPENED, D(2026, 3, 31))]


def test_a_resolved_flag_cannot_be_dismissed(
    case_manager: User, specialist: User, job_end: JobEnd
) -> None:
    sweep(today=D(2026, 6, 16))
    flag = the_flag(Kind.JOB_END_FORM_MISSING, job_end.job_id)
    complete_job_end_form(specialist, job_end)
    sweep(today=D(2026, 6, 17))

    with pytest.raises(ValidationError):
        flag_dismiss(actor=case_manager, flag=flag, note="Done already.")


# The one-open-flag constraint


def flag_row(**changes: Any) -> Flag:
    fields: dict[str, Any] = {
        "kind": Kind.CASELOAD_OVER_LIMIT,
        "subject_id": 4242,
        "due_on": D(2026, 12, 1),
        "severity": WARNING,
        "opened_at": NOW,
    }
    fields.update(changes)
    return Flag.objects.create(**fields)


def test_a_second_open_flag_for_one_subject_is_refused_by_the_database() -> None:
    flag_row()

    with pytest.raises(IntegrityError), transaction.atomic():
        flag_row()


def test_a_dismissed_flag_not_yet_cleared_holds_its_place(case_manager: User) -> None:
    flag_row(
        status=DISMISSED, closed_at=NOW, closed_by=case_manager, dismissal_note="Seen."
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        flag_row()


def test_a_closed_flag_or_another_qualifier_leaves_room_for_an_open_one(
    case_manager: User,
) -> None:
    flag_row(status=RESOLVED, closed_at=NOW)
    flag_row(
        status=DISMISSED,
        closed_at=NOW,
        closed_by=case_manager,
        dismissal_note="Seen.",
        cleared_at=NOW,
    )
    flag_row()
    flag_row(qualifier="day_90")
    flag_row(kind=Kind.COACHING_LAPSED)

    assert Flag.objects.filter(status=OPEN).count() == 3


# Member sweeps


def test_a_member_sweep_opens_and_closes_only_that_members_flags(
    case_manager: User, specialist: User
) -> None:
    ended = {}
    for name in ("first", "second"):
        member = member_in_ips(case_manager, specialist)
        job = record_job(specialist, member, D(2026, 3, 2))
        ended[name] = record_job_end(specialist, job, D(2026, 6, 1))
    first, second = ended["first"], ended["second"]

    sweep(today=D(2026, 6, 16), member_ids=[first.job.member_id])
    assert [f.subject_id for f in open_flags(Kind.JOB_END_FORM_MISSING)] == [
        first.job_id
    ]
    assert not Flag.objects.filter(member_id=second.job.member_id).exists()

    sweep(today=D(2026, 6, 16))
    untouched = the_flag(Kind.JOB_END_FORM_MISSING, second.job_id)
    complete_job_end_form(specialist, first)
    complete_job_end_form(specialist, second)

    result = sweep(today=D(2026, 6, 17), member_ids=[first.job.member_id])

    assert result.closed == {Kind.JOB_END_FORM_MISSING: 1}
    assert Flag.objects.get(
        kind=Kind.JOB_END_FORM_MISSING, subject_id=first.job_id
    ).status == (RESOLVED)
    assert the_flag(Kind.JOB_END_FORM_MISSING, second.job_id).pk == untouched.pk
    assert story(untouched) == [(OPENED, D(2026, 6, 15))]


def test_a_member_sweep_still_weighs_caseloads_whole(
    case_manager: User, specialist: User
) -> None:
    # A reassignment queues member sweeps; the caseloads it touches are
    # the specialists', not the member's.
    caseload_of(specialist, 20)
    member = member_in_ips(case_manager, specialist)

    sweep(today=D(2026, 12, 1), member_ids=[member.pk])

    assert the_flag(Kind.CASELOAD_OVER_LIMIT, specialist.pk)


# Query counts


def sweep_queries(**arguments: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        sweep(**arguments)
    return len(queries)


def clear_flags() -> None:
    FlagEvent.objects.all().delete()
    Flag.objects.all().delete()


def add_scenarios(case_manager: User, specialist: User, count: int) -> list[int]:
    """Add ``count`` scenarios of every kind, each with its own specialists."""
    scenarios = [
        every_kind_of_condition(
            case_manager, specialist_at(specialist), TODAY, caseload_limit=2
        )
        for _ in range(count)
    ]
    return [member.pk for one in scenarios for member in one.members.values()]


def test_a_sweep_takes_as_many_queries_for_four_times_the_members(
    settings: Any,
    case_manager: User,
    specialist: User,
    django_assert_max_num_queries: Any,
) -> None:
    # Small caseloads keep each kind's new flags within one INSERT on
    # SQLite, which splits a bulk insert into batches of 999 parameters.
    settings.FLAG_THRESHOLDS = thresholds(caseload_limit=2)
    small_ids = add_scenarios(case_manager, specialist, 1)
    small_members = Member.objects.count()
    first_small = sweep_queries(today=TODAY)
    repeat_small = sweep_queries(today=TODAY)
    member_sweep_small = sweep_queries(today=TODAY, member_ids=small_ids)
    clear_flags()

    large_ids = small_ids + add_scenarios(case_manager, specialist, 3)
    assert Member.objects.count() == 4 * small_members
    with django_assert_max_num_queries(first_small) as first_large:
        first = sweep(today=TODAY)
    with django_assert_max_num_queries(repeat_small) as repeat_large:
        repeat = sweep(today=TODAY)

    assert len(first_large) == first_small
    assert len(repeat_large) == repeat_small
    assert sweep_queries(today=TODAY, member_ids=large_ids) == member_sweep_small
    # The large sweep did find four times the conditions.
    assert set(first.opened) == set(Kind.values)
    assert first.opened[Kind.MILESTONE_WINDOW_CLOSING] == 4
    assert first.opened[Kind.MONTH_OVER_CAP] == 4
    assert repeat.changes == 0


# Two sweeps at once (PostgreSQL)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_open_each_flag_once(
    case_manager: User, specialist: User
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The race needs PostgreSQL's concurrent writers (CI runs it).")
    every_kind_of_condition(case_manager, specialist, TODAY)

    start = threading.Barrier(2)
    outcomes: list[str] = []

    def run_a_sweep() -> None:
        try:
            start.wait()
            sweep()
            outcomes.append("swept")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run_a_sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == ["swept", "swept"]
    keys = list(
        Flag.objects.filter(status=OPEN).values_list("kind", "subject_id", "qualifier")
    )
    assert len(keys) == len(set(keys))
    assert {kind for kind, _, _ in keys} == set(Kind.values)
    assert FlagEvent.objects.filter(what=OPENED).count() == len(keys)
    assert sweep().changes == 0
