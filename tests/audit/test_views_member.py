"""A member's page of who has looked at their record.

The member's case managers, their provider's supervisors and the reviewers
see it, each within their member scope; out of scope is 404 as everywhere.
Specialists are refused. Opening the page is itself a recorded read.
"""

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from api.tokens import api_token_issue
from audit.models import AccessEvent
from members.models import Member
from tests.audit.helpers import read_now, reads_by
from tests.factories import EpisodeFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: Any) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


def url_of(member: Member) -> str:
    return reverse("audit:member", args=[member.public_id])


def text_of(page: str) -> str:
    """The page's words as a person reads them, tags left out."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["case_manager", "supervisor", "reviewer"])
def test_the_people_answerable_for_the_member_see_the_page(
    member: Member, role: str, request: pytest.FixtureRequest
) -> None:
    assert (
        signed_in(request.getfixturevalue(role)).get(url_of(member)).status_code == 200
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("specialist", 403),
        ("administrator", 403),
        ("outsider", 403),
        ("outsider_supervisor", 404),
        ("outsider_case_manager", 404),
    ],
)
def test_specialists_are_refused_and_others_out_of_scope_find_nothing(
    member: Member, role: str, status: int, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)

    assert signed_in(user).get(url_of(member)).status_code == status
    assert reads_by(user) == []


def test_reviewers_see_who_looked_at_a_member_outside_their_scope_the_log_names(
    case_manager: User, reviewer: User
) -> None:
    never_referred = MemberFactory(managing_organization=case_manager.organization)
    never_read = MemberFactory(managing_organization=case_manager.organization)
    read_now(case_manager, [never_referred])

    response = signed_in(reviewer).get(url_of(never_referred))

    assert response.status_code == 200
    assert [event.user for event in response.context["page"]] == [
        reviewer,
        case_manager,
    ]
    member_link = f'href="{reverse("members:detail", args=[never_referred.public_id])}"'
    assert member_link not in response.content.decode()
    assert signed_in(reviewer).get(url_of(never_read)).status_code == 404
    # The record itself stays out of the reviewer's reach.
    member_page = reverse("members:detail", args=[never_referred.public_id])
    assert signed_in(reviewer).get(member_page).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(
    client: Client, member: Member
) -> None:
    response = client.get(url_of(member))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_page_lists_the_reads_of_this_member_with_itself_first(
    member: Member, case_manager: User, specialist: User, supervisor: User
) -> None:
    someone_else = MemberFactory(managing_organization=case_manager.organization)
    with time_machine.travel(NOW - datetime.timedelta(hours=2), tick=False):
        read_now(specialist, [member, someone_else], purpose="member.list")
    with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
        read_now(case_manager, [someone_else])

    response = signed_in(supervisor).get(url_of(member), REMOTE_ADDR="192.0.2.30")

    events = list(response.context["page"])
    assert [(event.user, event.purpose) for event in events] == [
        (supervisor, "audit.member"),
        (specialist, "member.list"),
    ]
    assert events[0].path == url_of(member)
    page = text_of(response.content.decode())
    assert "Listed members Shown with 1 other member" in page
    assert "192.0.2.30" in page
    assert reads_by(supervisor) == [("audit.member", [member.pk])]


def test_a_read_through_the_api_names_its_token(
    member: Member, case_manager: User, administrator: User
) -> None:
    assert case_manager.organization is not None
    issued = api_token_issue(
        actor=administrator,
        organization=case_manager.organization,
        name="Wellpoint nightly sync",
    )
    Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}").get("/api/v1/members/")

    page = signed_in(case_manager).get(url_of(member)).content.decode()

    assert "API token “Wellpoint nightly sync”" in page
    assert "API: listed members" in page


def test_the_page_costs_the_same_queries_for_3_and_40_reads(
    member: Member, case_manager: User
) -> None:
    def reads_by_new_people(how_many: int) -> None:
        for _ in range(how_many):
            read_now(UserFactory(organization=case_manager.organization), [member])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_of(member)).status_code == 200
        return len(queries)

    client = signed_in(case_manager)
    reads_by_new_people(3)
    few = count_queries()
    reads_by_new_people(37)
    many = count_queries()

    assert few == many
    assert AccessEvent.objects.count() == 42


@pytest.mark.parametrize(
    ("role", "has_link"),
    [
        ("case_manager", True),
        ("supervisor", True),
        ("reviewer", True),
        ("specialist", False),
    ],
)
def test_the_member_page_links_to_who_has_looked_for_those_who_may_see_it(
    member: Member, role: str, has_link: bool, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(role))

    page = client.get(reverse("members:detail", args=[member.public_id]))

    assert page.status_code == 200
    assert (f'href="{url_of(member)}"' in page.content.decode()) is has_link
