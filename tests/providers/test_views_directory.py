import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from api.tokens import api_token_issue
from providers.models import County, ProviderSite
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def directory(client: Client, county: str = "") -> dict:
    url = reverse("providers:directory")
    if county:
        url += f"?county={County.objects.get(name=county).fips_code}"
    return client.get(url).context


def names(sites: list) -> list[str]:
    return sorted(site.slug for site in sites)


def test_a_county_filter_shows_the_providers_serving_it(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    scott = directory(client, "Scott")["suggestions"]

    assert names(scott.serving) == ["robert-young-center", "vera-french"]


def test_a_county_without_a_current_provider_lists_planned_then_all(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    response = client.get(
        reverse("providers:directory")
        + f"?county={County.objects.get(name='Dubuque').fips_code}"
    )
    suggestions = response.context["suggestions"]

    assert suggestions.serving == []
    assert names(suggestions.planned) == ["goodwill-ne-iowa"]
    assert len(suggestions.others) == 7
    assert "No IPS provider serves Dubuque County yet" in response.content.decode()


def test_a_county_nobody_plans_to_serve_lists_all_providers(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    adair = directory(client, "Adair")["suggestions"]

    assert adair.serving == adair.planned == []
    assert len(adair.others) == 8


def test_the_directory_shows_staff_and_contacts(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    page = client.get(reverse("providers:directory")).content.decode()

    assert "Ardith Kellerman" in page
    assert "IPS supervisor" in page
    assert "515-555-0101" in page


def test_an_unknown_county_code_shows_everyone_and_says_so(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    response = client.get(reverse("providers:directory") + "?county=99999")

    assert response.context["county_not_found"]
    assert len(response.context["sites"]) == 8


def test_directory_queries_do_not_grow_with_staff(
    client: Client, case_manager: User, provider_a: object
) -> None:
    client.force_login(case_manager)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("providers:directory"))

    UserFactory.create_batch(
        5, organization=provider_a.organization, role=User.Role.IPS_SPECIALIST
    )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("providers:directory"))

    assert len(after) == len(before)


@pytest.mark.parametrize("typed", ["Polk", "polk county", "Dickenson"])
def test_a_county_name_in_the_address_works_too(
    client: Client, case_manager: User, typed: str
) -> None:
    client.force_login(case_manager)

    response = client.get(reverse("providers:directory"), {"county": typed})

    assert response.context["county"] is not None
    assert not response.context["county_not_found"]


@pytest.mark.django_db
def test_an_api_tokens_service_account_is_no_ones_colleague_on_the_directory(
    client: Client, administrator: User, provider_a: ProviderSite
) -> None:
    issued = api_token_issue(
        actor=administrator,
        organization=provider_a.organization,
        name="Nightly billing export",
    )
    client.force_login(UserFactory(role=User.Role.CASE_MANAGER))

    directory_page = client.get(reverse("providers:directory")).content.decode()
    provider_page = client.get(
        reverse("fidelity:provider", args=[provider_a.slug])
    ).content.decode()

    assert issued.token.client.get_full_name() not in directory_page
    assert "Nightly billing export" not in directory_page
    assert "Nightly billing export" not in provider_page
