"""GET /api/v1/referrals/: referrals in scope, with the provider they went to."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from providers.models import ProviderSite
from referrals.models import Referral
from referrals.services import referral_redirect
from tests.api.conftest import token_client
from tests.api.read_builders import NOW, member_in_ips
from tests.factories import MemberFactory, ReferralFactory

pytestmark = pytest.mark.django_db
LATER = NOW + datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def accepted(case_manager: User, specialist: User) -> Referral:
    return member_in_ips(case_manager, specialist).referrals.get()


@pytest.fixture
def waiting(case_manager: User, provider_a: ProviderSite) -> Referral:
    member = MemberFactory(
        managing_organization=case_manager.organization, case_manager=case_manager
    )
    return ReferralFactory(member=member, provider=provider_a, referred_by=case_manager)


def listed(client: Any, **params: Any) -> list[str]:
    response = client.get(reverse("api:referral-list"), params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_a_referral_shows_its_member_provider_status_and_dates(
    mco_token: str, accepted: Referral
) -> None:
    response = token_client(mco_token).get(
        reverse("api:referral-detail", args=[accepted.public_id])
    )

    assert response.json() == {
        "id": str(accepted.public_id),
        "member": str(accepted.member.public_id),
        "provider": {"slug": "43-north-iowa", "name": "43 North Iowa"},
        "status": "accepted",
        "referred_on": "2026-01-07",
        "responded_at": None,
        "updated_at": "2026-12-01T12:00:00-06:00",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "pending"}, ["waiting"]),
        ({"status": "accepted"}, ["accepted"]),
        ({"status": "withdrawn"}, []),
        ({"provider": "43-north-iowa"}, ["accepted", "waiting"]),
        ({"provider": "robert-young-center"}, []),
    ],
)
def test_filters(
    params: dict[str, str],
    expected: list[str],
    mco_token: str,
    accepted: Referral,
    waiting: Referral,
) -> None:
    referrals = {"accepted": accepted, "waiting": waiting}

    shown = listed(token_client(mco_token), **params)

    assert sorted(shown) == sorted(str(referrals[name].public_id) for name in expected)


def test_filtering_by_member_shows_that_members_referrals_only(
    mco_token: str, accepted: Referral, waiting: Referral
) -> None:
    client = token_client(mco_token)

    assert listed(client, member=waiting.member.public_id) == [str(waiting.public_id)]


def test_an_unknown_status_is_a_400(mco_token: str) -> None:
    response = token_client(mco_token).get(
        reverse("api:referral-list"), {"status": "declined"}
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["status"]


def test_a_redirected_referral_stays_with_the_provider_that_answered_it(
    supervisor: User,
    provider_b: ProviderSite,
    provider_token: str,
    other_provider_token: str,
    waiting: Referral,
    clock: time_machine.Traveller,
) -> None:
    clock.move_to(LATER)
    referral_redirect(
        actor=supervisor,
        referral=waiting,
        provider=provider_b,
        reason="The member moved to Scott County.",
    )
    onward = Referral.objects.get(member=waiting.member, provider=provider_b)

    provider_a_sees = token_client(provider_token).get(
        reverse("api:referral-list"), {"updated_since": LATER.isoformat()}
    )
    (row,) = provider_a_sees.json()["results"]
    assert (row["id"], row["status"]) == (str(waiting.public_id), "redirected")
    assert row["responded_at"] == "2026-12-01T13:00:00-06:00"
    assert listed(token_client(other_provider_token)) == [str(onward.public_id)]


def test_the_employment_conversation_is_not_shown(
    mco_token: str, accepted: Referral
) -> None:
    Referral.objects.filter(pk=accepted.pk).update(
        job_hopes="Work with animals.", concerns="Losing benefits."
    )

    response = token_client(mco_token).get(reverse("api:referral-list"))

    assert "Work with animals." not in response.content.decode()
    assert "job_hopes" not in response.json()["results"][0]
