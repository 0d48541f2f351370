"""POST /api/v1/coaching-entries/: coaching logged through a token."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organization, User
from api.tokens import IssuedToken, api_token_issue
from billing.services import claim_batch_create
from coaching.models import CoachingEntry
from coaching.services import coaching_period_authorize
from members.models import Member
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date

# Noon in Iowa on December 1, 2026.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
URL = "/api/v1/coaching-entries/"


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


def issue(
    administrator: User, organization: Organization, **grants: bool
) -> IssuedToken:
    return api_token_issue(
        actor=administrator,
        organization=organization,
        name="Example coaching log sync",
        **grants,
    )


@pytest.fixture
def coaching_token(administrator: User, provider_a: ProviderSite) -> IssuedToken:
    return issue(administrator, provider_a.organization, can_log_coaching=True)


def post(secret: str, body: dict[str, Any]) -> Any:
    return APIClient().post(
        URL, body, format="json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )


def entry_body(member: Member, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "member": str(member.public_id),
        "coached_on": "2026-09-03",
        "minutes": 60,
        "kind": "worksite",
        "note": "Went over the new shift schedule.",
    }
    body.update(changes)
    return body


def test_the_url_is_named_in_the_api_namespace() -> None:
    assert reverse("api:coaching-entry-log") == URL


def test_provider_token_with_the_grant_logs_coaching_as_its_service_account(
    coaching_token: IssuedToken, member: Member
) -> None:
    response = post(coaching_token.secret, entry_body(member))

    assert response.status_code == 201
    entry = CoachingEntry.objects.get()
    assert response.json() == {
        "id": str(entry.public_id),
        "member": str(member.public_id),
        "coached_on": "2026-09-03",
        "minutes": 60,
        "kind": "worksite",
        "note": "Went over the new shift schedule.",
        "billable": False,
        "logged_at": response.json()["logged_at"],
    }
    assert entry.logged_by == coaching_token.token.client
    assert entry.history.get().history_user == coaching_token.token.client


def test_coaching_on_a_day_with_an_authorization_in_force_is_billable(
    coaching_token: IssuedToken, member: Member, case_manager: User
) -> None:
    coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=2,
        begins_on=D(2026, 8, 1),
        authorization_number="CO-EXAMPLE-1",
        authorized_on=D(2026, 7, 25),
    )

    inside = post(coaching_token.secret, entry_body(member, coached_on="2026-10-29"))
    after = post(coaching_token.secret, entry_body(member, coached_on="2026-10-30"))

    # August 1 + 89 days is October 29, the period's last day.
    assert inside.json()["billable"] is True
    assert after.json()["billable"] is False


def test_a_future_date_and_a_day_over_24_hours_are_refused_by_field(
    coaching_token: IssuedToken, member: Member
) -> None:
    tomorrow = post(coaching_token.secret, entry_body(member, coached_on="2026-12-02"))
    post(coaching_token.secret, entry_body(member, minutes=1400))
    too_long = post(coaching_token.secret, entry_body(member, minutes=41))

    assert tomorrow.status_code == 400
    assert list(tomorrow.json()["error"]["fields"]) == ["coached_on"]
    assert too_long.status_code == 400
    assert "1,440" in too_long.json()["error"]["fields"]["minutes"][0]
    assert CoachingEntry.objects.count() == 1


def test_a_day_before_the_member_joined_ips_is_refused_by_field(
    coaching_token: IssuedToken, member: Member
) -> None:
    # The member joined IPS on 01/10/2026.
    for day in ("2025-05-15", "2026-01-09", "0001-01-01"):
        response = post(coaching_token.secret, entry_body(member, coached_on=day))

        assert response.status_code == 400, day
        assert response.json()["error"]["fields"] == {
            "coached_on": [
                "The date cannot be before the member joined IPS (01/10/2026)."
            ]
        }
    assert not CoachingEntry.objects.exists()


def test_a_day_before_the_first_fee_schedule_is_refused_by_field(
    coaching_token: IssuedToken,
    case_manager: User,
    specialist: User,
    provider_a: ProviderSite,
) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(
        member=member,
        provider=provider_a,
        specialist=specialist,
        opened_on=D(2025, 4, 1),
    )

    response = post(coaching_token.secret, entry_body(member, coached_on="2025-06-30"))

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "coached_on": [
            "No fee schedule is in force on 06/30/2025: the first schedule begins "
            "07/01/2025."
        ]
    }
    assert not CoachingEntry.objects.exists()


def test_an_unknown_kind_and_fields_that_set_ownership_are_refused(
    coaching_token: IssuedToken, member: Member, specialist: User
) -> None:
    response = post(
        coaching_token.secret,
        entry_body(member, kind="carrier pigeon", logged_by=specialist.pk),
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"logged_by"}
    kind = post(coaching_token.secret, entry_body(member, kind="carrier pigeon"))
    assert set(kind.json()["error"]["fields"]) == {"kind"}
    assert not CoachingEntry.objects.exists()


def test_provider_token_without_the_coaching_grant_gets_403(
    administrator: User, provider_a: ProviderSite, member: Member
) -> None:
    achievements_only = issue(
        administrator, provider_a.organization, can_log_achievements=True
    )

    response = post(achievements_only.secret, entry_body(member))

    assert response.status_code == 403
    assert not CoachingEntry.objects.exists()


def test_an_mco_token_gets_403(
    administrator: User, mco: Organization, member: Member
) -> None:
    response = post(issue(administrator, mco).secret, entry_body(member))

    assert response.status_code == 403
    assert not CoachingEntry.objects.exists()


def test_another_providers_token_gets_the_same_404_as_for_no_member(
    administrator: User, provider_b: ProviderSite, member: Member
) -> None:
    outsider = issue(administrator, provider_b.organization, can_log_coaching=True)

    theirs = post(outsider.secret, entry_body(member))
    nobody = post(
        outsider.secret,
        entry_body(member) | {"member": "00000000-0000-4000-8000-000000000000"},
    )

    assert theirs.status_code == 404
    assert theirs.json() == nobody.json()
    assert not CoachingEntry.objects.exists()


def test_a_case_manager_signed_in_gets_403(case_manager: User, member: Member) -> None:
    client = APIClient()
    client.force_login(case_manager)

    response = client.post(URL, entry_body(member), format="json")

    assert response.status_code == 403
    assert not CoachingEntry.objects.exists()


def test_coaching_in_a_month_already_billed_needs_a_reason_through_the_api_too(
    coaching_token: IssuedToken,
    member: Member,
    case_manager: User,
    supervisor: User,
    provider_a: ProviderSite,
) -> None:
    coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=2,
        begins_on=D(2026, 9, 1),
        authorization_number="CO-2026-9",
        authorized_on=D(2026, 8, 25),
    )
    assert post(coaching_token.secret, entry_body(member, minutes=180)).status_code == (
        201
    )
    assert claim_batch_create(
        actor=supervisor, provider=provider_a, month=D(2026, 9, 1)
    )

    refused = post(coaching_token.secret, entry_body(member, coached_on="2026-09-29"))
    kept = post(
        coaching_token.secret,
        entry_body(member, coached_on="2026-09-29", after_billing_reason="Late notes."),
    )

    assert refused.status_code == 400
    assert (
        "already billed" in refused.json()["error"]["fields"]["after_billing_reason"][0]
    )
    assert kept.status_code == 201
    assert CoachingEntry.objects.filter(member=member).count() == 2
