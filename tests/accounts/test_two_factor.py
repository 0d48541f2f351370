"""Two-step sign-in: a code from an authenticator app after the password.

Required of everyone with OTP_REQUIRED (production); otherwise asked only
of people who set an app up. API tokens are their own credential.
"""

import datetime
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from accounts.models import User
from tests.accounts.sign_in_steps import (
    PASSWORD,
    is_signed_in,
    sign_in,
    totp_code,
    wrong_code,
)
from tests.pages import errors_next_to_named, field_block_named

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 15, 0, 10, tzinfo=datetime.UTC)
CODE_STEP = "/sign-in/code/"
SET_UP = "/account/two-step-sign-in/"
MEMBERS = "/members/"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def otp_required(settings: Settings) -> None:
    settings.OTP_REQUIRED = True


@pytest.fixture
def app_of_case_manager(case_manager: User) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=case_manager, name="Authenticator app", confirmed=True
    )


def button_texts(page: str) -> list[str]:
    """The text of each submit button on the page, in order."""
    buttons = re.findall(r"<button\b[^>]*>(.*?)</button>", page, re.S)
    return [" ".join(button.split()) for button in buttons]


def next_time_step(clock: time_machine.Traveller) -> None:
    """Move to the app's next code: each code is accepted once."""
    clock.shift(datetime.timedelta(seconds=30))


def signed_in_with_code(
    client: Client,
    user: User,
    app: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    """Sign in with the password and the app's code, then move to the next
    code, free for another sign-in."""
    sign_in(client, user.username)
    assert client.post(CODE_STEP, {"code": totp_code(app)}).status_code == 302
    next_time_step(clock)


# The code step, for a person with an app.


def test_a_person_with_an_app_gives_a_code_before_being_signed_in(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    after_password = sign_in(client, case_manager.username)

    assert after_password["Location"] == CODE_STEP
    assert not is_signed_in(client)
    assert client.get(MEMBERS).status_code == 302

    after_code = client.post(CODE_STEP, {"code": totp_code(app_of_case_manager)})

    assert after_code["Location"] == reverse("accounts:home")
    assert client.get(MEMBERS).status_code == 200


def test_the_code_step_goes_on_to_the_page_asked_for(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    sign_in(client, case_manager.username, next_url=MEMBERS)

    after_code = client.post(CODE_STEP, {"code": totp_code(app_of_case_manager)})

    assert after_code["Location"] == MEMBERS


def test_a_wrong_code_is_refused_with_a_message_next_to_the_field(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    sign_in(client, case_manager.username)

    refused = client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})

    assert refused.status_code == 200
    assert "That code is not right" in errors_next_to_named(
        refused.content.decode(), "code"
    )
    assert not is_signed_in(client)


def test_a_code_that_is_not_six_digits_is_refused_next_to_the_field(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    sign_in(client, case_manager.username)

    refused = client.post(CODE_STEP, {"code": "12a456"})

    assert "Enter the 6 digits" in errors_next_to_named(
        refused.content.decode(), "code"
    )


def test_wrong_codes_in_a_row_make_the_next_try_wait(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    sign_in(client, case_manager.username)
    client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})

    too_soon = client.post(CODE_STEP, {"code": totp_code(app_of_case_manager)})

    assert "so it was not checked" in errors_next_to_named(
        too_soon.content.decode(), "code"
    )
    assert not is_signed_in(client)
    clock.shift(datetime.timedelta(seconds=2))
    after_code = client.post(CODE_STEP, {"code": totp_code(app_of_case_manager)})
    assert after_code["Location"] == reverse("accounts:home")


def test_a_quick_retry_after_one_wrong_code_asks_to_wait_1_second(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    sign_in(client, case_manager.username)
    client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})

    too_soon = client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})

    assert errors_next_to_named(too_soon.content.decode(), "code") == (
        "That code came too soon after the last wrong one, so it was not "
        "checked. Wait 1 second, then enter the newest code your app shows."
    )


def test_the_wait_doubles_with_a_second_wrong_code(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    sign_in(client, case_manager.username)
    client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})
    clock.shift(datetime.timedelta(seconds=1))
    client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})

    too_soon = client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})

    assert "Wait 2 seconds, then" in errors_next_to_named(
        too_soon.content.decode(), "code"
    )


def test_five_wrong_codes_in_a_row_say_what_to_check(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    sign_in(client, case_manager.username)
    client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})
    # Each time just long enough for the next code to be checked.
    for wait in (1, 2, 4, 8):
        clock.shift(datetime.timedelta(seconds=wait))
        client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})

    too_soon = client.post(CODE_STEP, {"code": wrong_code(app_of_case_manager)})

    assert errors_next_to_named(too_soon.content.decode(), "code") == (
        "Several wrong codes in a row. Wait 16 seconds, then enter the newest "
        "code your app shows (if codes keep failing, set your phone's clock to "
        "update automatically)."
    )


def test_a_wait_of_a_minute_or_more_is_given_in_minutes(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    # Seven wrong codes in a row, the last just now: 64 seconds to wait.
    app_of_case_manager.throttling_failure_count = 7
    app_of_case_manager.throttling_failure_timestamp = NOW
    app_of_case_manager.save()
    sign_in(client, case_manager.username)

    too_soon = client.post(CODE_STEP, {"code": totp_code(app_of_case_manager)})

    assert "Wait 2 minutes, then" in errors_next_to_named(
        too_soon.content.decode(), "code"
    )


def test_a_code_is_accepted_once_only(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    code = totp_code(app_of_case_manager)
    sign_in(client, case_manager.username)
    client.post(CODE_STEP, {"code": code})

    someone_watching = Client()
    sign_in(someone_watching, case_manager.username)
    replayed = someone_watching.post(CODE_STEP, {"code": code})

    assert replayed.status_code == 200
    assert not is_signed_in(someone_watching)


def test_the_code_step_ends_10_minutes_after_the_password(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    sign_in(client, case_manager.username)

    clock.shift(datetime.timedelta(minutes=11))
    late = client.post(CODE_STEP, {"code": totp_code(app_of_case_manager)})

    assert late["Location"] == reverse("accounts:sign-in")
    assert "took too long" in client.get(late["Location"]).content.decode()
    assert not is_signed_in(client)


def test_the_code_step_is_not_reachable_without_the_password(
    client: Client, app_of_case_manager: TOTPDevice
) -> None:
    assert client.get(CODE_STEP)["Location"] == reverse("accounts:sign-in")


def test_a_person_owing_a_code_cannot_set_up_another_app_instead(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    otp_required: None,
) -> None:
    sign_in(client, case_manager.username)

    assert client.get(SET_UP)["Location"] == CODE_STEP
    assert not TOTPDevice.objects.filter(confirmed=False).exists()


# Without OTP_REQUIRED (the demo and these tests' default).


def test_without_the_requirement_a_person_without_an_app_signs_in_with_a_password(
    client: Client, case_manager: User
) -> None:
    answer = sign_in(client, case_manager.username)

    assert answer["Location"] == reverse("accounts:home")
    assert client.get(MEMBERS).status_code == 200


def test_a_signed_in_person_sets_up_an_app_and_is_asked_for_codes_from_then_on(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    sign_in(client, case_manager.username)
    page = client.get(SET_UP).content.decode()
    app = TOTPDevice.objects.get(user=case_manager, confirmed=False)
    assert app.config_url.split("secret=")[1][:8] in page.replace(" ", "")

    turned_on = client.post(SET_UP, {"password": PASSWORD, "code": totp_code(app)})

    assert turned_on["Location"] == reverse("accounts:account")
    app.refresh_from_db()
    assert app.confirmed
    assert client.get(MEMBERS).status_code == 200

    next_time_step(clock)
    second_browser = Client()
    assert sign_in(second_browser, case_manager.username)["Location"] == CODE_STEP


def test_setting_up_shows_the_same_secret_until_a_code_confirms_it(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    first = client.get(SET_UP).context["secret"]
    again = client.get(SET_UP).context["secret"]

    assert first == again
    assert TOTPDevice.objects.filter(user=case_manager).count() == 1


def test_moving_to_a_new_phone_replaces_the_old_app_once_confirmed(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    sign_in(client, case_manager.username)
    client.post(CODE_STEP, {"code": totp_code(app_of_case_manager)})

    client.get(SET_UP)
    new_phone = TOTPDevice.objects.get(user=case_manager, confirmed=False)
    assert TOTPDevice.objects.filter(pk=app_of_case_manager.pk).exists()
    next_time_step(clock)
    client.post(SET_UP, {"password": PASSWORD, "code": totp_code(new_phone)})

    assert list(TOTPDevice.objects.filter(user=case_manager)) == [new_phone]


def test_the_page_for_a_new_phone_says_it_moves_the_app_and_can_be_cancelled(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    signed_in_with_code(client, case_manager, app_of_case_manager, clock)

    page = client.get(SET_UP).content.decode()

    assert "<title>Move two-step sign-in to a new phone" in page
    assert "<h1>Move two-step sign-in to a new phone</h1>" in page
    assert "Move to this phone" in button_texts(page)
    assert "Turn on two-step sign-in" not in button_texts(page)
    assert f'href="{reverse("accounts:account")}">Cancel</a>' in page
    assert "Set up two-step sign-in" not in page
    assert "Not now" not in page


def test_the_page_for_a_first_app_offers_to_turn_it_on_or_not_now(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    page = client.get(SET_UP).content.decode()

    assert "<h1>Set up two-step sign-in</h1>" in page
    assert "Turn on two-step sign-in" in button_texts(page)
    assert f'href="{reverse("accounts:account")}">Not now</a>' in page


def test_a_wrong_code_at_set_up_is_refused_next_to_the_field(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    client.force_login(case_manager)
    client.get(SET_UP)
    app = TOTPDevice.objects.get(user=case_manager)

    refused = client.post(SET_UP, {"password": PASSWORD, "code": wrong_code(app)})

    assert "That code is not right" in errors_next_to_named(
        refused.content.decode(), "code"
    )
    app.refresh_from_db()
    assert not app.confirmed


def test_the_qr_code_is_inline_svg_without_style_or_script(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    page = client.get(SET_UP).content.decode()
    svg = re.search(r"<svg\b.*?</svg>", page, re.S)

    assert svg is not None
    assert "style" not in svg[0].lower()
    assert "script" not in svg[0].lower()
    assert 'role="img"' in page


# Setting up an app while signed in: the password first, then other
# sessions end.


def test_moving_to_a_new_phone_asks_for_the_password_before_any_code(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    signed_in_with_code(client, case_manager, app_of_case_manager, clock)
    client.get(SET_UP)
    new_phone = TOTPDevice.objects.get(user=case_manager, confirmed=False)
    code = totp_code(new_phone)

    wrong = client.post(SET_UP, {"password": "not-the-password", "code": code})
    missing = client.post(SET_UP, {"code": code})

    assert "That is not your password." in errors_next_to_named(
        wrong.content.decode(), "password"
    )
    assert "Enter your password." in errors_next_to_named(
        missing.content.decode(), "password"
    )
    assert set(TOTPDevice.objects.filter(confirmed=True)) == {app_of_case_manager}
    # No code was tried: the same one still confirms the new phone.
    assert client.post(SET_UP, {"password": PASSWORD, "code": code}).status_code == 302


def test_setting_up_a_first_app_while_signed_in_asks_for_the_password(
    client: Client, case_manager: User, clock: time_machine.Traveller
) -> None:
    sign_in(client, case_manager.username)
    page = client.get(SET_UP).content.decode()
    app = TOTPDevice.objects.get(user=case_manager)

    refused = client.post(SET_UP, {"password": "not-the-password", "code": "1"})

    assert 'autocomplete="current-password"' in field_block_named(page, "password")
    assert "That is not your password." in errors_next_to_named(
        refused.content.decode(), "password"
    )
    app.refresh_from_db()
    assert not app.confirmed


def test_moving_to_a_new_phone_ends_the_persons_other_sessions(
    case_manager: User,
    specialist: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
) -> None:
    """Without the requirement, as with it: a session that gave the old
    app's code would otherwise go on."""
    at_desk, on_laptop, colleague = Client(), Client(), Client()
    signed_in_with_code(at_desk, case_manager, app_of_case_manager, clock)
    signed_in_with_code(on_laptop, case_manager, app_of_case_manager, clock)
    sign_in(colleague, specialist.username)

    at_desk.get(SET_UP)
    new_phone = TOTPDevice.objects.get(user=case_manager, confirmed=False)
    moved = at_desk.post(
        SET_UP, {"password": PASSWORD, "code": totp_code(new_phone)}, follow=True
    )

    assert "You are signed out on your other devices." in moved.content.decode()
    assert is_signed_in(at_desk)
    assert at_desk.session[DEVICE_ID_SESSION_KEY] == new_phone.persistent_id
    assert not is_signed_in(on_laptop)
    assert is_signed_in(colleague)


def test_with_the_requirement_the_session_that_moved_goes_on(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    otp_required: None,
    clock: time_machine.Traveller,
) -> None:
    signed_in_with_code(client, case_manager, app_of_case_manager, clock)
    client.get(SET_UP)
    new_phone = TOTPDevice.objects.get(user=case_manager, confirmed=False)

    client.post(SET_UP, {"password": PASSWORD, "code": totp_code(new_phone)})

    assert client.get(MEMBERS).status_code == 200


def test_a_password_stored_again_under_a_newer_hasher_keeps_the_session(
    client: Client,
    case_manager: User,
    app_of_case_manager: TOTPDevice,
    clock: time_machine.Traveller,
    settings: Settings,
) -> None:
    """Checking a password kept under an older hasher stores it again,
    which changes the hash this session is checked against."""
    signed_in_with_code(client, case_manager, app_of_case_manager, clock)
    client.get(SET_UP)
    new_phone = TOTPDevice.objects.get(user=case_manager, confirmed=False)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]

    client.post(SET_UP, {"password": PASSWORD, "code": wrong_code(new_phone)})

    case_manager.refresh_from_db()
    assert case_manager.password.startswith("scrypt$")
    assert is_signed_in(client)


# With OTP_REQUIRED (production).


def test_with_the_requirement_a_person_without_an_app_sets_one_up_first(
    client: Client,
    case_manager: User,
    otp_required: None,
    clock: time_machine.Traveller,
) -> None:
    after_password = sign_in(client, case_manager.username, next_url=MEMBERS)

    assert after_password["Location"] == SET_UP
    assert client.get(MEMBERS)["Location"].startswith(reverse("accounts:sign-in"))
    assert client.get(reverse("accounts:home")).status_code == 302

    set_up = client.get(SET_UP)
    assert set_up.status_code == 200
    assert set_up.context["is_signing_in"]
    app = TOTPDevice.objects.get(user=case_manager, confirmed=False)
    after_code = client.post(SET_UP, {"code": totp_code(app)})

    assert after_code["Location"] == MEMBERS
    assert client.get(MEMBERS).status_code == 200


def test_with_the_requirement_a_session_that_skipped_the_code_is_ended(
    client: Client, case_manager: User, otp_required: None
) -> None:
    """A sign-in by any other way than the portal's form is not let through."""
    client.force_login(case_manager)

    answer = client.get(MEMBERS)

    assert answer["Location"] == f"{reverse('accounts:sign-in')}?next=/members/"
    assert not is_signed_in(client)


def test_with_the_requirement_api_tokens_work_as_before(
    client: Client,
    administrator: User,
    case_manager: User,
    otp_required: None,
) -> None:
    from api.tokens import api_token_issue

    issued = api_token_issue(
        actor=administrator,
        organization=case_manager.organization,
        name="Nightly sync (test)",
    )

    answer = client.get(
        "/api/v1/members/", headers={"Authorization": f"Bearer {issued.secret}"}
    )

    assert answer.status_code == 200


def test_the_admin_signs_in_through_the_portals_sign_in(client: Client) -> None:
    answer = client.get("/admin/login/?next=/admin/")

    assert answer["Location"] == f"{reverse('accounts:sign-in')}?next=/admin/"
