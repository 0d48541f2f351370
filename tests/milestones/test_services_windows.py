"""milestone_window_change and milestone_windows_fit_to_job."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    EvidenceDocument,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from milestones.rules import Window, milestone_windows_propose
from milestones.services import (
    CapWarning,
    EvidenceUpload,
    achievement_log,
    milestone_window_change,
    milestone_windows_fit_to_job,
)
from payers.models import FeeRate, FeeSchedule
from payers.services_catalog import Service
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import IOWA_EXAMPLE, authorize
from tests.uploads import pdf

pytestmark = pytest.mark.django_db
D = datetime.date

# Late in 2026, so every date of the Iowa example is in the past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
FITTED_TO_APRIL_28 = "Fitted to the job starting 04/28/2026"

# Plan start Feb 1, 2026 and a job expected in March: Feb, Mar, Apr and Jun.
MARCH_EXPECTED = milestone_windows_propose(D(2026, 2, 1), D(2026, 3, 1))


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def month(year: int, number: int) -> Window:
    first = D(year, number, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(1)
    return Window(first, last)


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


def job_for(actor: User, member: Member, first_day_on: datetime.date) -> Job:
    return job_record(
        actor=actor,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=first_day_on,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


def windows_of(authorization: AuthorizationRound) -> dict[int, Window]:
    return {line.milestone: line.window for line in authorization.lines.all()}


def line(authorization: AuthorizationRound, number: int) -> MilestoneAuthorization:
    return authorization.lines.get(milestone=number)


# Changing one window


def test_a_window_change_keeps_the_case_manager_and_reason_in_history(
    case_manager: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)

    milestone_window_change(
        actor=case_manager,
        line=line(authorization, 3),
        window=month(2026, 6),
        reason="  The job starts late in April.  ",
    )

    changed = line(authorization, 3)
    assert changed.window == month(2026, 6)
    latest, created = changed.history.all()[:2]
    assert latest.history_user == case_manager
    assert latest.history_change_reason == "The job starts late in April."
    assert (created.window_begins_on, created.window_ends_on) == (
        D(2026, 5, 1),
        D(2026, 5, 31),
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_window_change_needs_a_reason(
    case_manager: User, member: Member, reason: str
) -> None:
    authorization = authorize(case_manager, member)

    with pytest.raises(ValidationError) as refusal:
        milestone_window_change(
            actor=case_manager,
            line=line(authorization, 3),
            window=month(2026, 6),
            reason=reason,
        )

    assert refusal.value.message_dict == {"reason": ["Say why the window changes."]}
    assert windows_of(authorization) == IOWA_EXAMPLE


@pytest.mark.parametrize(
    ("number", "window", "message"),
    [
        (3, month(2026, 3), "Milestone 3's window must not begin or end before "),
        (2, month(2026, 6), "Milestone 3's window must not begin or end before "),
        (4, month(2026, 4), "Milestone 4's window must not begin or end before "),
        (1, Window(D(2026, 2, 1), D(2026, 5, 15)), "Milestone 2's window must not"),
    ],
    ids=["3-before-2", "2-after-3", "4-before-3", "1-past-2"],
)
def test_windows_must_stay_in_milestone_order_within_the_round(
    case_manager: User, member: Member, number: int, window: Window, message: str
) -> None:
    authorization = authorize(case_manager, member)

    with pytest.raises(ValidationError, match=message):
        milestone_window_change(
            actor=case_manager,
            line=line(authorization, number),
            window=window,
            reason="Trying it out.",
            cap_warning_seen=True,
        )

    assert windows_of(authorization) == IOWA_EXAMPLE


def test_a_window_may_share_its_month_with_the_next_milestone_when_the_cap_is_seen(
    case_manager: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)
    change = {
        "actor": case_manager,
        "line": line(authorization, 3),
        "window": month(2026, 4),
        "reason": "The member may reach day 45 early.",
    }

    with pytest.raises(CapWarning) as warning:
        milestone_window_change(**change)

    assert [(risk.month, risk.total) for risk in warning.value.risks] == [
        (D(2026, 4, 1), Decimal("4789.06"))
    ]
    assert line(authorization, 3).window == IOWA_EXAMPLE[3]
    milestone_window_change(**change, cap_warning_seen=True)
    assert line(authorization, 3).window == month(2026, 4)


def test_a_voided_round_refuses_window_changes(
    case_manager: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)
    AuthorizationRound.objects.filter(pk=authorization.pk).update(
        voided_at=NOW, voided_by=case_manager, void_reason="Entered twice."
    )

    with pytest.raises(ValidationError, match="This authorization round is voided"):
        milestone_window_change(
            actor=case_manager,
            line=line(authorization, 3),
            window=month(2026, 6),
            reason="The job starts late in April.",
        )

    assert line(authorization, 3).window == IOWA_EXAMPLE[3]


@pytest.mark.parametrize(
    "person", ["specialist", "supervisor", "reviewer", "administrator", "outsider"]
)
def test_only_case_managers_change_windows(
    request: pytest.FixtureRequest, case_manager: User, member: Member, person: str
) -> None:
    authorization = authorize(case_manager, member)

    with pytest.raises(PermissionDenied):
        milestone_window_change(
            actor=request.getfixturevalue(person),
            line=line(authorization, 3),
            window=month(2026, 6),
            reason="The job starts late in April.",
        )

    assert line(authorization, 3).window == IOWA_EXAMPLE[3]


# Fitting the windows to a job


def test_a_late_april_job_moves_milestone_3_to_june_and_leaves_april_and_july(
    case_manager: User, specialist: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 28))

    changed = milestone_windows_fit_to_job(actor=case_manager, job=job)

    assert [line.milestone for line in changed] == [3]
    assert windows_of(authorization) == {
        1: IOWA_EXAMPLE[1],
        2: month(2026, 4),
        3: month(2026, 6),
        4: month(2026, 7),
    }
    assert line(authorization, 2).history.count() == 1
    assert line(authorization, 4).history.count() == 1


def test_fitting_changes_every_line_in_one_bulk_update_with_history(
    case_manager: User, specialist: User, member: Member
) -> None:
    authorization = authorize(case_manager, member, windows=MARCH_EXPECTED)
    job = job_for(specialist, member, D(2026, 4, 28))

    with CaptureQueriesContext(connection) as queries:
        changed = milestone_windows_fit_to_job(actor=case_manager, job=job)

    assert [line.milestone for line in changed] == [2, 3, 4]
    assert windows_of(authorization) == {
        1: MARCH_EXPECTED[1],
        2: month(2026, 4),
        3: month(2026, 6),
        4: month(2026, 7),
    }
    statements = [query["sql"] for query in queries.captured_queries]
    updates = [
        sql
        for sql in statements
        if sql.startswith('UPDATE "milestones_milestoneauthorization"')
    ]
    history_inserts = [
        sql
        for sql in statements
        if sql.startswith('INSERT INTO "milestones_historicalmilestoneauthorization"')
    ]
    assert len(updates) == 1
    assert len(history_inserts) == 1
    rows = MilestoneAuthorization.history.filter(history_type="~")
    assert sorted(row.milestone for row in rows) == [2, 3, 4]
    assert {row.history_user for row in rows} == {case_manager}
    assert {row.history_change_reason for row in rows} == {FITTED_TO_APRIL_28}
    assert {row.history_date for row in rows} == {NOW}


def test_lines_already_achieved_keep_their_windows(
    case_manager: User, specialist: User, member: Member
) -> None:
    authorization = authorize(case_manager, member, windows=MARCH_EXPECTED)
    job = job_for(specialist, member, D(2026, 4, 28))
    achievement_log(
        actor=specialist,
        line=line(authorization, 2),
        job=job,
        evidence=[EvidenceUpload(EvidenceDocument.Kind.SERVICE_DOCUMENTATION, pdf())],
    )

    changed = milestone_windows_fit_to_job(actor=case_manager, job=job)

    assert [line.milestone for line in changed] == [3, 4]
    assert windows_of(authorization)[2] == month(2026, 3)
    assert line(authorization, 2).history.count() == 1
    # Logged outside its window, milestone 2 stays not billable.
    assert not MilestoneAchievement.objects.get().is_billable


def test_windows_that_already_fit_the_job_are_refused(
    case_manager: User, specialist: User, member: Member
) -> None:
    authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 15))

    with pytest.raises(ValidationError, match="The windows already fit this job"):
        milestone_windows_fit_to_job(actor=case_manager, job=job)

    assert not MilestoneAuthorization.history.filter(history_type="~").exists()


def test_a_job_without_authorized_milestones_has_nothing_to_fit(
    case_manager: User, specialist: User, member: Member
) -> None:
    job = job_for(specialist, member, D(2026, 4, 28))

    with pytest.raises(ValidationError, match="No milestone this job can still reach"):
        milestone_windows_fit_to_job(actor=case_manager, job=job)


def test_fitting_that_breaks_milestone_order_is_refused(
    case_manager: User, specialist: User, member: Member
) -> None:
    # A February job would put milestone 2 before milestone 1 ends.
    authorization = authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 2, 16))

    with pytest.raises(ValidationError, match="Milestone 2's window must not"):
        milestone_windows_fit_to_job(actor=case_manager, job=job)

    assert windows_of(authorization) == IOWA_EXAMPLE


def test_a_cap_warning_stops_the_fit_until_it_is_seen(
    case_manager: User, specialist: User, member: Member
) -> None:
    # A March job puts milestone 2 in March, inside milestone 1's window:
    # $1,570.42 + $2,394.53 could both be paid that month.
    authorization = authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 3, 10))

    with pytest.raises(CapWarning) as warning:
        milestone_windows_fit_to_job(actor=case_manager, job=job)

    [risk] = warning.value.risks
    assert (risk.month, risk.total) == (D(2026, 3, 1), Decimal("3964.95"))
    assert risk.line_labels == (
        "Milestone 1 authorized 01/20/2026",
        "Milestone 2 authorized 01/20/2026",
    )
    assert windows_of(authorization) == IOWA_EXAMPLE

    milestone_windows_fit_to_job(actor=case_manager, job=job, cap_warning_seen=True)

    assert windows_of(authorization) == {
        1: IOWA_EXAMPLE[1],
        2: month(2026, 3),
        3: month(2026, 4),
        4: month(2026, 6),
    }


def _round_with_milestone_1_done_in_july(
    case_manager: User, specialist: User, member: Member
) -> AuthorizationRound:
    """Milestone 4 authorized for August; the plan was finished late, in July."""
    authorization = authorize(
        case_manager,
        member,
        windows={**IOWA_EXAMPLE, 4: month(2026, 8)},
    )
    achievement_log(
        actor=specialist,
        line=line(authorization, 1),
        achieved_on=D(2026, 7, 10),
        evidence=[EvidenceUpload(EvidenceDocument.Kind.EMPLOYMENT_PLAN, pdf())],
    )
    return authorization


def test_a_negotiated_rate_raises_a_cap_warning_the_posted_rate_would_not(
    case_manager: User, specialist: User, member: Member
) -> None:
    schedule = FeeSchedule.objects.create(
        payer=member.payer, name="Negotiated 2026", effective_on=D(2026, 1, 1)
    )
    FeeRate.objects.create(
        schedule=schedule, service=Service.JOB_STABILIZATION, rate=Decimal("2200.00")
    )
    authorization = _round_with_milestone_1_done_in_july(
        case_manager, specialist, member
    )
    job = job_for(specialist, member, D(2026, 4, 28))

    # Fitting moves milestone 4 ($2,200.00 negotiated) into July, where
    # milestone 1 ($1,570.42) was achieved.
    with pytest.raises(CapWarning) as warning:
        milestone_windows_fit_to_job(actor=case_manager, job=job)

    assert [(risk.month, risk.total) for risk in warning.value.risks] == [
        (D(2026, 7, 1), Decimal("3770.42"))
    ]
    assert line(authorization, 4).window == month(2026, 8)

    milestone_windows_fit_to_job(actor=case_manager, job=job, cap_warning_seen=True)

    assert line(authorization, 4).window == month(2026, 7)
    assert line(authorization, 3).window == month(2026, 6)


def test_at_posted_rates_the_same_fit_stays_under_the_cap(
    case_manager: User, specialist: User, member: Member
) -> None:
    authorization = _round_with_milestone_1_done_in_july(
        case_manager, specialist, member
    )
    job = job_for(specialist, member, D(2026, 4, 28))

    milestone_windows_fit_to_job(actor=case_manager, job=job)

    assert line(authorization, 4).window == month(2026, 7)


def test_fitting_uses_the_newest_round_and_leaves_older_lines_alone(
    case_manager: User, specialist: User, member: Member
) -> None:
    first = authorize(case_manager, member)
    first_job = job_for(specialist, member, D(2026, 4, 15))
    achievement_log(
        actor=specialist,
        line=line(first, 2),
        job=first_job,
        evidence=[EvidenceUpload(EvidenceDocument.Kind.SERVICE_DOCUMENTATION, pdf())],
    )
    later = authorize(
        case_manager,
        member,
        windows={2: month(2026, 9), 3: month(2026, 10), 4: month(2026, 12)},
        numbers=(2, 3, 4),
        authorized_on=D(2026, 8, 20),
    )
    # Day 45 of a September 21 job is November 4; day 90 is December 19.
    second_job = job_for(specialist, member, D(2026, 9, 21))

    changed = milestone_windows_fit_to_job(actor=case_manager, job=second_job)

    assert [(line.round_id, line.milestone) for line in changed] == [(later.pk, 3)]
    assert line(later, 3).window == month(2026, 11)
    assert windows_of(first) == IOWA_EXAMPLE


@pytest.mark.parametrize(
    "person", ["specialist", "supervisor", "reviewer", "administrator", "outsider"]
)
def test_only_case_managers_fit_windows(
    request: pytest.FixtureRequest,
    case_manager: User,
    specialist: User,
    member: Member,
    person: str,
) -> None:
    authorization = authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 28))

    with pytest.raises(PermissionDenied):
        milestone_windows_fit_to_job(actor=request.getfixturevalue(person), job=job)

    assert windows_of(authorization) == IOWA_EXAMPLE


def test_fitting_leaves_milestones_an_ended_job_cannot_reach(
    case_manager: User, specialist: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)
    job = job_for(specialist, member, D(2026, 4, 28))
    job.ended_on = D(2026, 5, 17)  # day 20
    job.save()

    # Milestone 2 already fits April; 3 and 4 will never be reached.
    with pytest.raises(ValidationError, match="already fit"):
        milestone_windows_fit_to_job(actor=case_manager, job=job)

    windows = {
        line.milestone: (line.window_begins_on, line.window_ends_on)
        for line in authorization.lines.all()
    }
    assert windows[3] == (D(2026, 5, 1), D(2026, 5, 31))
    assert windows[4] == (D(2026, 7, 1), D(2026, 7, 31))
