"""Changing one's own password: the current one, then a new one twice.

This session stays signed in, the person's other sessions end. Wrong
current passwords count towards the sign-in lockout (tests/accounts/
test_lockout.py).
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.sign_in_steps import PASSWORD, is_signed_in, sign_in
from tests.pages import errors_next_to_named

pytestmark = pytest.mark.django_db

CHANGE = "/account/password/"
ACCOUNT = "/account/"
NEW_PASSWORD = "quiet-harbor-lantern-7"


def change(client: Client, current: str, new: str, again: str | None = None) -> str:
    """Post the form; the page shown after, redirects followed."""
    answer = client.post(
        CHANGE,
        {
            "old_password": current,
            "new_password1": new,
            "new_password2": new if again is None else again,
        },
        follow=True,
    )
    return answer.content.decode()


def test_the_account_page_leads_to_the_change(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    page = client.get(ACCOUNT).content.decode()

    assert f'href="{reverse("accounts:password-change")}"' in page
    assert "Change password" in page


def test_a_person_changes_their_password_and_signs_in_with_the_new_one(
    client: Client, case_manager: User
) -> None:
    sign_in(client, case_manager.username)

    page = change(client, PASSWORD, NEW_PASSWORD)

    assert "Your password is changed." in page
    assert "You are signed out on your other devices." in page
    assert is_signed_in(client)
    case_manager.refresh_from_db()
    assert case_manager.check_password(NEW_PASSWORD)
    assert sign_in(Client(), case_manager.username).status_code == 200
    assert sign_in(Client(), case_manager.username, NEW_PASSWORD)["Location"] == "/"


def test_changing_the_password_ends_the_persons_other_sessions_only(
    case_manager: User, specialist: User
) -> None:
    at_desk, on_laptop, colleague = Client(), Client(), Client()
    sign_in(at_desk, case_manager.username)
    sign_in(on_laptop, case_manager.username)
    sign_in(colleague, specialist.username)

    change(at_desk, PASSWORD, NEW_PASSWORD)

    assert is_signed_in(at_desk)
    assert not is_signed_in(on_laptop)
    assert is_signed_in(colleague)


def test_a_wrong_current_password_is_refused_next_to_the_field(
    case_manager: User,
) -> None:
    at_desk, on_laptop = Client(), Client()
    sign_in(at_desk, case_manager.username)
    sign_in(on_laptop, case_manager.username)

    page = change(at_desk, "not-the-password", NEW_PASSWORD)

    assert "That is not your current password." in errors_next_to_named(
        page, "old_password"
    )
    case_manager.refresh_from_db()
    assert case_manager.check_password(PASSWORD)
    assert is_signed_in(at_desk)
    assert is_signed_in(on_laptop)


@pytest.mark.parametrize(
    ("new_password", "reason"),
    [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("381946205716", "entirely numeric"),
    ],
)
def test_a_weak_new_password_is_refused_next_to_the_new_password(
    client: Client, case_manager: User, new_password: str, reason: str
) -> None:
    sign_in(client, case_manager.username)

    page = change(client, PASSWORD, new_password)

    assert reason in errors_next_to_named(page, "new_password1")
    assert errors_next_to_named(page, "new_password2") == ""
    case_manager.refresh_from_db()
    assert case_manager.check_password(PASSWORD)


def test_a_new_password_like_the_persons_email_address_is_refused(
    client: Client, case_manager: User
) -> None:
    sign_in(client, case_manager.username)

    page = change(client, PASSWORD, case_manager.email.upper())

    assert "too similar" in errors_next_to_named(page, "new_password1")


def test_the_new_password_typed_twice_must_match(
    client: Client, case_manager: User
) -> None:
    sign_in(client, case_manager.username)

    page = change(client, PASSWORD, NEW_PASSWORD, again=f"{NEW_PASSWORD}x")

    assert "didn’t match" in errors_next_to_named(page, "new_password2")
    case_manager.refresh_from_db()
    assert case_manager.check_password(PASSWORD)


def test_the_current_password_is_no_new_password(
    client: Client, case_manager: User
) -> None:
    sign_in(client, case_manager.username)
    before = case_manager.password

    page = change(client, PASSWORD, PASSWORD)

    assert errors_next_to_named(page, "new_password1") == (
        "Choose a password other than your current one."
    )
    case_manager.refresh_from_db()
    assert case_manager.password == before


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for answer in (client.get(CHANGE), client.post(CHANGE, {})):
        assert answer["Location"] == f"{reverse('accounts:sign-in')}?next={CHANGE}"
