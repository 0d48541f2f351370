"""Idempotency-Key on the writes: a retry is answered, not logged again."""

import datetime
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from api.models import IdempotentResponse
from api.tokens import IssuedToken, api_token_issue
from coaching.models import CoachingEntry
from members.models import Member
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
URL = "/api/v1/coaching-entries/"
KEY = "3b1f0c2e-sync-2026-09-03-entry-1"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


def issue(administrator: User, provider: ProviderSite) -> IssuedToken:
    return api_token_issue(
        actor=administrator,
        organization=provider.organization,
        name="Example coaching log sync",
        can_log_coaching=True,
    )


@pytest.fixture
def token(administrator: User, provider_a: ProviderSite) -> IssuedToken:
    return issue(administrator, provider_a)


def body_for(member: Member, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "member": str(member.public_id),
        "coached_on": "2026-09-03",
        "minutes": 45,
        "kind": "phone",
    }
    body.update(changes)
    return body


def post(secret: str, body: Any, key: str | None = KEY, path: str = URL) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return APIClient().post(path, body, format="json", **headers)


def test_a_retry_with_the_same_key_and_body_replays_the_answer_and_logs_once(
    token: IssuedToken, member: Member
) -> None:
    first = post(token.secret, body_for(member))
    # The same JSON with its keys in another order and other spacing.
    again = APIClient().post(
        URL,
        json.dumps(dict(reversed(body_for(member).items())), indent=2),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token.secret}",
        HTTP_IDEMPOTENCY_KEY=KEY,
    )

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert CoachingEntry.objects.count() == 1
    stored = IdempotentResponse.objects.get()
    assert stored.token == token.token
    assert stored.user is None


def test_the_same_key_with_another_body_or_endpoint_is_refused_with_422(
    administrator: User, provider_a: ProviderSite, member: Member
) -> None:
    both = api_token_issue(
        actor=administrator,
        organization=provider_a.organization,
        name="Example full sync",
        can_log_coaching=True,
        can_log_achievements=True,
    )
    post(both.secret, body_for(member))

    changed = post(both.secret, body_for(member, minutes=50))
    elsewhere = post(both.secret, body_for(member), path="/api/v1/achievements/")

    assert changed.status_code == elsewhere.status_code == 422
    assert changed.json()["error"]["code"] == "idempotency_key_reused"
    assert changed.json()["error"]["status"] == 422
    assert CoachingEntry.objects.count() == 1


def test_writes_without_a_key_still_work_and_each_one_logs(
    token: IssuedToken, member: Member
) -> None:
    first = post(token.secret, body_for(member), key=None)
    second = post(token.secret, body_for(member), key=None)

    assert first.status_code == second.status_code == 201
    assert CoachingEntry.objects.count() == 2
    assert not IdempotentResponse.objects.exists()


def test_a_refused_write_keeps_no_answer_so_the_corrected_body_may_reuse_the_key(
    token: IssuedToken, member: Member
) -> None:
    refused = post(token.secret, body_for(member, coached_on="2026-12-02"))
    corrected = post(token.secret, body_for(member))

    assert refused.status_code == 400
    assert corrected.status_code == 201
    assert IdempotentResponse.objects.get().status_code == 201


def test_keys_belong_to_one_token(
    administrator: User, token: IssuedToken, provider_a: ProviderSite, member: Member
) -> None:
    second_system = issue(administrator, provider_a)

    post(token.secret, body_for(member))
    post(second_system.secret, body_for(member))

    assert CoachingEntry.objects.count() == 2


def test_a_signed_in_persons_keys_are_their_own(
    specialist: User, member: Member
) -> None:
    client = APIClient()
    client.force_login(specialist)

    answers = [
        client.post(URL, body_for(member), format="json", HTTP_IDEMPOTENCY_KEY=KEY)
        for _ in range(2)
    ]

    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert CoachingEntry.objects.count() == 1
    stored = IdempotentResponse.objects.get()
    assert (stored.user, stored.token) == (specialist, None)


def test_a_key_longer_than_200_characters_is_refused(
    token: IssuedToken, member: Member
) -> None:
    response = post(token.secret, body_for(member), key="k" * 201)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["Idempotency-Key"]
    assert not CoachingEntry.objects.exists()


def test_the_request_that_loses_the_race_for_a_key_replays_the_winners_answer(
    token: IssuedToken, member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = post(token.secret, body_for(member))
    # The loser looked before the winner committed, so it saw no answer;
    # its claim on the key then meets the unique constraint.
    monkeypatch.setattr("api.idempotency._stored", lambda owner, key: None)

    loser = post(token.secret, body_for(member))

    assert loser.status_code == 201
    assert loser.content == winner.content
    assert CoachingEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_requests_with_one_key_log_once_on_postgresql(
    administrator: User, case_manager: User, specialist: User, provider_a: ProviderSite
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The race needs PostgreSQL's concurrent writers (CI runs it).")
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    secret = issue(administrator, provider_a).secret
    start = threading.Barrier(2)
    answers: list[Any] = []

    def send() -> None:
        try:
            start.wait()
            answers.append(post(secret, body_for(member)))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert CoachingEntry.objects.count() == 1
