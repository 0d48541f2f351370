"""GET /api/v1/authorizations/: rounds with their four milestones.

A round comes back in an ``updated_since`` sync whenever one of its lines,
their achievements or a job of its time in IPS changes; a void shows as a
status, never as a disappearance.
"""

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from members.models import Member
from milestones.models import AuthorizationRound
from milestones.rules import Window
from milestones.services import (
    achievement_void,
    milestone_window_change,
    milestone_windows_fit_to_job,
)
from tests.api.conftest import token_client
from tests.api.read_builders import (
    NOW,
    World,
    authorize_iowa_example,
    line,
    log_achievement,
    member_in_ips,
    member_with_everything,
    record_job,
    record_job_end,
)

pytestmark = pytest.mark.django_db
D = datetime.date
HOUR = datetime.timedelta(hours=1)
LATER = NOW + HOUR
APRIL_28 = D(2026, 4, 28)


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client(mco_token: str) -> Any:
    return token_client(mco_token)


@pytest.fixture
def world(case_manager: User, specialist: User) -> World:
    return member_with_everything(case_manager, specialist)


def detail(client: Any, authorization: AuthorizationRound) -> dict[str, Any]:
    response = client.get(
        reverse("api:authorization-detail", args=[authorization.public_id])
    )
    assert response.status_code == 200, response.content
    return dict(response.json())


def listed(client: Any, **params: Any) -> list[str]:
    response = client.get(reverse("api:authorization-list"), params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def changed_since(client: Any, moment: datetime.datetime) -> list[str]:
    return listed(client, updated_since=moment.isoformat())


# What a round shows


def test_a_round_shows_its_plan_payer_provider_and_status(
    client: Any, world: World
) -> None:
    shown = detail(client, world.authorization)

    assert {name: value for name, value in shown.items() if name != "milestones"} == {
        "id": str(world.authorization.public_id),
        "member": str(world.member.public_id),
        "provider": "43-north-iowa",
        "payer": "Wellpoint",
        "authorized_on": "2026-01-20",
        "plan_dated_on": "2026-01-15",
        "plan_reference": "PCSP-DEMO-1",
        "status": "active",
        "voided_at": None,
        "void_reason": "",
        "changed_at": "2026-12-01T12:00:00-06:00",
    }


def test_the_90_day_milestone_is_t2018_u6_at_871_58_as_a_string(
    client: Any, world: World
) -> None:
    milestones = detail(client, world.authorization)["milestones"]

    assert milestones[3] == {
        "milestone": 4,
        "code": "T2018",
        "modifier": "U6",
        "window_begins_on": "2026-07-01",
        "window_ends_on": "2026-07-31",
        "units": 1,
        "rate": "871.58",
        "authorization_number": "PA-2026-004",
        "status": "achieved",
        "achieved_on": "2026-07-13",
        "voided_achievements": [],
    }
    assert [m["milestone"] for m in milestones] == [1, 2, 3, 4]
    assert [m["modifier"] for m in milestones] == ["U3", "U4", "U5", "U6"]
    assert [m["rate"] for m in milestones] == [
        "1570.42",
        "2394.53",
        "2394.53",
        "871.58",
    ]


def test_lines_not_yet_achieved_show_as_authorized(
    client: Any, case_manager: User, specialist: User
) -> None:
    authorization = authorize_iowa_example(
        case_manager, member_in_ips(case_manager, specialist)
    )

    milestones = detail(client, authorization)["milestones"]

    assert {m["status"] for m in milestones} == {"authorized"}
    assert {m["achieved_on"] for m in milestones} == {None}


@pytest.fixture
def late_start(case_manager: User, specialist: User) -> AuthorizationRound:
    """A job from April 28: its day 45 (June 11) misses the May window."""
    member = member_in_ips(case_manager, specialist)
    authorization = authorize_iowa_example(case_manager, member)
    job = record_job(specialist, member, APRIL_28)
    log_achievement(specialist, line(authorization, 2), job=job)
    log_achievement(specialist, line(authorization, 3), job=job)
    return authorization


def test_an_achievement_outside_its_window_shows_as_not_billable_until_it_moves(
    client: Any,
    case_manager: User,
    late_start: AuthorizationRound,
    clock: time_machine.Traveller,
) -> None:
    third = detail(client, late_start)["milestones"][2]
    assert (third["status"], third["achieved_on"]) == ("outside_window", "2026-06-11")

    clock.move_to(LATER)
    milestone_window_change(
        actor=case_manager,
        line=line(late_start, 3),
        window=Window(D(2026, 6, 1), D(2026, 6, 30)),
        reason="The job started later than planned.",
        cap_warning_seen=True,
    )

    assert changed_since(client, LATER) == [str(late_start.public_id)]
    third = detail(client, late_start)["milestones"][2]
    assert (third["status"], third["window_begins_on"]) == ("achieved", "2026-06-01")


def test_a_voided_achievement_stays_listed_and_the_line_is_authorized_again(
    client: Any, specialist: User, world: World, clock: time_machine.Traveller
) -> None:
    plan = world.authorization.lines.get(milestone=1).achievements.get()
    clock.move_to(LATER)
    achievement_void(
        actor=specialist, achievement=plan, reason="Dated from the wrong plan."
    )

    assert changed_since(client, LATER) == [str(world.authorization.public_id)]
    first = detail(client, world.authorization)["milestones"][0]
    assert first["status"] == "authorized"
    assert first["achieved_on"] is None
    assert first["voided_achievements"] == [
        {
            "achieved_on": "2026-03-10",
            "voided_at": "2026-12-01T13:00:00-06:00",
            "void_reason": "Dated from the wrong plan.",
        }
    ]

    clock.move_to(LATER + HOUR)
    log_achievement(
        specialist, line(world.authorization, 1), achieved_on=D(2026, 3, 12)
    )

    assert changed_since(client, LATER + HOUR) == [str(world.authorization.public_id)]
    first = detail(client, world.authorization)["milestones"][0]
    assert (first["status"], first["achieved_on"]) == ("achieved", "2026-03-12")
    assert len(first["voided_achievements"]) == 1


def test_a_voided_round_stays_listed_with_its_status(
    client: Any, case_manager: User, world: World
) -> None:
    AuthorizationRound.objects.filter(pk=world.authorization.pk).update(
        voided_at=NOW,
        voided_by=case_manager,
        void_reason="Entered for the wrong member.",
    )

    shown = detail(client, world.authorization)

    assert (shown["status"], shown["voided_at"], shown["void_reason"]) == (
        "voided",
        "2026-12-01T12:00:00-06:00",
        "Entered for the wrong member.",
    )
    assert listed(client, status="voided") == [str(world.authorization.public_id)]
    assert listed(client, status="active") == []


# What brings a round back in a sync


@pytest.fixture
def awaiting(case_manager: User, specialist: User) -> AuthorizationRound:
    """The Iowa example, plan done, no job yet."""
    member = member_in_ips(case_manager, specialist)
    authorization = authorize_iowa_example(case_manager, member)
    log_achievement(specialist, line(authorization, 1), achieved_on=D(2026, 3, 10))
    return authorization


def member_of(authorization: AuthorizationRound) -> Member:
    return authorization.member


def log_first_day(cm: User, sp: User, authorization: AuthorizationRound) -> None:
    job = authorization.member.jobs.get()
    log_achievement(sp, line(authorization, 2), job=job)


def void_plan(cm: User, sp: User, authorization: AuthorizationRound) -> None:
    achievement = line(authorization, 1).achievements.get()
    achievement_void(actor=sp, achievement=achievement, reason="Wrong date.")


def change_window(cm: User, sp: User, authorization: AuthorizationRound) -> None:
    milestone_window_change(
        actor=cm,
        line=line(authorization, 4),
        window=Window(D(2026, 7, 1), D(2026, 8, 31)),
        reason="A longer window for the 90-day milestone.",
        cap_warning_seen=True,
    )


def fit_windows(cm: User, sp: User, authorization: AuthorizationRound) -> None:
    job = authorization.member.jobs.get()
    milestone_windows_fit_to_job(actor=cm, job=job, cap_warning_seen=True)


def record_second_job(cm: User, sp: User, authorization: AuthorizationRound) -> None:
    record_job(sp, authorization.member, D(2026, 10, 5))


def end_the_job(cm: User, sp: User, authorization: AuthorizationRound) -> None:
    record_job_end(sp, authorization.member.jobs.get(), D(2026, 5, 20))


CHANGES: dict[str, Callable[[User, User, AuthorizationRound], None]] = {
    "an achievement logged": log_first_day,
    "an achievement voided": void_plan,
    "a window changed": change_window,
    "windows fitted to a job": fit_windows,
    "a job recorded": record_second_job,
    "a job end recorded": end_the_job,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_round_comes_back_in_a_sync_after(
    change: str,
    client: Any,
    case_manager: User,
    specialist: User,
    awaiting: AuthorizationRound,
    clock: time_machine.Traveller,
) -> None:
    record_job(specialist, awaiting.member, APRIL_28)
    untouched = authorize_iowa_example(
        case_manager, member_in_ips(case_manager, specialist)
    )
    clock.move_to(LATER)
    assert changed_since(client, LATER) == []

    CHANGES[change](case_manager, specialist, awaiting)

    assert changed_since(client, LATER) == [str(awaiting.public_id)]
    assert detail(client, awaiting)["changed_at"] == "2026-12-01T13:00:00-06:00"
    assert str(untouched.public_id) not in changed_since(client, LATER)


def test_a_round_changed_while_a_client_pages_moves_to_the_end_once(
    client: Any,
    case_manager: User,
    specialist: User,
    clock: time_machine.Traveller,
) -> None:
    rounds = []
    for hour in range(4):
        clock.move_to(NOW + hour * HOUR)
        member = member_in_ips(case_manager, specialist)
        rounds.append(authorize_iowa_example(case_manager, member))

    first = client.get(reverse("api:authorization-list"), {"page_size": 2}).json()
    clock.move_to(NOW + 5 * HOUR)
    # One round already seen and one not yet seen change between pages.
    for authorization in (rounds[0], rounds[2]):
        log_achievement(specialist, line(authorization, 1), achieved_on=D(2026, 3, 10))
    seen = [row["id"] for row in first["results"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]

    expected = [rounds[0], rounds[1], rounds[3], rounds[0], rounds[2]]
    assert seen[:3] == [str(a.public_id) for a in expected[:3]]
    # The two changed rounds come last, in id order (same instant).
    assert sorted(seen[3:]) == sorted(str(a.public_id) for a in expected[3:])


# Filters


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"provider": "43-north-iowa"}, True),
        ({"provider": "robert-young-center"}, False),
        ({"payer": "Wellpoint"}, True),
        ({"payer": "IME"}, False),
        ({"status": "active"}, True),
        ({"status": "voided"}, False),
        # Windows: Feb 1–Mar 31, April, May and July.
        ({"window_from": "2026-04-10", "window_to": "2026-04-20"}, True),
        ({"window_from": "2026-06-15", "window_to": "2026-07-05"}, True),
        # June lies between May's and July's windows: no one line overlaps it.
        ({"window_from": "2026-06-01", "window_to": "2026-06-30"}, False),
        ({"window_from": "2026-07-31"}, True),
        ({"window_from": "2026-08-01"}, False),
        ({"window_to": "2026-02-01"}, True),
        ({"window_to": "2026-01-31"}, False),
    ],
)
def test_filters(
    params: dict[str, str], shown: bool, client: Any, world: World
) -> None:
    assert listed(client, **params) == (
        [str(world.authorization.public_id)] if shown else []
    )


def test_filtering_by_member_shows_only_that_members_rounds(
    client: Any, case_manager: User, specialist: User, world: World
) -> None:
    other = authorize_iowa_example(
        case_manager, member_in_ips(case_manager, specialist)
    )

    assert listed(client, member=world.member.public_id) == [
        str(world.authorization.public_id)
    ]
    assert listed(client, member=other.member.public_id) == [str(other.public_id)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"window_from": "June"}, "window_from"),
        ({"status": "archived"}, "status"),
        ({"member": "12345"}, "member"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "501"}, "page_size"),
    ],
)
def test_an_unreadable_filter_is_a_400_naming_it(
    params: dict[str, str], field: str, client: Any
) -> None:
    response = client.get(reverse("api:authorization-list"), params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert list(error["fields"]) == [field]
