"""The member page: the whole story, in a fixed number of queries."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from jobends.models import JobEnd, JobEndPerspective, TeamLogEntry
from jobends.services import (
    employer_consent_record,
    job_end_record,
    perspective_add,
    team_log_add,
)
from jobs.services import job_record
from members.models import Member
from milestones.rules import Window
from milestones.services import EvidenceUpload, achievement_log
from referrals.models import Referral
from tests.factories import (
    EpisodeFactory,
    MemberFactory,
    ReferralFactory,
    provider_site,
)
from tests.milestones.helpers import authorize
from tests.uploads import pdf

pytestmark = pytest.mark.django_db

# Late enough that every date below is in the past.
LATER = datetime.datetime(2029, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def later() -> Iterator[None]:
    with time_machine.travel(LATER, tick=False):
        yield


def add_episode_with_rounds(case_manager: User, member: Member, year: int) -> None:
    """A closed-by-the-end episode: two rounds, two jobs, logged milestones."""
    episode = EpisodeFactory(
        member=member,
        provider=provider_site("43-north-iowa"),
        opened_on=datetime.date(year, 1, 5),
    )
    first = authorize(
        case_manager,
        member,
        windows={
            1: Window(datetime.date(year, 2, 1), datetime.date(year, 3, 31)),
            2: Window(datetime.date(year, 4, 1), datetime.date(year, 4, 30)),
            3: Window(datetime.date(year, 5, 1), datetime.date(year, 5, 31)),
            4: Window(datetime.date(year, 7, 1), datetime.date(year, 7, 31)),
        },
        authorized_on=datetime.date(year, 1, 20),
    )
    authorize(
        case_manager,
        member,
        windows={
            2: Window(datetime.date(year, 9, 1), datetime.date(year, 9, 30)),
            3: Window(datetime.date(year, 10, 1), datetime.date(year, 10, 31)),
            4: Window(datetime.date(year, 12, 1), datetime.date(year, 12, 31)),
        },
        numbers=(2, 3, 4),
        authorized_on=datetime.date(year, 8, 20),
    )
    specialist = episode.specialist
    jobs = [
        job_record(
            actor=specialist,
            member=member,
            employer="Prairie Grocers (demo)",
            title="Stocker",
            first_day_on=first_day,
            hours_per_week=Decimal("20"),
            hourly_wage=Decimal("12.00"),
        )
        for first_day in (datetime.date(year, 4, 10), datetime.date(year, 5, 20))
    ]
    achievement_log(
        actor=specialist,
        line=first.lines.get(milestone=1),
        achieved_on=datetime.date(year, 3, 1),
        evidence=[
            EvidenceUpload("employment_plan", pdf()),
            EvidenceUpload("service_plan", pdf()),
        ],
    )
    achievement_log(
        actor=specialist,
        line=first.lines.get(milestone=2),
        job=jobs[0],
        evidence=[EvidenceUpload("service_documentation", pdf())],
    )
    job_end = job_end_record(
        actor=specialist,
        job=jobs[1],
        ended_on=datetime.date(year, 6, 1),
        how_ended=JobEnd.HowEnded.LAID_OFF,
    )
    perspective_add(
        actor=case_manager,
        job_end=job_end,
        source=JobEndPerspective.Source.CASE_MANAGER,
        text="Seasonal layoff; the member wants year-round work.",
    )
    team_log_add(
        actor=case_manager,
        member=member,
        kind=TeamLogEntry.Kind.CONTACT_PHONE,
        text="Called the specialist about the layoff.",
    )
    employer_consent_record(
        actor=case_manager, member=member, given_on=datetime.date(year, 1, 6)
    )
    episode.closed_on = datetime.date(year, 12, 31)
    episode.save()


def queries_for_member_page(client: Client, member: Member) -> int:
    url = reverse("members:detail", args=[member.public_id])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_member_page_queries_do_not_grow_with_episodes_and_rounds(
    client: Client, case_manager: User
) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)
    add_episode_with_rounds(case_manager, member, 2026)
    client.force_login(case_manager)
    small = queries_for_member_page(client, member)

    add_episode_with_rounds(case_manager, member, 2027)
    add_episode_with_rounds(case_manager, member, 2028)
    ReferralFactory(member=member, status=Referral.Status.WITHDRAWN)
    large = queries_for_member_page(client, member)

    assert small == large


def test_timeline_is_newest_first(client: Client, case_manager: User) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)
    add_episode_with_rounds(case_manager, member, 2026)
    client.force_login(case_manager)

    timeline = client.get(reverse("members:detail", args=[member.public_id])).context[
        "timeline"
    ]

    dates = [entry.on for entry in timeline]
    assert dates == sorted(dates, reverse=True)
    assert [entry.kind for entry in timeline] == [
        "exit",
        "round",
        "meeting",
        "job-end",
        "job",
        "job",
        "round",
        "episode",
        "referral",
    ]


def test_dates_read_as_iowa_writes_them(client: Client, case_manager: User) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)
    add_episode_with_rounds(case_manager, member, 2026)
    client.force_login(case_manager)

    page = client.get(reverse("members:detail", args=[member.public_id]))

    assert "05/01/2026 – 05/31/2026" in page.content.decode()
