"""What the schema calls invalid is refused, in the one error format."""

import json
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

from api.errors import portal_server_error
from providers.models import ProviderSite
from tests.api.conftest import IssueToken, token_client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"member": ""},
        {"window_to": ""},
        {"updated_since": ""},
        {"page_size": ""},
        {"cursor": ""},
    ],
)
def test_a_parameter_sent_empty_is_refused_next_to_its_name(
    mco_token: str, query: dict[str, str]
) -> None:
    response = token_client(mco_token).get(reverse("api:authorization-list"), query)

    assert response.status_code == 400
    [name] = query
    assert name in response.json()["error"]["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["two words", "é-accented", "x" * 201])
def test_an_idempotency_key_outside_visible_ascii_is_refused(
    issue_token: IssueToken, provider_a: ProviderSite, key: str
) -> None:
    secret = issue_token(provider_a.organization, can_log_achievements=True)

    response = token_client(secret).post(
        "/api/v1/achievements/",
        {},
        format="json",
        headers={"Idempotency-Key": key},
    )

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_body_nested_too_deep_is_a_400_in_the_error_format(
    issue_token: IssueToken, provider_a: ProviderSite
) -> None:
    secret = issue_token(provider_a.organization, can_log_coaching=True)

    response = token_client(secret).post(
        "/api/v1/coaching-entries/",
        "[" * 5000 + "]" * 5000,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_a_400_in_the_error_format(
    issue_token: IssueToken, provider_a: ProviderSite, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    secret = issue_token(provider_a.organization, can_log_coaching=True)

    response = token_client(secret).post(
        "/api/v1/coaching-entries/",
        json.dumps({"note": "x" * 5000}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_a_server_error_under_the_api_answers_in_the_error_format(
    rf: RequestFactory,
) -> None:
    response = portal_server_error(rf.get("/api/v1/members/"))

    assert response.status_code == 500
    assert json.loads(response.content)["error"]["status"] == 500
    assert portal_server_error(rf.get("/members/"))["Content-Type"].startswith(
        "text/html"
    )
