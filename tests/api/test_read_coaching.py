"""GET /api/v1/coaching-authorizations/ and /api/v1/coaching-months/."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from coaching.services import coaching_period_authorize
from members.models import Member
from tests.api.conftest import token_client
from tests.api.read_builders import (
    NOW,
    World,
    authorize_coaching,
    log_coaching,
    member_in_ips,
    member_with_everything,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(case_manager: User, specialist: User) -> World:
    return member_with_everything(case_manager, specialist)


@pytest.fixture
def client(mco_token: str) -> Any:
    return token_client(mco_token)


def get(client: Any, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def tier_5(case_manager: User, member: Member) -> None:
    """Tier 5 from Aug 1, covering 30 hours a month."""
    coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=5,
        tier_5_hours=Decimal("30"),
        begins_on=D(2026, 8, 1),
        authorization_number="CO-DEMO-5",
        authorized_on=D(2026, 7, 25),
    )


# Coaching authorizations


def test_a_coaching_authorization_shows_its_tier_code_rate_and_period(
    client: Any, world: World
) -> None:
    period = world.coaching_period
    url = reverse("api:coaching-authorization-detail", args=[period.public_id])

    assert get(client, url) == {
        "id": str(period.public_id),
        "member": str(world.member.public_id),
        "provider": "43-north-iowa",
        "payer": "Wellpoint",
        "tier": 2,
        "code": "H2025",
        "modifier": "U3",
        "tier_5_hours": None,
        "begins_on": "2026-08-01",
        "ends_on": "2026-10-29",
        "authorization_number": "CO-DEMO-7",
        "rate": "436.40",
        "authorized_on": "2026-07-25",
        "updated_at": "2026-12-01T12:00:00-06:00",
    }


def test_a_tier_5_authorization_states_its_hours_and_hourly_rate(
    client: Any, case_manager: User, specialist: User
) -> None:
    tier_5(case_manager, member_in_ips(case_manager, specialist))

    (row,) = get(client, reverse("api:coaching-authorization-list"))["results"]

    assert (row["modifier"], row["tier_5_hours"], row["rate"]) == (
        "UC",
        "30.00",
        "54.51",
    )


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        # The period runs from Aug 1 to Oct 29.
        ({"window_from": "2026-10-29"}, True),
        ({"window_from": "2026-10-30"}, False),
        ({"window_to": "2026-08-01"}, True),
        ({"window_to": "2026-07-31"}, False),
        ({"window_from": "2026-09-01", "window_to": "2026-09-30"}, True),
        ({"payer": "Wellpoint"}, True),
        ({"payer": "IVRS"}, False),
        ({"provider": "43-north-iowa"}, True),
        ({"provider": "robert-young-center"}, False),
    ],
)
def test_coaching_authorization_filters(
    params: dict[str, str], shown: bool, client: Any, world: World
) -> None:
    page = get(client, reverse("api:coaching-authorization-list"), **params)

    expected = [str(world.coaching_period.public_id)] if shown else []
    assert [row["id"] for row in page["results"]] == expected


# Coaching months


def months(client: Any, month: str, **params: Any) -> Any:
    return get(client, reverse("api:coaching-month-list"), month=month, **params)


def test_a_month_shows_minutes_quarter_hours_tiers_amount_and_number(
    client: Any, world: World
) -> None:
    assert months(client, "2026-09") == {
        "next": None,
        "results": [
            {
                "member": str(world.member.public_id),
                "month": "2026-09",
                "minutes": 135,
                "hours": "2.25",
                "contacts": 2,
                "earned_tier": 2,
                "authorized_tier": 2,
                "billable_tier": 2,
                "amount": "436.40",
                "authorization_number": "CO-DEMO-7",
            }
        ],
    }


def test_a_month_with_an_authorization_and_no_coaching_earns_nothing(
    client: Any, world: World
) -> None:
    (row,) = months(client, "2026-10")["results"]

    assert (row["minutes"], row["contacts"], row["authorized_tier"]) == (0, 0, 2)
    assert (row["earned_tier"], row["billable_tier"], row["amount"]) == (
        None,
        None,
        "0.00",
    )


def test_a_month_with_no_authorization_touching_it_lists_no_one(
    client: Any, world: World
) -> None:
    assert months(client, "2026-11")["results"] == []


def test_hours_are_whole_quarter_hours_rounded_down(
    client: Any, case_manager: User, specialist: User
) -> None:
    member = member_in_ips(case_manager, specialist)
    authorize_coaching(case_manager, member)
    log_coaching(specialist, member, D(2026, 9, 2), 100)
    log_coaching(specialist, member, D(2026, 9, 9), 44)  # 144 min: 2 h 24

    (row,) = months(client, "2026-09")["results"]

    assert (row["minutes"], row["hours"], row["earned_tier"]) == (144, "2.25", 2)


def test_27_and_a_half_hours_at_tier_5_pay_1499_03(
    client: Any, case_manager: User, specialist: User
) -> None:
    member = member_in_ips(case_manager, specialist)
    tier_5(case_manager, member)
    for day in range(1, 6):
        log_coaching(specialist, member, D(2026, 9, day), 330)  # 27.5 h in all

    (row,) = months(client, "2026-09")["results"]

    assert (row["hours"], row["billable_tier"], row["amount"]) == (
        "27.50",
        5,
        "1499.03",
    )


@pytest.mark.parametrize(
    "month", [None, "", "2026-9", "2026-13", "0000-01", "09-2026", "2026-09-01"]
)
def test_the_month_is_required_as_yyyy_mm(client: Any, month: str | None) -> None:
    params = {} if month is None else {"month": month}

    response = client.get(reverse("api:coaching-month-list"), params)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "code": "invalid",
            "message": "The request is not valid.",
            "fields": {"month": ["Give the month as YYYY-MM, e.g. 2026-09."]},
        }
    }


def test_months_page_by_member_without_skipping_or_repeating(
    client: Any, case_manager: User, specialist: User
) -> None:
    members = [member_in_ips(case_manager, specialist) for _ in range(5)]
    for member in members:
        authorize_coaching(case_manager, member)

    page = months(client, "2026-09", page_size=2)
    seen = [row["member"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["member"] for row in page["results"]]

    assert seen == sorted(str(member.public_id) for member in members)


def test_months_filter_by_member(
    client: Any, case_manager: User, specialist: User, world: World
) -> None:
    other = member_in_ips(case_manager, specialist)
    authorize_coaching(case_manager, other)

    page = months(client, "2026-09", member=other.public_id)

    assert [row["member"] for row in page["results"]] == [str(other.public_id)]


def test_a_months_cursor_the_api_did_not_give_is_a_400(client: Any) -> None:
    response = client.get(
        reverse("api:coaching-month-list"), {"month": "2026-09", "cursor": "abc"}
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["cursor"]
