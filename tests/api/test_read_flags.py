"""GET /api/v1/flags/: the caller's open flags, and the ones closed since.

A flag's ``changed_at`` moves when the sweep opens, moves or closes it and
when a person dismisses it, so a client syncing with ``updated_since``
sees a flag close as a change of status rather than a disappearance.
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from core.business_days import authorization_due_on
from flags.models import Flag, FlagEvent
from flags.services import flag_dismiss
from flags.sweeps import sweep
from members.models import Member
from milestones.rules import Window
from milestones.services import milestone_window_change
from tests.api.conftest import session_client, token_client
from tests.api.read_builders import (
    NOW,
    TODAY,
    World,
    authorize_iowa_example,
    line,
    member_in_ips,
    member_with_everything,
)
from tests.factories import UserFactory
from tests.milestones.helpers import authorize

pytestmark = pytest.mark.django_db
D = datetime.date
HOUR = datetime.timedelta(hours=1)
LATER = NOW + HOUR
Kind = Flag.Kind


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def waiting(case_manager: User, specialist: User) -> Member:
    """Accepted on January 10 with nothing authorized: a delay flag opens."""
    member = member_in_ips(case_manager, specialist)
    sweep(today=TODAY)
    return member


def delay_flag(member: Member) -> Flag:
    return Flag.objects.get(member=member, kind=Kind.AUTHORIZATION_DELAY)


def listed(client: Any, **params: Any) -> list[dict[str, Any]]:
    response = client.get(reverse("api:flag-list"), params)
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


def test_a_flag_shows_what_it_is_about_and_when_it_changed(
    mco_token: str, waiting: Member
) -> None:
    flag = delay_flag(waiting)

    assert listed(token_client(mco_token)) == [
        {
            "id": str(flag.public_id),
            "kind": "authorization_delay",
            "qualifier": "",
            "member": str(waiting.public_id),
            "due_on": authorization_due_on(D(2026, 1, 10)).isoformat(),
            "severity": "urgent",
            "status": "open",
            "opened_at": "2026-12-01T12:00:00-06:00",
            "changed_at": "2026-12-01T12:00:00-06:00",
        }
    ]


def test_a_flag_the_sweep_resolves_leaves_the_list_and_shows_closed_in_a_sync(
    mco_token: str,
    case_manager: User,
    waiting: Member,
    clock: time_machine.Traveller,
) -> None:
    client = token_client(mco_token)
    flag = delay_flag(waiting)
    clock.move_to(LATER)
    authorize_iowa_example(case_manager, waiting)
    sweep(today=TODAY)

    assert listed(client) == []
    (row,) = listed(client, updated_since=LATER.isoformat())
    assert (row["id"], row["status"]) == (str(flag.public_id), "resolved")
    assert row["changed_at"] == "2026-12-01T13:00:00-06:00"
    detail = client.get(reverse("api:flag-detail", args=[flag.public_id]))
    assert detail.json()["status"] == "resolved"


def test_a_dismissed_flag_shows_dismissed_in_a_sync(
    mco_token: str,
    case_manager: User,
    waiting: Member,
    clock: time_machine.Traveller,
) -> None:
    flag = delay_flag(waiting)
    clock.move_to(LATER)
    flag_dismiss(actor=case_manager, flag=flag, note="The plan meeting is Friday.")

    (row,) = listed(token_client(mco_token), updated_since=LATER.isoformat())

    assert (row["status"], row["changed_at"]) == (
        "dismissed",
        "2026-12-01T13:00:00-06:00",
    )
    flag.refresh_from_db()
    assert flag.changed_at == flag.closed_at == LATER


def test_a_flag_whose_due_date_moves_comes_back_in_a_sync(
    provider_token: str,
    case_manager: User,
    specialist: User,
    clock: time_machine.Traveller,
) -> None:
    member = member_in_ips(case_manager, specialist)
    windows = {
        1: Window(D(2026, 11, 1), D(2026, 12, 5)),
        2: Window(D(2026, 12, 6), D(2026, 12, 31)),
        3: Window(D(2027, 1, 1), D(2027, 1, 31)),
        4: Window(D(2027, 3, 1), D(2027, 3, 31)),
    }
    authorization = authorize(case_manager, member, windows, cap_warning_seen=True)
    sweep(today=TODAY)
    flag = Flag.objects.get(member=member, kind=Kind.MILESTONE_WINDOW_CLOSING)
    assert flag.due_on == D(2026, 12, 5)

    clock.move_to(LATER)
    milestone_window_change(
        actor=case_manager,
        line=line(authorization, 1),
        window=Window(D(2026, 11, 1), D(2026, 12, 7)),
        reason="The plan meeting moved.",
        cap_warning_seen=True,
    )
    sweep(today=TODAY)

    (row,) = listed(token_client(provider_token), updated_since=LATER.isoformat())
    assert (row["id"], row["due_on"], row["status"]) == (
        str(flag.public_id),
        "2026-12-07",
        "open",
    )
    assert row["changed_at"] == "2026-12-01T13:00:00-06:00"
    assert FlagEvent.objects.filter(flag=flag, what=FlagEvent.What.DUE_MOVED).exists()


def test_a_sweep_that_changes_nothing_leaves_changed_at_alone(
    waiting: Member, clock: time_machine.Traveller
) -> None:
    clock.move_to(LATER)

    result = sweep(today=TODAY)

    assert result.changes == 0
    assert delay_flag(waiting).changed_at == NOW


def test_an_mcos_token_sees_the_flags_its_case_managers_act_on(
    mco_token: str,
    provider_token: str,
    case_manager: User,
    specialist: User,
) -> None:
    world: World = member_with_everything(case_manager, specialist)
    sweep(today=TODAY)

    def kinds(secret: str) -> set[str]:
        return {row["kind"] for row in listed(token_client(secret))}

    # The job-end form is the provider's to fill in.
    assert kinds(mco_token) == {
        Kind.COACHING_LAPSED,
        Kind.JOB_END_NEXT_STEP_MISSING,
    }
    # The provider has no fidelity review yet: that flag is the provider's.
    assert kinds(provider_token) == {
        Kind.COACHING_LAPSED,
        Kind.JOB_END_NEXT_STEP_MISSING,
        Kind.JOB_END_FORM_MISSING,
        Kind.FIDELITY_REVIEW_OVERDUE,
    }
    assert world.member.case_manager == case_manager


def test_a_specialist_sees_the_flags_of_their_own_caseload_only(
    case_manager: User, specialist: User, supervisor: User, waiting: Member
) -> None:
    colleague = UserFactory(
        organization=specialist.organization, role=User.Role.IPS_SPECIALIST
    )

    assert len(listed(session_client(specialist))) == 1
    assert listed(session_client(colleague)) == []
    # The supervisor's: the delay, and the provider's overdue fidelity review.
    assert {row["kind"] for row in listed(session_client(supervisor))} == {
        Kind.AUTHORIZATION_DELAY,
        Kind.FIDELITY_REVIEW_OVERDUE,
    }


def test_the_program_reviewer_sees_overdue_fidelity_reviews_only(
    reviewer: User, waiting: Member
) -> None:
    rows = listed(session_client(reviewer))

    assert [(row["kind"], row["member"]) for row in rows] == [
        (Kind.FIDELITY_REVIEW_OVERDUE, None)
    ]
