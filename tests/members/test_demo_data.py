"""The demo command: a realistic caseload, safe to run again."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from jobs.models import Job
from members.models import Member
from milestones.models import MilestoneAchievement
from referrals.models import Episode, Referral

pytestmark = pytest.mark.django_db


def test_demo_data_builds_200_members_everywhere_and_adds_nothing_the_second_time() -> (
    None
):
    call_command("demo_data", stdout=StringIO())
    members = Member.objects.count()

    call_command("demo_data", stdout=StringIO())

    assert members >= 200
    assert Member.objects.count() == members
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


def test_the_domain_example_jobs_and_their_windows() -> None:
    call_command("demo_data", stdout=StringIO())

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
