import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_member_list_queries_do_not_grow_with_members(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)
    MemberFactory.create_batch(3, managing_organization=case_manager.organization)
    few = count_queries(client, reverse("members:list"))

    MemberFactory.create_batch(40, managing_organization=case_manager.organization)
    many = count_queries(client, reverse("members:list"))

    assert few == many


def test_search_by_medicaid_id_in_any_case(client: Client, case_manager: User) -> None:
    wanted = MemberFactory(
        managing_organization=case_manager.organization, medicaid_id="1234567A"
    )
    MemberFactory(managing_organization=case_manager.organization)
    client.force_login(case_manager)

    client.post(reverse("members:list"), {"search": "1234567a"})

    assert list(client.get(reverse("members:list")).context["page"]) == [wanted]


def test_search_by_first_and_last_name(client: Client, case_manager: User) -> None:
    wanted = MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Ludmila",
        last_name="Ferncastle",
    )
    MemberFactory(managing_organization=case_manager.organization, first_name="Ludmila")
    client.force_login(case_manager)

    client.post(reverse("members:list"), {"search": "ludmila fern"})

    assert list(client.get(reverse("members:list")).context["page"]) == [wanted]


def test_search_never_reaches_outside_the_scope(
    client: Client, case_manager: User, outsider_case_manager: User
) -> None:
    MemberFactory(
        managing_organization=outsider_case_manager.organization, medicaid_id="7777777Z"
    )
    client.force_login(case_manager)

    client.post(reverse("members:list"), {"search": "7777777Z"})
    response = client.get(reverse("members:list"))

    assert list(response.context["page"]) == []
    assert "No member you can see matches" in response.content.decode()


@pytest.mark.parametrize(
    ("search", "first_name", "last_name"),
    [
        ("zoe", "Zoë", "Lindqvist"),
        ("ZOË lind", "Zoë", "Lindqvist"),
        ("nguyen", "Lan", "Nguyễn"),
        ("NGUYỄN", "Lan", "Nguyễn"),
        ("jose maria", "José María", "Quintero"),
        ("O\u2019Brien", "Sinead", "O'Brien"),
        ("obrien", "Sinead", "O'Brien"),
        ("ortega baines", "Luis", "Ortega-Baines"),
        # As the lists show a name.
        ("Nguyễn, Lan", "Lan", "Nguyễn"),
        ("Ortega-Baines,Luis", "Luis", "Ortega-Baines"),
    ],
)
def test_name_search_ignores_accents_case_and_apostrophes(
    client: Client, case_manager: User, search: str, first_name: str, last_name: str
) -> None:
    wanted = MemberFactory(
        managing_organization=case_manager.organization,
        first_name=first_name,
        last_name=last_name,
    )
    MemberFactory(managing_organization=case_manager.organization)
    client.force_login(case_manager)

    client.post(reverse("members:list"), {"search": search})

    assert list(client.get(reverse("members:list")).context["page"]) == [wanted]


def test_a_search_too_long_says_so_next_to_the_box(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    response = client.post(reverse("members:list"), {"search": "x" * 101})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_search_error"' in page
    assert "at most 100 characters" in page
