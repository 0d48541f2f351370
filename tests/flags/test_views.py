"""The flags inbox, its count in the navigation bar, and dismissing a flag."""

import datetime
import html
import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access import policy
from accounts.models import Organization, User
from coaching.models import CoachingPeriod
from coaching.services import coaching_period_authorize
from fidelity.models import FidelityReview
from flags.models import Flag, FlagEvent
from flags.selectors import CASE_MANAGER_KINDS, flag_action, flag_place
from flags.sweeps import sweep
from jobends.models import JobEnd
from jobends.services import job_end_record
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import AuthorizationRound
from milestones.rules import Window
from milestones.services import EvidenceUpload, achievement_log
from providers.models import ProviderSite
from referrals.models import Episode
from tests.factories import EpisodeFactory, MemberFactory, UserFactory
from tests.flags.builders import fidelity_review_current
from tests.milestones.helpers import authorize
from tests.pages import errors_next_to
from tests.uploads import pdf

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = Flag.Kind

# Noon in Iowa on Monday, June 15, 2026.
NOW = datetime.datetime(2026, 6, 15, 17, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 6, 15)
JANUARY_10 = D(2026, 1, 10)

INBOX = reverse("flags:inbox")

# A subject id for flags made by hand; only (kind, subject, qualifier) is
# unique, so any fresh number will do.
subject_ids = itertools.count(90_000)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def reviewed_providers(
    frozen: None, reviewer: User, provider_a: ProviderSite, provider_b: ProviderSite
) -> None:
    """Both providers' fidelity reviews are current: only the tests about
    overdue reviews see that kind of flag."""
    for provider in (provider_a, provider_b):
        fidelity_review_current(reviewer, provider, TODAY - datetime.timedelta(days=30))


@pytest.fixture
def colleague_case_manager(case_manager: User) -> User:
    """Another case manager at the same MCO, not assigned to the member."""
    return UserFactory.create(
        organization=case_manager.organization, role=User.Role.CASE_MANAGER
    )


@pytest.fixture
def colleague_specialist(provider_a: ProviderSite) -> User:
    """Another specialist at provider A, with a caseload of their own."""
    return UserFactory.create(
        organization=provider_a.organization, role=User.Role.IPS_SPECIALIST
    )


# Building records and flags


def provider_of(user: User) -> ProviderSite:
    """The provider a specialist or supervisor works at."""
    assert user.organization is not None
    return user.organization.provider_site


def member_in_ips(
    specialist: User,
    *,
    case_manager: User | None = None,
    opened_on: datetime.date = JANUARY_10,
    **fields: Any,
) -> Member:
    """A member in IPS with the specialist's provider since ``opened_on``."""
    if case_manager is not None:
        fields.setdefault("managing_organization", case_manager.organization)
    member = MemberFactory.create(case_manager=case_manager, **fields)
    EpisodeFactory(
        member=member,
        provider=provider_of(specialist),
        specialist=specialist,
        opened_on=opened_on,
    )
    return member


def flag_by_hand(
    kind: str,
    member: Member | None,
    *,
    specialist: User | None = None,
    due_on: datetime.date = TODAY,
    **fields: Any,
) -> Flag:
    """An open flag placed as the sweep places it: the member's episode team."""
    if member is not None:
        episode = member.episodes.get(closed_on__isnull=True)
        fields.setdefault("provider", episode.provider)
        fields.setdefault("specialist", episode.specialist)
    elif specialist is not None:
        fields.setdefault("provider", provider_of(specialist))
        fields.setdefault("specialist", specialist)
    fields.setdefault("subject_id", next(subject_ids))
    return Flag.objects.create(
        kind=kind,
        member=member,
        due_on=due_on,
        severity=Flag.Severity.WARNING,
        opened_at=timezone.now(),
        **fields,
    )


def job_for(
    specialist: User, member: Member, first_day_on: datetime.date, employer: str
) -> Job:
    return job_record(
        actor=specialist,
        member=member,
        employer=employer,
        title="Shelf stocker",
        first_day_on=first_day_on,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


def coaching_for(
    case_manager: User, member: Member, begins_on: datetime.date
) -> CoachingPeriod:
    return coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=2,
        begins_on=begins_on,
        authorization_number=f"CO-{member.pk}",
        authorized_on=begins_on - datetime.timedelta(days=5),
    )


@dataclass
class EveryKind:
    """Members whose records raise a flag of every kind on June 15, 2026."""

    windows: Member  # milestone windows, a job and a coaching period ending
    job_end: Member  # a job end without form or next step; coaching lapsed
    new_referral: Member  # accepted on June 1, no milestones authorized
    round: AuthorizationRound
    job: Job
    ended_job: Job


@pytest.fixture
def every_kind(case_manager: User, specialist: User) -> EveryKind:
    """Records that raise every kind of flag, found by the sweep itself.

    Only the monthly cap is flagged by hand: the services warn before a
    month goes over it, so no record of ours would.
    """
    windows = member_in_ips(specialist, case_manager=case_manager)
    milestone_round = authorize(
        case_manager,
        windows,
        {
            1: Window(D(2026, 2, 1), D(2026, 3, 31)),
            # Achieved on the job's first day, April 15: outside.
            2: Window(D(2026, 4, 20), D(2026, 4, 30)),
            # Not achieved, closing on June 20.
            3: Window(D(2026, 5, 1), D(2026, 6, 20)),
            # Day 90 of the job (July 13) falls before it.
            4: Window(D(2026, 8, 1), D(2026, 8, 31)),
        },
        cap_warning_seen=True,
    )
    job = job_for(specialist, windows, D(2026, 4, 15), "Bramblecrest Orchards")
    achievement_log(
        actor=specialist,
        line=milestone_round.lines.get(milestone=2),
        job=job,
        evidence=[EvidenceUpload("service_documentation", pdf())],
        cap_warning_seen=True,
    )
    coaching_for(case_manager, windows, D(2026, 3, 20))  # ends June 17

    job_end = member_in_ips(specialist, case_manager=case_manager)
    ended_job = job_for(specialist, job_end, D(2026, 3, 2), "Quillfeather Press")
    job_end_record(
        actor=specialist,
        job=ended_job,
        ended_on=D(2026, 5, 10),
        how_ended=JobEnd.HowEnded.QUIT,
    )
    coaching_for(case_manager, job_end, D(2026, 2, 1))  # ended May 1

    new_referral = member_in_ips(
        specialist, case_manager=case_manager, opened_on=D(2026, 6, 1)
    )
    # Members joining today make the caseload 21, one above the limit.
    EpisodeFactory.create_batch(
        18,
        provider=provider_of(specialist),
        specialist=specialist,
        opened_on=TODAY,
    )

    sweep()
    flag_by_hand(
        Kind.MONTH_OVER_CAP,
        windows,
        subject_id=windows.pk,
        qualifier="2026-06",
        due_on=D(2026, 6, 30),
    )
    return EveryKind(windows, job_end, new_referral, milestone_round, job, ended_job)


# Reading the inbox as a person does


@dataclass(frozen=True)
class Row:
    public_id: str
    open_text: str
    open_href: str


def inbox_rows(page: str) -> list[Row]:
    """The inbox table's rows: which flag, and where its first link leads."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    if body is None:
        return []
    rows = []
    for markup in re.findall(r"<tr>(.*?)</tr>", body[1], re.S):
        dismiss = re.search(r'href="/flags/([0-9a-f-]{36})/dismiss/"', markup)
        # The first link of the last cell leads to where the flag is fixed.
        actions = re.search(r'class="flags__actions">(.*?)</td>', markup, re.S)
        assert actions is not None, markup
        opening = re.search(r'<a href="([^"]+)">([^<]*)</a>', actions[1])
        assert dismiss is not None and opening is not None, markup
        rows.append(
            Row(
                dismiss[1],
                " ".join(html.unescape(opening[2]).split()),
                html.unescape(opening[1]),
            )
        )
    return rows


def nav_count(page: str) -> int | None:
    """The number beside "Flags" in the navigation bar; None without the link."""
    if f'href="{INBOX}"' not in page:
        return None
    count = re.search(r'class="nav__count">(\d+)<', page)
    return int(count[1]) if count else 0


def inbox_for(client: Client, user: User, query: str = "") -> str:
    client.force_login(user)
    response = client.get(INBOX + query)
    assert response.status_code == 200
    return response.content.decode()


def shown_ids(client: Client, user: User, query: str = "") -> list[str]:
    return [row.public_id for row in inbox_rows(inbox_for(client, user, query))]


def dismiss_url(flag: Flag) -> str:
    return reverse("flags:dismiss", args=[flag.public_id])


def member_page(member: Member) -> str:
    return reverse("members:detail", args=[member.public_id])


# The list


def test_the_inbox_lists_exactly_the_specialists_open_flags_soonest_due_first(
    client: Client,
    specialist: User,
    colleague_specialist: User,
    every_kind: EveryKind,
) -> None:
    theirs = member_in_ips(colleague_specialist)
    flag_by_hand(Kind.AUTHORIZATION_DELAY, theirs, due_on=D(2026, 6, 1))

    shown = shown_ids(client, specialist)

    mine = Flag.objects.filter(specialist=specialist, status=Flag.Status.OPEN)
    expected = sorted(mine, key=lambda flag: (flag.due_on, flag.severity, flag.pk))
    assert shown == [str(flag.public_id) for flag in expected]
    # Every kind but the fidelity review, which is for supervisors and reviewers.
    assert {flag.kind for flag in expected} == set(Kind.values) - {
        Kind.FIDELITY_REVIEW_OVERDUE
    }
    due_dates = [flag.due_on for flag in expected]
    assert due_dates == sorted(due_dates)


@pytest.mark.parametrize(
    "when",
    [
        NOW,
        # 22:30 in Iowa, already June 16 in UTC: still June 15 on the page.
        datetime.datetime(2026, 6, 16, 3, 30, tzinfo=datetime.UTC),
    ],
)
def test_the_row_says_overdue_and_due_today_by_the_iowa_date(
    client: Client, specialist: User, case_manager: User, when: datetime.datetime
) -> None:
    member = member_in_ips(specialist, case_manager=case_manager)
    flag_by_hand(Kind.MONTH_OVER_CAP, member, due_on=D(2026, 6, 14), qualifier="a")
    flag_by_hand(Kind.MONTH_OVER_CAP, member, due_on=TODAY, qualifier="b")
    flag_by_hand(Kind.MONTH_OVER_CAP, member, due_on=D(2026, 6, 16), qualifier="c")

    with time_machine.travel(when, tick=False):
        page = inbox_for(client, specialist)

    cells = re.findall(r'<td class="flags__due">(.*?)</td>', page, re.S)
    assert [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells] == [
        "06/14/2026 Overdue",
        "06/15/2026 Today",
        "06/16/2026",
    ]


recorded: list[dict[str, Any]] = []


def remember_read(**kwargs: Any) -> None:
    recorded.append(kwargs)


@pytest.fixture
def reads(settings: Any) -> Iterator[list[dict[str, Any]]]:
    """Every member read the pages pass to the recording hook."""
    settings.MEMBER_READ_RECORDERS = [f"{__name__}.remember_read"]
    policy._recorders.cache_clear()
    recorded.clear()
    yield recorded
    policy._recorders.cache_clear()


def test_the_inbox_and_the_dismiss_page_record_the_members_they_show(
    client: Client,
    specialist: User,
    case_manager: User,
    reads: list[dict[str, Any]],
) -> None:
    first = member_in_ips(specialist, case_manager=case_manager)
    second = member_in_ips(specialist, case_manager=case_manager)
    flag = flag_by_hand(Kind.COACHING_LAPSED, first)
    flag_by_hand(Kind.MONTH_OVER_CAP, second)
    flag_by_hand(Kind.CASELOAD_OVER_LIMIT, None, specialist=specialist)

    inbox_for(client, specialist)
    client.get(dismiss_url(flag))

    assert [(read["purpose"], sorted(read["member_ids"])) for read in reads] == [
        ("flags.inbox", sorted([first.pk, second.pk])),
        ("flags.dismiss", [first.pk]),
    ]
    assert all(read["actor"] == specialist for read in reads)


def test_filtering_by_kind_shows_only_that_kind(
    client: Client, specialist: User, every_kind: EveryKind
) -> None:
    response_page = inbox_for(client, specialist, "?kind=authorization_delay")

    delays = Flag.objects.filter(kind=Kind.AUTHORIZATION_DELAY).order_by("due_on")
    assert [row.public_id for row in inbox_rows(response_page)] == [
        str(flag.public_id) for flag in delays
    ]
    assert len(delays) == 2
    assert (
        '<option value="authorization_delay" selected>'
        "Milestones not yet authorized (2)</option>"
    ) in response_page


def test_an_unknown_kind_shows_every_flag(
    client: Client, specialist: User, every_kind: EveryKind
) -> None:
    everything = shown_ids(client, specialist)

    assert shown_ids(client, specialist, "?kind=not_a_kind") == everything
    assert shown_ids(client, specialist, "?kind=") == everything
    assert len(everything) == Flag.objects.filter(specialist=specialist).count()


def test_a_kind_without_flags_says_so(
    client: Client, case_manager: User, every_kind: EveryKind
) -> None:
    page = inbox_for(client, case_manager, "?kind=job_end_form_missing")

    assert inbox_rows(page) == []
    assert "No open flags of this kind." in page


@pytest.mark.parametrize("role", ["case_manager", "specialist", "supervisor"])
def test_the_nav_count_matches_the_inbox_on_every_page(
    client: Client, role: str, request: pytest.FixtureRequest, every_kind: EveryKind
) -> None:
    user = request.getfixturevalue(role)

    page = inbox_for(client, user)
    filtered = inbox_for(client, user, "?kind=coaching_lapsed")
    home = client.get(reverse("accounts:home")).content.decode()

    rows = len(inbox_rows(page))
    assert rows >= len(CASE_MANAGER_KINDS)
    assert nav_count(page) == nav_count(filtered) == nav_count(home) == rows
    assert f"All kinds ({rows})" in page


def test_an_overdue_fidelity_review_is_for_the_providers_supervisors_and_reviewers(
    client: Client,
    supervisor: User,
    reviewer: User,
    outsider_supervisor: User,
    specialist: User,
    case_manager: User,
) -> None:
    member_in_ips(specialist, case_manager=case_manager)
    FidelityReview.objects.filter(provider=provider_of(supervisor)).update(
        reviewed_on=TODAY - datetime.timedelta(days=366)
    )
    sweep()
    flag = Flag.objects.get(kind=Kind.FIDELITY_REVIEW_OVERDUE, status="open")

    for user in (supervisor, reviewer):
        rows = inbox_rows(inbox_for(client, user, "?kind=fidelity_review_overdue"))
        assert [row.public_id for row in rows] == [str(flag.public_id)]
        assert rows[0].open_href == reverse(
            "fidelity:provider", args=[provider_of(supervisor).slug]
        )
        assert client.get(rows[0].open_href).status_code == 200
    for user in (outsider_supervisor, specialist, case_manager):
        assert str(flag.public_id) not in inbox_for(client, user)


@pytest.mark.parametrize("role", ["administrator"])
def test_roles_without_a_work_queue_have_no_flags_link(
    client: Client, role: str, request: pytest.FixtureRequest, every_kind: EveryKind
) -> None:
    client.force_login(request.getfixturevalue(role))

    home = client.get(reverse("accounts:home")).content.decode()

    assert nav_count(home) is None


def test_a_resolved_or_dismissed_flag_is_not_listed(
    client: Client, specialist: User, case_manager: User
) -> None:
    member = member_in_ips(specialist, case_manager=case_manager)
    still_open = flag_by_hand(Kind.AUTHORIZATION_DELAY, member)
    flag_by_hand(
        Kind.MONTH_OVER_CAP,
        member,
        status=Flag.Status.RESOLVED,
        closed_at=timezone.now(),
    )
    flag_by_hand(
        Kind.COACHING_LAPSED,
        member,
        status=Flag.Status.DISMISSED,
        closed_at=timezone.now(),
        closed_by=specialist,
        dismissal_note="The member asked to pause coaching over the summer.",
    )

    for user in (specialist, case_manager):
        page = inbox_for(client, user)
        assert [row.public_id for row in inbox_rows(page)] == [
            str(still_open.public_id)
        ]
        assert nav_count(page) == 1


# Who sees a flag


@pytest.fixture
def delayed(case_manager: User, specialist: User) -> Flag:
    """A referral accepted June 1 with no milestones authorized, flagged."""
    member = member_in_ips(
        specialist, case_manager=case_manager, opened_on=D(2026, 6, 1)
    )
    sweep()
    return Flag.objects.get(member=member, kind=Kind.AUTHORIZATION_DELAY)


@pytest.mark.parametrize("role", ["case_manager", "specialist", "supervisor"])
def test_the_members_team_sees_the_flag_and_may_open_its_dismiss_page(
    client: Client, role: str, request: pytest.FixtureRequest, delayed: Flag
) -> None:
    user = request.getfixturevalue(role)

    page = inbox_for(client, user)

    assert [row.public_id for row in inbox_rows(page)] == [str(delayed.public_id)]
    assert nav_count(page) == 1
    assert client.get(dismiss_url(delayed)).status_code == 200


DENIED = [
    "outsider",
    "outsider_supervisor",
    "outsider_case_manager",
    "reviewer",
    "administrator",
    "colleague_case_manager",
    "colleague_specialist",
]


@pytest.mark.parametrize("role", DENIED)
def test_anyone_else_has_an_empty_inbox_and_the_flag_answers_404(
    client: Client, role: str, request: pytest.FixtureRequest, delayed: Flag
) -> None:
    user = request.getfixturevalue(role)

    page = inbox_for(client, user)
    shown = client.get(dismiss_url(delayed))
    posted = client.post(dismiss_url(delayed), {"note": "Not my member at all."})

    assert inbox_rows(page) == []
    assert nav_count(page) in (None, 0)
    assert (shown.status_code, posted.status_code) == (404, 404)
    delayed.refresh_from_db()
    assert delayed.status == Flag.Status.OPEN
    assert not delayed.events.filter(what=FlagEvent.What.DISMISSED).exists()


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("case_manager", True),
        ("colleague_case_manager", True),
        ("outsider_case_manager", False),
    ],
)
def test_without_a_case_manager_the_managing_organizations_case_managers_see_it(
    client: Client,
    role: str,
    sees: bool,
    request: pytest.FixtureRequest,
    specialist: User,
    mco: Organization,
) -> None:
    member = member_in_ips(specialist, managing_organization=mco)
    flag = flag_by_hand(Kind.COACHING_LAPSED, member)

    shown = shown_ids(client, request.getfixturevalue(role))

    assert shown == ([str(flag.public_id)] if sees else [])
    assert client.get(dismiss_url(flag)).status_code == (200 if sees else 404)


def test_the_case_manager_does_not_get_the_providers_own_kinds(
    client: Client, case_manager: User, specialist: User, every_kind: EveryKind
) -> None:
    page = inbox_for(client, case_manager)

    shown = Flag.objects.filter(
        public_id__in=[row.public_id for row in inbox_rows(page)]
    )
    assert {flag.kind for flag in shown} == set(CASE_MANAGER_KINDS)
    for kind in (Kind.JOB_END_FORM_MISSING, Kind.CASELOAD_OVER_LIMIT):
        flag = Flag.objects.get(kind=kind)
        assert client.get(dismiss_url(flag)).status_code == 404
    client.force_login(specialist)
    assert client.get(INBOX + "?kind=job_end_form_missing").context["rows"]


def test_own_caseload_only_shows_a_specialist_only_their_own_members_flags(
    client: Client,
    specialist: User,
    colleague_specialist: User,
    provider_a: ProviderSite,
) -> None:
    provider_a.specialists_see_own_caseload_only = True
    provider_a.save()
    kept = member_in_ips(specialist, opened_on=TODAY)
    handed_over = member_in_ips(specialist, opened_on=D(2026, 6, 1))
    sweep()
    flag = Flag.objects.get(member=handed_over)
    # The member moved to a colleague; the flag still names the specialist
    # until the next sweep catches up.
    Episode.objects.filter(member=handed_over).update(specialist=colleague_specialist)
    own = flag_by_hand(Kind.MONTH_OVER_CAP, kept)

    assert shown_ids(client, specialist) == [str(own.public_id)]
    assert client.get(dismiss_url(flag)).status_code == 404
    assert shown_ids(client, colleague_specialist) == []

    sweep(member_ids=[handed_over.pk])

    assert shown_ids(client, colleague_specialist) == [str(flag.public_id)]
    assert shown_ids(client, specialist) == [str(own.public_id)]


# Where each row leads


def expected_places(world: EveryKind, role: str) -> dict[tuple[str, int | None], str]:
    """Where each flag of the every-kind records should take this role."""
    windows, job_end, new_referral = world.windows, world.job_end, world.new_referral
    round_id = world.round.public_id
    meeting = reverse("jobends:meeting", args=[job_end.public_id])
    next_step = f"{meeting}?job_end={world.ended_job.job_end.public_id}"
    form = (
        reverse("jobends:detail", args=[world.ended_job.job_end.public_id])
        + "#form-heading"
    )
    cap = member_page(windows) + "#cap-heading"
    if role == "case_manager":
        return {
            (Kind.COACHING_REAUTHORIZATION_DUE, windows.pk): reverse(
                "coaching:authorize", args=[windows.public_id]
            ),
            (Kind.COACHING_LAPSED, job_end.pk): reverse(
                "coaching:authorize", args=[job_end.public_id]
            ),
            (Kind.MILESTONE_WINDOW_CLOSING, windows.pk): member_page(windows),
            (Kind.PREDICTED_MILESTONE_GAP, windows.pk): reverse(
                "milestones:change-window", args=[round_id, 4]
            ),
            (Kind.ACHIEVEMENT_OUTSIDE_WINDOW, windows.pk): reverse(
                "milestones:change-window", args=[round_id, 2]
            ),
            (Kind.AUTHORIZATION_DELAY, job_end.pk): reverse(
                "milestones:authorize", args=[job_end.public_id]
            ),
            (Kind.AUTHORIZATION_DELAY, new_referral.pk): reverse(
                "milestones:authorize", args=[new_referral.public_id]
            ),
            (Kind.JOB_END_NEXT_STEP_MISSING, job_end.pk): next_step,
            (Kind.MONTH_OVER_CAP, windows.pk): cap,
        }
    places: dict[tuple[str, int | None], str] = {
        (Kind.COACHING_REAUTHORIZATION_DUE, windows.pk): member_page(windows)
        + "#coaching-heading",
        (Kind.COACHING_LAPSED, job_end.pk): member_page(job_end) + "#coaching-heading",
        (Kind.MILESTONE_WINDOW_CLOSING, windows.pk): reverse(
            "milestones:achieve", args=[round_id, 3]
        ),
        (Kind.PREDICTED_MILESTONE_GAP, windows.pk): member_page(windows)
        + f"#job-{world.job.public_id}",
        (Kind.ACHIEVEMENT_OUTSIDE_WINDOW, windows.pk): member_page(windows),
        (Kind.AUTHORIZATION_DELAY, job_end.pk): member_page(job_end),
        (Kind.AUTHORIZATION_DELAY, new_referral.pk): member_page(new_referral),
        (Kind.JOB_END_FORM_MISSING, job_end.pk): form,
        (Kind.JOB_END_NEXT_STEP_MISSING, job_end.pk): next_step,
        (Kind.MONTH_OVER_CAP, windows.pk): cap,
        (Kind.CASELOAD_OVER_LIMIT, None): reverse("accounts:home"),
    }
    if role == "supervisor":
        places[(Kind.CASELOAD_OVER_LIMIT, None)] = reverse("referrals:caseload")
    return places


@pytest.mark.parametrize("role", ["case_manager", "specialist", "supervisor"])
def test_every_rows_open_link_leads_to_a_page_the_user_may_open(
    client: Client, role: str, request: pytest.FixtureRequest, every_kind: EveryKind
) -> None:
    user = request.getfixturevalue(role)
    expected = expected_places(every_kind, role)

    rows = inbox_rows(inbox_for(client, user))

    flags = Flag.objects.in_bulk(
        [row.public_id for row in rows], field_name="public_id"
    )
    assert len(rows) == len(expected)
    for row in rows:
        flag = flags[uuid.UUID(row.public_id)]
        assert row.open_href == expected[(flag.kind, flag.member_id)], flag.kind
        assert row.open_href == flag_place(flag, user)
        assert row.open_text == flag_action(flag, user).label
        if flag.member is not None:
            assert flag.member.first_name in row.open_text

        path, _, fragment = row.open_href.partition("#")
        response = client.get(path)
        assert response.status_code == 200, (flag.kind, row.open_href)
        if fragment:
            assert f'id="{fragment}"' in response.content.decode(), flag.kind
        assert client.get(dismiss_url(flag)).status_code == 200, flag.kind


# Query counts


@pytest.mark.parametrize("role", ["case_manager", "specialist"])
def test_the_inbox_takes_as_many_queries_for_30_flags_as_for_3(
    client: Client,
    role: str,
    request: pytest.FixtureRequest,
    case_manager: User,
    specialist: User,
    django_assert_max_num_queries: Any,
) -> None:
    user = request.getfixturevalue(role)
    kinds = itertools.cycle(
        sorted(CASE_MANAGER_KINDS) if role == "case_manager" else Kind.values
    )
    # One member's records give every row a line, a job with its end and a
    # coaching period to describe, so a lazy read would show per row.
    records = member_in_ips(specialist, case_manager=case_manager)
    line = authorize(case_manager, records, cap_warning_seen=True).lines.get(
        milestone=3
    )
    job = job_for(specialist, records, D(2026, 3, 2), "Larkspur Laundry")
    job_end_record(actor=specialist, job=job, ended_on=D(2026, 5, 10), how_ended="quit")
    period = coaching_for(case_manager, records, D(2026, 4, 1))

    def add_flags(count: int) -> None:
        for _ in range(count):
            member = member_in_ips(specialist, case_manager=case_manager)
            kind = next(kinds)
            flag_by_hand(
                kind,
                None if kind == Kind.CASELOAD_OVER_LIMIT else member,
                specialist=specialist,
                line=line,
                job=job,
                coaching_period=period,
            )

    add_flags(3)
    client.force_login(user)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(INBOX).context["rows"]) == 3

    add_flags(27)
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(INBOX).context["rows"]) == 30


# Dismissing


def test_the_dismiss_page_shows_the_flag_and_the_note_field(
    client: Client, specialist: User, delayed: Flag
) -> None:
    client.force_login(specialist)

    page = client.get(dismiss_url(delayed)).content.decode()

    assert "<h1>Dismiss: Milestones not yet authorized</h1>" in page
    assert 'id="id_note"' in page
    assert errors_next_to(page, "id_note") == ""


@pytest.mark.parametrize("data", [{"note": ""}, {"note": "   \n "}])
def test_dismissing_without_a_note_shows_why_next_to_the_note_and_saves_nothing(
    client: Client, specialist: User, delayed: Flag, data: dict[str, str]
) -> None:
    client.force_login(specialist)

    response = client.post(dismiss_url(delayed), data)

    assert response.status_code == 200
    assert errors_next_to(response.content.decode(), "id_note") == (
        "This field is required."
    )
    delayed.refresh_from_db()
    assert (delayed.status, delayed.closed_at, delayed.closed_by) == (
        Flag.Status.OPEN,
        None,
        None,
    )
    assert list(delayed.events.values_list("what", flat=True)) == [
        FlagEvent.What.OPENED
    ]


def test_dismissing_with_a_note_closes_the_flag_and_returns_to_the_inbox(
    client: Client, case_manager: User, delayed: Flag
) -> None:
    client.force_login(case_manager)

    response = client.post(
        dismiss_url(delayed),
        {"note": "  The payer confirmed the authorization is on its way.  "},
        follow=True,
    )

    assert response.redirect_chain == [(INBOX, 302)]
    page = response.content.decode()
    assert "Dismissed: Milestones not yet authorized." in page
    assert inbox_rows(page) == []
    assert nav_count(page) == 0
    delayed.refresh_from_db()
    note = "The payer confirmed the authorization is on its way."
    assert (
        delayed.status,
        delayed.closed_at,
        delayed.closed_by,
        delayed.dismissal_note,
    ) == (Flag.Status.DISMISSED, NOW, case_manager, note)
    event = delayed.events.get(what=FlagEvent.What.DISMISSED)
    assert (event.at, event.by, event.note) == (NOW, case_manager, note)


def test_the_dismissed_flag_is_gone_for_the_whole_team(
    client: Client,
    case_manager: User,
    specialist: User,
    supervisor: User,
    delayed: Flag,
) -> None:
    client.force_login(supervisor)
    client.post(dismiss_url(delayed), {"note": "Handled by phone with the MCO."})

    for user in (case_manager, specialist, supervisor):
        assert shown_ids(client, user) == []


@pytest.mark.parametrize("status", [Flag.Status.DISMISSED, Flag.Status.RESOLVED])
def test_a_closed_flag_answers_404_on_its_dismiss_page(
    client: Client, specialist: User, delayed: Flag, status: str
) -> None:
    Flag.objects.filter(pk=delayed.pk).update(
        status=status,
        closed_at=NOW,
        closed_by=specialist,
        dismissal_note="Closed earlier.",
    )
    client.force_login(specialist)

    shown = client.get(dismiss_url(delayed))
    posted = client.post(dismiss_url(delayed), {"note": "Once more."})

    assert (shown.status_code, posted.status_code) == (404, 404)
    assert not delayed.events.filter(what=FlagEvent.What.DISMISSED).exists()


def test_an_unknown_flag_answers_404(client: Client, specialist: User) -> None:
    client.force_login(specialist)

    response = client.get(
        reverse("flags:dismiss", args=["00000000-0000-4000-8000-000000000000"])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["inbox", "dismiss"])
def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, path: str, delayed: Flag
) -> None:
    url = INBOX if path == "inbox" else dismiss_url(delayed)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert client.post(url, {"note": "Anonymous."}).status_code == 302
    delayed.refresh_from_db()
    assert delayed.is_open
