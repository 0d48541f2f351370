"""The administrator's token pages: who may open them, issuing, revoking.

The secret of a new token appears in the answer to the form and nowhere
else: not in the database, the session, the list or the token's page.
"""

import datetime
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib import admin
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organization, User
from api.models import ApiRequest, ApiToken
from api.tokens import IssuedToken, api_token_issue
from core.dates import IOWA
from providers.models import ProviderSite

pytestmark = pytest.mark.django_db

# Noon in Iowa on December 1, 2026.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
LIST = "/api-tokens/"
ISSUE = "/api-tokens/new/"


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
def admin_client(client: Client, administrator: User) -> Client:
    client.force_login(administrator)
    return client


@pytest.fixture
def issued(administrator: User, provider_a: ProviderSite) -> IssuedToken:
    return api_token_issue(
        actor=administrator,
        organization=provider_a.organization,
        name="Example case system",
        can_log_achievements=True,
    )


def form_data(organization: Organization, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organization": organization.pk,
        "name": "Example nightly sync",
        "expires_on": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_administrators_home_links_to_the_token_list(
    admin_client: Client,
) -> None:
    page = admin_client.get(reverse("accounts:home")).content.decode()

    assert f'href="{LIST}"' in page


@pytest.mark.parametrize(
    "person", ["specialist", "supervisor", "case_manager", "reviewer", "outsider"]
)
def test_people_other_than_administrators_are_refused_every_page(
    client: Client, person: str, issued: IssuedToken, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(person))
    detail = reverse("api-tokens:detail", args=[issued.token.public_id])
    revoke = reverse("api-tokens:revoke", args=[issued.token.public_id])
    organization = issued.token.organization

    answers = [
        client.get(LIST).status_code,
        client.get(ISSUE).status_code,
        client.post(ISSUE, form_data(organization)).status_code,
        client.get(detail).status_code,
        client.get(revoke).status_code,
        client.post(revoke).status_code,
    ]

    assert answers == [403] * 6
    assert ApiToken.objects.count() == 1
    assert ApiToken.objects.get().revoked_at is None


def test_someone_signed_out_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_a_new_tokens_secret_is_shown_once_and_only_its_digest_stored(
    admin_client: Client, provider_a: ProviderSite
) -> None:
    response = admin_client.post(
        ISSUE,
        form_data(
            provider_a.organization,
            can_log_achievements="on",
            can_log_coaching="on",
        ),
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    page = response.content.decode()
    assert f'value="{secret}"' in page
    assert "will not be shown again" in page
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert (token.can_log_achievements, token.can_log_coaching) == (True, True)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())
    assert not any(secret in str(value) for value in admin_client.session.values())
    later_pages = [
        admin_client.get(LIST),
        admin_client.get(reverse("api-tokens:detail", args=[token.public_id])),
    ]
    for later in later_pages:
        assert later.status_code == 200
        assert secret not in later.content.decode()
        assert token.digest not in later.content.decode()
    assert f"ips_{token.prefix}" in later_pages[0].content.decode()


def test_the_secret_shown_works_against_the_api(
    admin_client: Client, provider_a: ProviderSite
) -> None:
    response = admin_client.post(ISSUE, form_data(provider_a.organization))

    api = APIClient().get(
        "/api/v1/members/", HTTP_AUTHORIZATION=f"Bearer {response.context['secret']}"
    )

    assert api.status_code == 200


def test_an_expiry_date_means_midnight_after_that_day_in_iowa(
    admin_client: Client, provider_a: ProviderSite
) -> None:
    admin_client.post(
        ISSUE, form_data(provider_a.organization, expires_on="2026-12-31")
    )

    expires_at = ApiToken.objects.get().expires_at
    assert expires_at == datetime.datetime(2027, 1, 1, tzinfo=IOWA)


def test_an_mco_cannot_be_granted_logging_and_the_error_sits_by_the_field(
    admin_client: Client, mco: Organization
) -> None:
    response = admin_client.post(
        ISSUE, form_data(mco, name="Example MCO sync", can_log_coaching="on")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "can_log_coaching": [
            "Only an IPS provider's system logs milestones or coaching."
        ]
    }
    page = response.content.decode()
    assert 'id="id_can_log_coaching_error"' in page
    assert 'value="Example MCO sync"' in page
    assert not ApiToken.objects.exists()
    assert not User.objects.filter(is_api_client=True).exists()


def test_a_past_expiry_date_or_missing_fields_write_nothing_and_keep_the_input(
    admin_client: Client, provider_a: ProviderSite
) -> None:
    past = admin_client.post(
        ISSUE,
        form_data(
            provider_a.organization,
            name="Example typed name",
            expires_on="2026-11-30",
        ),
    )
    empty = admin_client.post(ISSUE, {"name": "  ", "expires_on": "soon"})

    assert past.status_code == empty.status_code == 200
    assert list(past.context["form"].errors) == ["expires_on"]
    assert 'value="Example typed name"' in past.content.decode()
    assert set(empty.context["form"].errors) == {"organization", "name", "expires_on"}
    assert 'value="soon"' in empty.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_stops_the_token(
    admin_client: Client, issued: IssuedToken, administrator: User
) -> None:
    revoke = reverse("api-tokens:revoke", args=[issued.token.public_id])

    asked = admin_client.get(revoke)
    issued.token.refresh_from_db()
    assert asked.status_code == 200
    assert issued.token.revoked_at is None
    assert "stops working at once" in asked.content.decode()

    done = admin_client.post(revoke)

    assert done.status_code == 302
    assert done["Location"] == reverse(
        "api-tokens:detail", args=[issued.token.public_id]
    )
    issued.token.refresh_from_db()
    assert issued.token.revoked_at == NOW
    assert issued.token.revoked_by == administrator
    api = APIClient().get(
        "/api/v1/members/", HTTP_AUTHORIZATION=f"Bearer {issued.secret}"
    )
    assert api.status_code == 401
    assert "Revoked 12/01/2026" in admin_client.get(LIST).content.decode()


def test_the_tokens_page_lists_its_recent_requests(
    admin_client: Client, issued: IssuedToken
) -> None:
    APIClient().get(
        "/api/v1/members/",
        HTTP_AUTHORIZATION=f"Bearer {issued.secret}",
        REMOTE_ADDR="192.0.2.44",
    )

    page = admin_client.get(
        reverse("api-tokens:detail", args=[issued.token.public_id])
    ).content.decode()

    assert ApiRequest.objects.count() == 1
    assert "<code>/api/v1/members/</code>" in page
    assert "192.0.2.44" in page
    assert ">200<" in page


def test_an_unknown_token_page_is_not_found(admin_client: Client) -> None:
    response = admin_client.get("/api-tokens/00000000-0000-4000-8000-000000000000/")

    assert response.status_code == 404


def test_the_list_and_a_tokens_page_take_the_same_queries_at_any_size(
    admin_client: Client, administrator: User, issued: IssuedToken
) -> None:
    detail = reverse("api-tokens:detail", args=[issued.token.public_id])
    with CaptureQueriesContext(connection) as list_before:
        admin_client.get(LIST)
    with CaptureQueriesContext(connection) as detail_before:
        admin_client.get(detail)

    for number in range(5):
        api_token_issue(
            actor=administrator,
            organization=issued.token.organization,
            name=f"Example system {number}",
        )
        APIClient().get(
            "/api/v1/members/", HTTP_AUTHORIZATION=f"Bearer {issued.secret}"
        )
    with CaptureQueriesContext(connection) as list_after:
        admin_client.get(LIST)
    with CaptureQueriesContext(connection) as detail_after:
        admin_client.get(detail)

    assert len(list_after) == len(list_before)
    assert len(detail_after) == len(detail_before)


def test_nothing_in_the_django_admin_shows_a_tokens_digest() -> None:
    registered = {model._meta.label for model in admin.site._registry}

    assert "api.ApiToken" not in registered
    assert "api.HistoricalApiToken" not in registered
