"""Tokens at the door: revoked and expired ones, failed attempts, throttles.

Failed attempts are counted per connection address, never per a header a
client can write; requests are throttled per token; each request made
with a token is logged against it.
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Organization, User
from api.models import ApiRequest, ApiToken
from api.throttling import PerTokenThrottle
from api.tokens import IssuedToken, api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
URL = "/api/v1/members/"
FIRST_ADDRESS = "198.51.100.20"
SECOND_ADDRESS = "198.51.100.21"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def issue(administrator: User, organization: Organization, **extra: Any) -> IssuedToken:
    return api_token_issue(
        actor=administrator, organization=organization, name="Example sync", **extra
    )


@pytest.fixture
def token(administrator: User, mco: Organization) -> IssuedToken:
    return issue(administrator, mco)


def get(secret: str, address: str = FIRST_ADDRESS, **headers: str) -> Any:
    return APIClient().get(
        URL, HTTP_AUTHORIZATION=f"Bearer {secret}", REMOTE_ADDR=address, **headers
    )


def test_a_live_token_reads_and_its_last_use_is_kept(token: IssuedToken) -> None:
    response = get(token.secret)

    assert response.status_code == 200
    token.token.refresh_from_db()
    assert token.token.last_used_at == NOW


def test_a_revoked_token_is_refused_with_401(
    token: IssuedToken, administrator: User
) -> None:
    api_token_revoke(actor=administrator, token=token.token)

    response = get(token.secret)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_token_works_until_its_expiry_and_is_refused_from_then_on(
    administrator: User, mco: Organization, frozen: time_machine.Traveller
) -> None:
    expiring = issue(
        administrator, mco, expires_at=NOW + datetime.timedelta(minutes=30)
    )

    frozen.move_to(NOW + datetime.timedelta(minutes=29, seconds=59))
    before = get(expiring.secret)
    frozen.move_to(NOW + datetime.timedelta(minutes=30))
    at = get(expiring.secret)

    assert before.status_code == 200
    assert at.status_code == 401


def test_an_unknown_token_and_a_mangled_one_are_refused_with_401(
    token: IssuedToken,
) -> None:
    assert get(token.secret + "x").status_code == 401
    assert get("ips_00000000_" + "a" * 43).status_code == 401
    assert get("not-a-token").status_code == 401


def test_failed_attempts_from_one_address_are_throttled_and_not_another(
    token: IssuedToken, settings: Any
) -> None:
    settings.API_TOKEN_FAILURES_ALLOWED = 3

    failures = [get("ips_wrong_guess").status_code for _ in range(3)]
    locked = get("ips_wrong_guess")
    # A partner with a valid token behind the same address is not locked out.
    right_token_same_address = get(token.secret)
    elsewhere = get("ips_wrong_guess", SECOND_ADDRESS)

    assert failures == [401, 401, 401]
    assert locked.status_code == 429
    assert locked.json()["error"]["retry_after"] == 15 * 60
    assert right_token_same_address.status_code == 200
    assert elsewhere.status_code == 401


def test_a_forwarded_for_header_does_not_change_the_address_counted(
    token: IssuedToken, settings: Any
) -> None:
    settings.API_TOKEN_FAILURES_ALLOWED = 2
    for _ in range(2):
        get("ips_wrong_guess", HTTP_X_FORWARDED_FOR=SECOND_ADDRESS)

    # Claiming another address does not escape the count...
    escaping = get("ips_wrong_guess", HTTP_X_FORWARDED_FOR="203.0.113.9")
    # ...nor does naming the throttled address put someone else in it.
    framed = get("ips_wrong_guess", SECOND_ADDRESS, HTTP_X_FORWARDED_FOR=FIRST_ADDRESS)

    assert escaping.status_code == 429
    assert framed.status_code == 401


def test_requests_are_throttled_per_token(
    administrator: User,
    mco: Organization,
    token: IssuedToken,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # DRF reads the rates once, onto the class.
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    second_system = issue(administrator, mco)

    first = [get(token.secret).status_code for _ in range(3)]
    other = get(second_system.secret, SECOND_ADDRESS)

    assert first == [200, 200, 429]
    assert other.status_code == 200


def test_a_throttled_token_answers_in_the_error_format_with_retry_after(
    token: IssuedToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "1/minute"})
    get(token.secret)

    error = get(token.secret).json()["error"]

    assert error["status"] == 429
    assert error["code"] == "throttled"
    assert error["retry_after"] == 60


def test_each_token_request_is_logged_against_its_token(
    administrator: User, mco: Organization, token: IssuedToken, case_manager: User
) -> None:
    second_system = issue(administrator, mco)

    get(token.secret)
    get(second_system.secret, SECOND_ADDRESS)
    get(token.secret + "x")  # no token to name: refused before any view
    signed_in = APIClient()
    signed_in.force_login(case_manager)
    signed_in.get(URL)

    rows = ApiRequest.objects.order_by("pk")
    assert [(row.token, row.remote_addr, row.status_code) for row in rows] == [
        (token.token, FIRST_ADDRESS, 200),
        (second_system.token, SECOND_ADDRESS, 200),
    ]
    assert {row.method for row in rows} == {"GET"}
    assert {row.path for row in rows} == {URL}


def test_a_not_found_answer_to_a_token_is_logged_too(token: IssuedToken) -> None:
    response = APIClient().get(
        URL + "00000000-0000-4000-8000-000000000000/",
        HTTP_AUTHORIZATION=f"Bearer {token.secret}",
    )

    assert response.status_code == 404
    assert ApiRequest.objects.get().status_code == 404


def test_only_the_digest_of_the_secret_is_stored(token: IssuedToken) -> None:
    row = ApiToken.objects.filter(pk=token.token.pk).values().get()

    assert token.secret not in {str(value) for value in row.values()}
    # The random part may hold underscores itself: split off the two before.
    assert token.secret.split("_", 2)[2] not in str(row)
