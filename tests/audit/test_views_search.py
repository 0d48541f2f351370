"""The reviewers' search of the access log: by who, by member, by Iowa date.

A search is posted, never put in an address: it may name a member.
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organization, User
from api.tokens import api_token_issue
from audit.models import AccessEvent
from members.models import Member
from tests.audit.helpers import read_now, reads_by
from tests.factories import EpisodeFactory, MemberFactory, UserFactory
from tests.pages import errors_next_to_named as errors_next_to

pytestmark = pytest.mark.django_db

URL = reverse("audit:search")
UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def in_ips(case_manager: User, **fields: Any) -> Member:
    """A member of the case manager's MCO with an episode: reviewers see them."""
    member = MemberFactory(managing_organization=case_manager.organization, **fields)
    EpisodeFactory(member=member)
    return member


def read_at(moment: datetime.datetime, user: User, members: list[Member]) -> None:
    with time_machine.travel(moment, tick=False):
        read_now(user, members)


def shown(response: Any) -> list[AccessEvent]:
    return list(response.context["page"])


@pytest.fixture
def reviewing(client: Client, reviewer: User) -> Client:
    client.force_login(reviewer)
    return client


# Who may search


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize(
    "role", ["specialist", "supervisor", "case_manager", "administrator"]
)
def test_everyone_but_reviewers_is_refused(
    client: Client, role: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"who": "x"}).status_code == 403


def test_only_reviewers_see_the_access_log_in_the_navigation(
    client: Client, reviewer: User, case_manager: User
) -> None:
    client.force_login(case_manager)
    assert URL not in client.get(reverse("accounts:home")).content.decode()

    client.force_login(reviewer)
    assert f'href="{URL}"' in client.get(reverse("accounts:home")).content.decode()


# What it finds


def test_the_page_lists_the_newest_reads_first(
    reviewing: Client, case_manager: User
) -> None:
    member = in_ips(case_manager)
    read_at(NOW - datetime.timedelta(days=2), case_manager, [member])
    read_at(NOW - datetime.timedelta(days=1), case_manager, [member])

    events = shown(reviewing.get(URL))

    assert [event.read_at.date() for event in events] == [
        datetime.date(2026, 11, 19),
        datetime.date(2026, 11, 18),
    ]


def test_the_search_form_is_posted_so_no_member_name_reaches_an_address(
    reviewing: Client,
) -> None:
    page = reviewing.get(URL).content.decode()

    assert '<form method="post"' in page
    assert 'id="access-search"' in page


def test_a_search_by_who_matches_usernames_and_names(
    reviewing: Client, case_manager: User, supervisor: User
) -> None:
    member = in_ips(case_manager)
    case_manager.first_name, case_manager.last_name = "Marisol", "Oyelaran"
    case_manager.save()
    read_now(case_manager, [member])
    read_now(supervisor, [member])

    by_name = shown(reviewing.post(URL, {"who": "marisol oyelaran"}))
    by_username = shown(reviewing.post(URL, {"who": supervisor.username}))

    assert [event.user for event in by_name] == [case_manager]
    assert [event.user for event in by_username] == [supervisor]


def test_a_read_made_with_a_token_is_found_and_shown_by_the_tokens_name(
    reviewing: Client, administrator: User, case_manager: User
) -> None:
    member = in_ips(case_manager)
    issued = api_token_issue(
        actor=administrator,
        organization=Organization.objects.get(name="Wellpoint Iowa"),
        name="Wellpoint nightly sync",
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    client.get(f"/api/v1/members/{member.public_id}/")

    response = reviewing.post(URL, {"who": "nightly"})

    assert [event.token for event in shown(response)] == [issued.token]
    assert "API token “Wellpoint nightly sync”" in response.content.decode()
    assert "API: read a member" in response.content.decode()


def test_a_search_by_the_members_public_id_keeps_the_reads_that_showed_them(
    reviewing: Client, reviewer: User, case_manager: User
) -> None:
    wanted, other = in_ips(case_manager), in_ips(case_manager)
    read_now(case_manager, [wanted, other], purpose="member.list")
    read_now(case_manager, [other])

    response = reviewing.post(URL, {"member": f"  {wanted.public_id}  "})

    assert [event.purpose for event in shown(response)] == ["member.list"]
    assert reverse("audit:member", args=[wanted.public_id]) in response.content.decode()
    # Naming the member on this page is a read of them too.
    assert reads_by(reviewer) == [("audit.search", [wanted.pk])]


def test_a_search_by_name_ignores_accents_and_case(
    reviewing: Client, case_manager: User
) -> None:
    wanted = in_ips(case_manager, first_name="Thảo", last_name="Nguyễn")
    read_now(case_manager, [wanted])
    read_now(case_manager, [in_ips(case_manager)])

    response = reviewing.post(URL, {"member": "thao NGUYEN"})

    assert [event.member_count for event in shown(response)] == [1]
    assert response.context["members_named"] == [wanted]


def test_a_member_outside_the_reviewers_scope_is_found_once_the_log_names_them(
    reviewing: Client, case_manager: User
) -> None:
    # Never in IPS: reviewers do not see the record itself, but a case
    # manager's read of it is still theirs to audit.
    never_referred = MemberFactory(
        managing_organization=case_manager.organization, last_name="Quillfeather"
    )
    read_now(case_manager, [never_referred])

    by_name = reviewing.post(URL, {"member": "quillfeather"})
    by_id = reviewing.post(URL, {"member": str(never_referred.public_id)})

    for response in (by_name, by_id):
        assert response.status_code == 200
        assert response.context["members_named"] == [never_referred]
    assert [event.user for event in shown(by_name)] == [case_manager]
    # The first search is itself a read of the member, found by the second.
    assert [event.user for event in shown(by_id)][-1] == case_manager


def test_a_member_neither_in_scope_nor_in_the_log_is_not_found(
    reviewing: Client, case_manager: User
) -> None:
    never_read = MemberFactory(managing_organization=case_manager.organization)

    response = reviewing.post(URL, {"member": str(never_read.public_id)})

    assert response.status_code == 200
    assert shown(response) == []
    assert errors_next_to(response.content.decode(), "member") == (
        "No member in the access log or in your scope matches this."
    )


# Iowa's 11/01/2026 runs from 05:00 UTC (still daylight time) to 06:00 UTC
# on 11/02 (standard time): the clocks fell back an hour that night.
@pytest.mark.parametrize(
    ("moment", "is_in"),
    [
        (datetime.datetime(2026, 11, 1, 4, 59, 59, tzinfo=UTC), False),
        (datetime.datetime(2026, 11, 1, 5, 0, tzinfo=UTC), True),
        (datetime.datetime(2026, 11, 2, 5, 59, 59, tzinfo=UTC), True),
        (datetime.datetime(2026, 11, 2, 6, 0, tzinfo=UTC), False),
    ],
)
def test_a_date_search_takes_whole_iowa_days_on_the_day_clocks_fall_back(
    reviewing: Client, case_manager: User, moment: datetime.datetime, is_in: bool
) -> None:
    read_at(moment, case_manager, [in_ips(case_manager)])

    response = reviewing.post(URL, {"from_on": "2026-11-01", "to_on": "11/01/2026"})

    assert len(shown(response)) == (1 if is_in else 0)


def test_bad_dates_are_answered_next_to_their_fields(reviewing: Client) -> None:
    response = reviewing.post(
        URL, {"from_on": "2026-11-05", "to_on": "2026-11-01", "who": ""}
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert errors_next_to(page, "to_on") == "The last day is on or after the first."

    page = reviewing.post(URL, {"from_on": "not a date"}).content.decode()
    assert errors_next_to(page, "from_on") == "Enter a date like 05/29/2026."


def test_the_next_page_is_posted_with_the_search(
    reviewing: Client, case_manager: User, supervisor: User
) -> None:
    member = in_ips(case_manager)
    for _ in range(53):
        read_now(case_manager, [member])
    read_now(supervisor, [member])

    first = reviewing.post(URL, {"who": case_manager.username})
    second = reviewing.post(URL, {"who": case_manager.username, "page": "2"})

    assert len(shown(first)) == 50
    assert len(shown(second)) == 3
    assert {event.user for event in shown(second)} == {case_manager}
    assert 'form="access-search" name="page" value="2"' in " ".join(
        first.content.decode().split()
    )


def count_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.post(URL, {}).status_code == 200
    return len(queries)


def test_a_page_of_reads_costs_the_same_queries_for_3_and_40_people(
    reviewing: Client, case_manager: User
) -> None:
    member = in_ips(case_manager)

    def reads_by_new_people(how_many: int) -> None:
        for _ in range(how_many):
            person = UserFactory(organization=case_manager.organization)
            read_now(person, [member])

    reads_by_new_people(3)
    few = count_queries(reviewing)
    reads_by_new_people(37)
    many = count_queries(reviewing)

    assert few == many
