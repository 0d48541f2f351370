"""Session limits: 15 minutes without activity, 12 hours after sign-in.

Background requests (a view marked ``not_activity``, or any request with
``X-Background-Refresh: 1``) are served but never extend the idle window.
"""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.sign_in_steps import is_signed_in, sign_in

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 14, 0, tzinfo=datetime.UTC)
MEMBERS = "/members/"
IDLE_MESSAGE = "You were signed out after 15 minutes without activity."


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def minutes(count: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=count)


def test_a_request_16_minutes_after_the_last_is_sent_to_sign_in_with_next(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    client.force_login(case_manager)
    assert client.get(MEMBERS).status_code == 200

    clock.shift(minutes(16))
    answer = client.get(MEMBERS)

    assert answer.status_code == 302
    assert answer["Location"] == f"{reverse('accounts:sign-in')}?next=/members/"
    sign_in_page = client.get(answer["Location"])
    assert IDLE_MESSAGE in sign_in_page.content.decode()
    assert 'name="next" value="/members/"' in sign_in_page.content.decode()
    assert not is_signed_in(client)


def test_a_request_14_minutes_after_the_last_stays_signed_in(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    client.force_login(case_manager)
    assert client.get(MEMBERS).status_code == 200

    clock.shift(minutes(14))
    assert client.get(MEMBERS).status_code == 200

    # Each request starts the 15 minutes again.
    clock.shift(minutes(14))
    assert client.get(MEMBERS).status_code == 200


def test_the_idle_window_ends_just_after_15_minutes(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    client.force_login(case_manager)
    client.get(MEMBERS)

    clock.shift(minutes(15))
    assert client.get(MEMBERS).status_code == 200

    clock.shift(datetime.timedelta(minutes=15, seconds=1))
    assert client.get(MEMBERS).status_code == 302


@pytest.mark.urls("tests.accounts.urls_background")
def test_a_view_marked_not_activity_does_not_extend_the_idle_window(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    client.force_login(case_manager)
    client.get(MEMBERS)

    clock.shift(minutes(10))
    assert client.get("/test-status/").json() == {"signed_in": True}

    clock.shift(minutes(6))
    assert client.get(MEMBERS).status_code == 302


@pytest.mark.urls("tests.accounts.urls_background")
def test_a_background_view_is_itself_signed_out_once_the_window_has_passed(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    client.force_login(case_manager)
    client.get(MEMBERS)

    clock.shift(minutes(16))

    assert client.get("/test-status/").status_code == 302
    assert not is_signed_in(client)


def test_the_background_header_does_not_extend_the_idle_window(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    client.force_login(case_manager)
    client.get(MEMBERS)

    clock.shift(minutes(10))
    polled = client.get(MEMBERS, headers={"X-Background-Refresh": "1"})
    assert polled.status_code == 200

    clock.shift(minutes(6))
    assert client.get(MEMBERS).status_code == 302


def test_a_session_ends_12_hours_after_sign_in_however_active(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    sign_in(client, case_manager.username)
    # Busy all day: a page every 14 minutes, the last at 11 h 59 min.
    for _ in range(51):
        clock.shift(minutes(14))
        assert client.get(MEMBERS).status_code == 200
    clock.shift(minutes(5))
    assert client.get(MEMBERS).status_code == 200

    clock.shift(minutes(2))
    answer = client.get(MEMBERS)

    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:sign-in"))
    assert [str(message) for message in get_messages(answer.wsgi_request)] == [
        "You were signed out 12 hours after signing in. Sign in again to go on."
    ]
    assert not is_signed_in(client)


def test_an_api_request_after_the_limit_answers_in_the_api_format(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    client.force_login(case_manager)
    assert client.get("/api/v1/members/").status_code == 200

    clock.shift(minutes(16))
    answer = client.get("/api/v1/members/")

    assert answer.status_code in (401, 403)
    assert "error" in answer.json()


def test_a_dashboard_report_page_reloading_itself_does_not_extend_the_idle_window(
    client: Client, supervisor: User, clock: time_machine.Traveller
) -> None:
    client.force_login(supervisor)
    asked = client.post(reverse("dashboards:report-pdf"))
    assert asked.status_code == 302

    clock.shift(minutes(10))
    waiting = client.get(asked["Location"])
    assert waiting.status_code == 200
    assert waiting["Refresh"] == "3"  # the report is still being prepared

    clock.shift(minutes(6))
    assert client.get(MEMBERS).status_code == 302
