"""What the schema calls invalid is refused, in the one error format."""

import pytest
from django.urls import reverse

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
