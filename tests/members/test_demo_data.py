"""The demo command: a realistic caseload, safe to run again.

The demo is dated from the day it is built, so it is built here under two
named, frozen days: one early in a month and New Year's Day, a holiday at a
month's turn. Building it takes seconds, so each day's build is shared by the
module's tests: it runs once inside an outer transaction that is rolled
back after the last test, and each test runs inside its own nested one, as
usual.
"""

import datetime
import itertools
from collections import Counter
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from pytest_django import DjangoDbBlocker

from accounts.models import User
from coaching.models import CoachingEntry, CoachingPeriod
from coaching.selectors import coaching_months_for_member
from core.dates import iowa_today
from flags.models import Flag
from flags.sweeps import MONITORS, sweep
from jobs.models import Job
from members.models import Member
from milestones.models import MilestoneAchievement
from referrals.models import Episode, Referral

pytestmark = pytest.mark.django_db

# Noon in Iowa on each day.
EARLY_DECEMBER = datetime.datetime(2026, 12, 3, 18, 0, tzinfo=datetime.UTC)
NEW_YEARS_DAY = datetime.datetime(2027, 1, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(
    scope="module",
    params=[EARLY_DECEMBER, NEW_YEARS_DAY],
    ids=["early-december", "new-years-day"],
)
def demo(
    request: pytest.FixtureRequest,
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[None]:
    with (
        time_machine.travel(request.param, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("demo_data", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }


def test_demo_data_builds_200_members_at_every_provider_and_stage(demo: None) -> None:
    assert Member.objects.count() >= 200
    assert Episode.objects.values("provider").distinct().count() == 8
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"pending", "accepted", "redirected", "withdrawn"} <= statuses
    reached = set(
        MilestoneAchievement.objects.values_list("line__milestone", flat=True)
    )
    assert reached == {1, 2, 3, 4}
    assert Episode.objects.filter(closed_on__isnull=False).exists()
    assert (
        Member.objects.values("medicaid_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1, medicaid_id__isnull=False)
        .count()
        == 0
    )


def test_a_second_build_adds_no_rows_to_any_table(demo: None) -> None:
    before = row_counts()

    call_command("demo_data", stdout=StringIO())

    assert row_counts() == before


def test_the_domain_example_jobs_and_their_windows(demo: None) -> None:
    fifteenth = Job.objects.get(member__medicaid_id="9900415E")
    twenty_eighth = Job.objects.get(member__medicaid_id="9900428E")

    assert fifteenth.day_45_on == datetime.date(2026, 5, 29)
    assert fifteenth.day_90_on == datetime.date(2026, 7, 13)
    assert twenty_eighth.day_45_on == datetime.date(2026, 6, 11)
    windows = {
        line.milestone: (line.window_begins_on, line.window_ends_on)
        for line in twenty_eighth.member.authorization_rounds.get().lines.all()
    }
    assert windows[3] == (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
    achieved = set(
        MilestoneAchievement.objects.filter(job=fifteenth).values_list(
            "line__milestone", flat=True
        )
    )
    assert achieved == {2, 3, 4}


def test_every_kind_of_flag_has_a_few_examples_after_a_sweep(demo: None) -> None:
    sweep()

    counts = Counter(Flag.objects.values_list("kind", flat=True))
    assert set(counts) == {monitor.kind for monitor in MONITORS}
    # A demo inbox to read, not to wade through. (In a month's last week
    # every unachieved window of the month closes at once, and there are
    # many more "window closing" flags.)
    assert max(counts.values()) <= 10


def test_employment_plans_are_completed_inside_milestone_1s_window_but_two(
    demo: None,
) -> None:
    plans = MilestoneAchievement.objects.filter(line__milestone=1)
    late = plans.filter(
        Q(achieved_on__lt=F("line__window_begins_on"))
        | Q(achieved_on__gt=F("line__window_ends_on"))
    )

    assert plans.count() > 100
    assert late.count() == 2


def test_one_specialist_carries_a_caseload_above_the_fidelity_limit(
    demo: None,
) -> None:
    caseloads = sorted(
        User.objects.filter(role=User.Role.IPS_SPECIALIST)
        .annotate(open=Count("caseload", filter=Q(caseload__closed_on__isnull=True)))
        .values_list("open", flat=True)
    )

    assert 21 <= caseloads[-1] <= 23
    assert caseloads[-2] <= 20


def test_members_past_day_90_get_consecutive_coaching_periods_after_it(
    demo: None,
) -> None:
    today = iowa_today()
    coached = Member.objects.filter(coaching_periods__isnull=False).distinct()

    assert coached.count() >= 25
    for member in coached:
        periods = list(member.coaching_periods.order_by("begins_on"))
        assert periods[0].begins_on > member.jobs.get().day_90_on
        for before, after in itertools.pairwise(periods):
            assert after.begins_on == before.ends_on + datetime.timedelta(days=1)
    # Most next periods are authorized before the current one ends.
    assert CoachingPeriod.objects.filter(begins_on__gt=today).count() >= 5
    assert not CoachingPeriod.objects.exclude(
        authorized_by__role=User.Role.CASE_MANAGER
    ).exists()


def test_coaching_months_earn_every_tier_and_tier_5_states_its_hours(
    demo: None,
) -> None:
    today = iowa_today()
    earned = Counter(
        month.earned_tier
        for member in Member.objects.filter(coaching_entries__isnull=False).distinct()
        for month, _ in coaching_months_for_member(member, 12, today)
        if month.contacts
    )

    assert set(earned) == {1, 2, 3, 4, 5}
    assert CoachingEntry.objects.count() > 200
    assert not CoachingEntry.objects.exclude(
        logged_by__role=User.Role.IPS_SPECIALIST
    ).exists()
    tier_5 = CoachingPeriod.objects.filter(tier=5)
    assert tier_5.exists()
    assert not tier_5.filter(tier_5_hours__isnull=True).exists()
