"""The account page: two-step sign-in, and signing out of every device."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from members.management.commands.demo_data import DEMO_PASSWORD
from tests.accounts.sign_in_steps import is_signed_in, sign_in

pytestmark = pytest.mark.django_db

ACCOUNT = "/account/"
EVERYWHERE = "/account/sign-out-everywhere/"
# 14:00 in Iowa (CST).
NOW = datetime.datetime(2026, 12, 3, 20, 0, tzinfo=datetime.UTC)


def test_the_header_links_to_the_account_page(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    page = client.get(reverse("accounts:home")).content.decode()

    assert f'href="{ACCOUNT}"' in page


def test_the_account_page_says_when_this_session_ends_at_the_latest(
    client: Client, case_manager: User
) -> None:
    with time_machine.travel(NOW, tick=False):
        sign_in(client, case_manager.username)
        page = client.get(ACCOUNT).content.decode()

    assert "signed out after 15 minutes without activity" in page
    assert "this session ends at 2:00 AM on 12/04/2026 at the latest" in page
    assert "Sign out of every device" in page


def test_the_account_page_offers_to_set_up_an_app_when_there_is_none(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    page = client.get(ACCOUNT).content.decode()

    assert "Set up two-step sign-in" in page
    assert f'href="{reverse("accounts:two-factor-setup")}"' in page


def test_the_account_page_shows_the_app_in_use(
    client: Client, case_manager: User
) -> None:
    TOTPDevice.objects.create(user=case_manager, name="Authenticator app")
    client.force_login(case_manager)
    session = client.session
    # As after the code step: this session was verified with the app.
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get().persistent_id
    session.save()

    page = client.get(ACCOUNT).content.decode()

    assert "Move to a new phone" in page


def test_the_account_page_is_for_signed_in_people_only(client: Client) -> None:
    assert client.get(ACCOUNT)["Location"].startswith(reverse("accounts:sign-in"))


def test_signing_out_everywhere_ends_the_persons_other_sessions(
    case_manager: User, specialist: User
) -> None:
    at_desk, on_laptop, colleague = Client(), Client(), Client()
    sign_in(at_desk, case_manager.username)
    sign_in(on_laptop, case_manager.username)
    sign_in(colleague, specialist.username)

    answer = at_desk.post(EVERYWHERE)

    assert answer["Location"] == reverse("accounts:sign-in")
    assert (
        "signed out on every device" in at_desk.get(answer["Location"]).content.decode()
    )
    assert not is_signed_in(at_desk)
    assert not is_signed_in(on_laptop)
    assert is_signed_in(colleague)


def test_after_signing_out_everywhere_the_person_signs_in_again(
    client: Client, case_manager: User
) -> None:
    sign_in(client, case_manager.username)
    client.post(EVERYWHERE)

    assert sign_in(client, case_manager.username)["Location"] == "/"
    assert is_signed_in(client)


def test_signing_out_everywhere_takes_a_post(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    assert client.get(EVERYWHERE).status_code == 405
    assert is_signed_in(client)


def test_passwords_shorter_than_12_characters_are_refused() -> None:
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("short-pass1")


@pytest.mark.parametrize("password", ["password1234", "123456789012"])
def test_common_and_all_digit_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_the_demo_password_meets_the_rules_for_a_demo_user() -> None:
    demo_user = User(
        username="cm.wellpoint",
        first_name="Rowan",
        last_name="Ashby",
        email="cm.wellpoint@example.org",
    )

    validate_password(DEMO_PASSWORD, user=demo_user)
