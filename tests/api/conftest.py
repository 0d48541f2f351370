"""Fixtures for the API: tokens of each kind of organization, and clients.

A token is issued by an administrator, as in the portal, and acts through
its own service account with its organization's scope. The tokens of the
member's organization and provider are granted; the outsiders' tokens (the
other MCO, provider B) are the ones every denial test uses.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Organization, User
from api.tokens import api_token_issue
from providers.models import ProviderSite

IssueToken = Callable[..., str]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Throttle counts and failed-token counts start from zero in each test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issue_token(administrator: User) -> IssueToken:
    """Issue a token for an organization and return its secret."""

    def issue(organization: Organization, **grants: Any) -> str:
        issued = api_token_issue(
            actor=administrator,
            organization=organization,
            name=f"{organization.name} nightly sync (test)",
            **grants,
        )
        return issued.secret

    return issue


def token_client(secret: str) -> APIClient:
    """A client that sends the token with every request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def session_client(user: User) -> APIClient:
    """A client signed in as a person, as from the portal's pages."""
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def mco_token(issue_token: IssueToken, mco: Organization) -> str:
    return issue_token(mco)


@pytest.fixture
def other_mco_token(issue_token: IssueToken, other_mco: Organization) -> str:
    return issue_token(other_mco)


@pytest.fixture
def provider_token(issue_token: IssueToken, provider_a: ProviderSite) -> str:
    return issue_token(provider_a.organization)


@pytest.fixture
def other_provider_token(issue_token: IssueToken, provider_b: ProviderSite) -> str:
    return issue_token(provider_b.organization)


@pytest.fixture
def state_token(issue_token: IssueToken) -> str:
    """A token of the state's center of excellence: reads across providers."""
    return issue_token(Organization.objects.get(kind=Organization.Kind.STATE_PROGRAM))
