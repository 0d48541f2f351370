"""Sign-in lockout: five failures lock one username at one address.

A lockout never keeps a colleague out from afar: the same person signs in
from another address, and other people sign in from the locked address.
"""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from accounts.models import User
from tests.accounts.sign_in_steps import (
    DESK,
    ELSEWHERE,
    PASSWORD,
    is_signed_in,
    sign_in,
)
from tests.pages import field_block_named

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)
WRONG = "not-the-password"
LOCKED_OUT = "Too many failed sign-ins for this username from this computer"


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def fail_five_times(client: Client, username: str, address: str = DESK) -> None:
    for _ in range(5):
        sign_in(client, username, WRONG, address)


def test_four_failures_leave_the_sign_in_open(
    client: Client, case_manager: User
) -> None:
    for _ in range(4):
        refused = sign_in(client, case_manager.username, WRONG)
        assert refused.status_code == 200
        assert "correct username and password" in refused.content.decode()

    assert sign_in(client, case_manager.username).status_code == 302
    assert is_signed_in(client)


def test_the_fifth_failure_locks_out_that_username_from_that_address(
    client: Client, case_manager: User
) -> None:
    for _ in range(4):
        sign_in(client, case_manager.username, WRONG)

    fifth = sign_in(client, case_manager.username, WRONG)
    assert fifth.status_code == 429

    right_password = sign_in(client, case_manager.username)
    assert right_password.status_code == 429
    assert not is_signed_in(client)


def test_the_locked_out_person_sees_why_on_the_sign_in_form(
    client: Client, case_manager: User
) -> None:
    fail_five_times(client, case_manager.username)

    answer = sign_in(client, case_manager.username, next_url="/members/")
    page = answer.content.decode()

    assert answer.templates[0].name == "accounts/sign_in.html"
    assert LOCKED_OUT in page
    assert "Try again in 30 minutes" in page
    assert f'value="{case_manager.username}"' in field_block_named(page, "username")
    assert 'name="next" value="/members/"' in page


def test_the_same_person_signs_in_from_another_address(
    client: Client, case_manager: User
) -> None:
    fail_five_times(client, case_manager.username, DESK)

    assert sign_in(client, case_manager.username, address=ELSEWHERE).status_code == 302
    assert is_signed_in(client)


def test_a_colleague_signs_in_from_the_locked_out_address(
    client: Client, case_manager: User, specialist: User
) -> None:
    fail_five_times(client, case_manager.username, DESK)

    assert sign_in(client, specialist.username, address=DESK).status_code == 302
    assert is_signed_in(client)


def test_guessing_at_a_colleague_from_afar_never_locks_them_out(
    client: Client, case_manager: User
) -> None:
    """Someone else's failures from elsewhere leave the person's desk open."""
    fail_five_times(Client(), case_manager.username, ELSEWHERE)

    assert sign_in(client, case_manager.username, address=DESK).status_code == 302


def test_the_lockout_lifts_after_30_minutes(
    client: Client, case_manager: User, frozen_clock: time_machine.Traveller
) -> None:
    fail_five_times(client, case_manager.username)

    frozen_clock.shift(datetime.timedelta(minutes=29))
    assert sign_in(client, case_manager.username).status_code == 429

    frozen_clock.shift(datetime.timedelta(minutes=2))
    assert sign_in(client, case_manager.username).status_code == 302
    assert is_signed_in(client)


def test_a_forged_forwarding_header_does_not_escape_the_lockout(
    client: Client, case_manager: User
) -> None:
    """Without proxies configured, the connection's address is the one."""
    fail_five_times(client, case_manager.username, DESK)

    forged = client.post(
        reverse("accounts:sign-in"),
        {"username": case_manager.username, "password": PASSWORD},
        REMOTE_ADDR=DESK,
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )

    assert forged.status_code == 429


def test_behind_a_proxy_the_address_it_names_is_the_one_locked_out(
    client: Client, case_manager: User, settings: Settings
) -> None:
    """With one proxy in front (as the API reads it), each client is its own."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"
    for _ in range(5):
        client.post(
            reverse("accounts:sign-in"),
            {"username": case_manager.username, "password": WRONG},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=DESK,
        )

    def through_proxy(client_address: str) -> int:
        return client.post(
            reverse("accounts:sign-in"),
            {"username": case_manager.username, "password": PASSWORD},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=client_address,
        ).status_code

    assert through_proxy(DESK) == 429
    assert through_proxy(ELSEWHERE) == 302


# A password asked for again while signed in counts the same.


def change_password(client: Client, current: str) -> HttpResponse:
    return client.post(
        reverse("accounts:password-change"),
        {
            "old_password": current,
            "new_password1": "quiet-harbor-lantern-7",
            "new_password2": "quiet-harbor-lantern-7",
        },
        REMOTE_ADDR=DESK,
    )


def test_wrong_current_passwords_end_the_session_at_the_fifth(
    client: Client, case_manager: User
) -> None:
    """It may be someone at a computer left signed in, guessing."""
    sign_in(client, case_manager.username)
    for _ in range(4):
        assert change_password(client, WRONG).status_code == 200

    fifth = change_password(client, WRONG)

    assert fifth["Location"] == reverse("accounts:sign-in")
    page = client.get(fifth["Location"]).content.decode()
    assert "Too many wrong passwords for this username from this computer" in page
    assert "Sign in again in 30 minutes" in page
    assert not is_signed_in(client)
    assert sign_in(client, case_manager.username).status_code == 429
    assert sign_in(client, case_manager.username, address=ELSEWHERE).status_code == 302


def test_failed_sign_ins_and_wrong_passwords_while_signed_in_add_up(
    client: Client, case_manager: User
) -> None:
    sign_in(client, case_manager.username)
    for _ in range(4):
        sign_in(Client(), case_manager.username, WRONG)

    assert change_password(client, WRONG)["Location"] == reverse("accounts:sign-in")
    assert not is_signed_in(client)


def test_a_locked_out_username_cannot_change_its_password_even_when_right(
    client: Client, case_manager: User
) -> None:
    sign_in(client, case_manager.username)
    fail_five_times(Client(), case_manager.username)

    refused = change_password(client, PASSWORD)

    assert refused["Location"] == reverse("accounts:sign-in")
    case_manager.refresh_from_db()
    assert case_manager.check_password(PASSWORD)


def test_wrong_passwords_at_set_up_of_an_app_count_too(
    client: Client, case_manager: User
) -> None:
    sign_in(client, case_manager.username)
    set_up = reverse("accounts:two-factor-setup")
    for _ in range(4):
        client.post(set_up, {"password": WRONG, "code": "123456"}, REMOTE_ADDR=DESK)

    fifth = client.post(set_up, {"password": WRONG, "code": "123456"}, REMOTE_ADDR=DESK)

    assert fifth["Location"] == reverse("accounts:sign-in")
    assert not is_signed_in(client)
