"""Property-based requests against the API, generated from its own schema.

Schemathesis reads the OpenAPI schema the code generates and sends each
operation requests built from it — valid and not — through the WSGI app,
as a provider's system with both write grants. Every response must be
documented, match its schema, and never be a server error; what the
schema calls invalid must be refused. Bounded to a
few examples per operation so the run takes a minute or two.
"""

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from accounts.models import User
from providers.models import ProviderSite
from tests.api.conftest import IssueToken
from tests.api.read_builders import member_with_everything

NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)


def generated_schema() -> dict[str, Any]:
    """The schema as GET /api/v1/schema/ serves it, as plain JSON."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return dict(json.loads(OpenApiJsonRenderer().render(raw)))


schema = schemathesis.openapi.from_dict(generated_schema())
schema.app = get_wsgi_application()
schema.location = "/api/v1/schema/"


@pytest.fixture
def connections_kept() -> Iterator[None]:
    """Keep the test's database connection through each request.

    Requests go straight to the WSGI handler, whose request signals close
    a connection that is not in autocommit — on PostgreSQL, the test's
    own transaction. Django's test client unhooks them the same way.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def partner_headers(
    settings: Any,
    connections_kept: None,
    frozen: None,
    issue_token: IssueToken,
    provider_a: ProviderSite,
    case_manager: User,
    specialist: User,
) -> dict[str, str]:
    """A provider's token with both grants, over a member with every record."""
    # Schemathesis also sends bad tokens on purpose, expecting 401 each
    # time; the lockout after repeated failures is tested on its own.
    settings.API_TOKEN_FAILURES_ALLOWED = 1_000_000
    member_with_everything(case_manager, specialist)
    secret = issue_token(
        provider_a.organization, can_log_achievements=True, can_log_coaching=True
    )
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_every_generated_request_as_documented(
    case: Any, partner_headers: dict[str, str]
) -> None:
    # A body the schema allows may still break a rule of the portal (a
    # future date, a milestone already logged): refusing it is right, so
    # only the check that every schema-valid body is accepted is left out.
    case.call_and_validate(
        headers=partner_headers,
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
