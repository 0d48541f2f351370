"""Who reads what through the read endpoints: every role, token and outsider.

One member of Wellpoint Iowa in IPS at provider A has one record of every
kind. The member's own people and organizations read them all; the other
MCO's token, provider B's token and people, and filters naming the member
from outside, find nothing: not in lists, not in details (404).
"""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from flags.models import Flag
from flags.sweeps import sweep
from tests.api.conftest import session_client, token_client
from tests.api.read_builders import NOW, TODAY, World, member_with_everything

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(case_manager: User, specialist: User) -> World:
    world = member_with_everything(case_manager, specialist)
    sweep(today=TODAY)
    return world


def lapsed_coaching_flag(world: World) -> uuid.UUID:
    flag = Flag.objects.get(member=world.member, kind=Flag.Kind.COACHING_LAPSED)
    return flag.public_id


# Each endpoint, the id of the world's row there, and whether it filters by
# member.
ROWS: dict[str, tuple[Callable[[World], uuid.UUID], bool]] = {
    "member": (lambda world: world.member.public_id, False),
    "referral": (lambda world: world.referral.public_id, True),
    "authorization": (lambda world: world.authorization.public_id, True),
    "job": (lambda world: world.job.public_id, True),
    "job-end": (lambda world: world.job_end.public_id, True),
    "coaching-authorization": (lambda world: world.coaching_period.public_id, True),
    "flag": (lapsed_coaching_flag, False),
}
ENDPOINTS = list(ROWS)

# The program reviewer reads records across providers but has no flags
# inbox: flags are for the people who act on them.
NO_INBOX = {"reviewer", "state_token"}


def list_url(endpoint: str) -> str:
    return reverse(f"api:{endpoint}-list")


def detail_url(endpoint: str, public_id: uuid.UUID) -> str:
    return reverse(f"api:{endpoint}-detail", args=[public_id])


def ids_in(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def check_grant(client: Any, endpoint: str, world: World, sees: bool) -> None:
    row_id, filters_by_member = ROWS[endpoint]
    public_id = row_id(world)

    listed = ids_in(client.get(list_url(endpoint)))
    assert (str(public_id) in listed) is sees

    detail = client.get(detail_url(endpoint, public_id))
    assert detail.status_code == (200 if sees else 404)
    if sees:
        assert detail.json()["id"] == str(public_id)

    if filters_by_member:
        filtered = client.get(list_url(endpoint), {"member": world.member.public_id})
        assert (str(public_id) in ids_in(filtered)) is sees


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "person", ["case_manager", "specialist", "supervisor", "reviewer"]
)
def test_people_of_the_member_read_it_from_their_session(
    endpoint: str, person: str, world: World, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(person)
    sees = not (endpoint == "flag" and person in NO_INBOX)
    check_grant(session_client(user), endpoint, world, sees)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("token", ["mco_token", "provider_token", "state_token"])
def test_tokens_of_the_members_organization_provider_and_state_read_it(
    endpoint: str, token: str, world: World, request: pytest.FixtureRequest
) -> None:
    secret = request.getfixturevalue(token)
    sees = not (endpoint == "flag" and token in NO_INBOX)
    check_grant(token_client(secret), endpoint, world, sees)


def check_denied(client: Any, endpoint: str, world: World) -> None:
    row_id, filters_by_member = ROWS[endpoint]
    public_id = row_id(world)

    assert ids_in(client.get(list_url(endpoint))) == []
    detail = client.get(detail_url(endpoint, public_id))
    assert detail.status_code == 404
    assert detail.json() == {
        "error": {"status": 404, "code": "not_found", "message": "Not found."}
    }
    if filters_by_member:
        filtered = client.get(list_url(endpoint), {"member": world.member.public_id})
        assert ids_in(filtered) == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("token", ["other_mco_token", "other_provider_token"])
def test_another_mcos_or_providers_token_finds_nothing(
    endpoint: str, token: str, world: World, request: pytest.FixtureRequest
) -> None:
    check_denied(token_client(request.getfixturevalue(token)), endpoint, world)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "person", ["outsider", "outsider_supervisor", "outsider_case_manager"]
)
def test_people_of_another_provider_or_mco_find_nothing(
    endpoint: str, person: str, world: World, request: pytest.FixtureRequest
) -> None:
    check_denied(session_client(request.getfixturevalue(person)), endpoint, world)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_administrator_is_refused(
    endpoint: str, world: World, administrator: User
) -> None:
    client = session_client(administrator)
    public_id = ROWS[endpoint][0](world)

    for url in (list_url(endpoint), detail_url(endpoint, public_id)):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["error"]["status"] == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_requests_get_401_in_the_error_format(
    endpoint: str, world: World, client: Any
) -> None:
    response = client.get(list_url(endpoint))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "error": {
            "status": 401,
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
        }
    }


# Coaching months: a list worked out per member, with no details.

SEPTEMBER = {"month": "2026-09"}


def months_listed(client: Any, **filters: Any) -> list[str]:
    response = client.get(reverse("api:coaching-month-list"), SEPTEMBER | filters)
    assert response.status_code == 200, response.content
    return [row["member"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    "person", ["case_manager", "specialist", "supervisor", "reviewer"]
)
def test_coaching_months_show_the_member_to_its_people(
    person: str, world: World, request: pytest.FixtureRequest
) -> None:
    client = session_client(request.getfixturevalue(person))

    assert months_listed(client) == [str(world.member.public_id)]


@pytest.mark.parametrize("token", ["mco_token", "provider_token", "state_token"])
def test_coaching_months_show_the_member_to_its_tokens(
    token: str, world: World, request: pytest.FixtureRequest
) -> None:
    client = token_client(request.getfixturevalue(token))

    assert months_listed(client) == [str(world.member.public_id)]
    assert months_listed(client, member=world.member.public_id) == [
        str(world.member.public_id)
    ]


@pytest.mark.parametrize("token", ["other_mco_token", "other_provider_token"])
def test_coaching_months_show_nothing_to_outsiders_even_by_member(
    token: str, world: World, request: pytest.FixtureRequest
) -> None:
    client = token_client(request.getfixturevalue(token))

    assert months_listed(client) == []
    assert months_listed(client, member=world.member.public_id) == []


def test_coaching_months_refuse_the_administrator_and_anonymous(
    world: World, administrator: User, client: Any
) -> None:
    url = reverse("api:coaching-month-list")

    assert session_client(administrator).get(url, SEPTEMBER).status_code == 403
    assert client.get(url, SEPTEMBER).status_code == 401
