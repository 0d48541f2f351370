"""The provider page and the directory's link to it."""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from fidelity.services import fidelity_review_void
from providers.models import ProviderSite
from tests.fidelity.helpers import NOT_REVIEWERS, record

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 4, 18, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 12, 4)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def page_of(client: Client, site: ProviderSite) -> str:
    response = client.get(reverse("fidelity:provider", args=[site.slug]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("who", ["reviewer", *NOT_REVIEWERS])
def test_everyone_signed_in_reads_a_provider_page(
    request: pytest.FixtureRequest, client: Client, provider_a: ProviderSite, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))

    page = page_of(client, provider_a)

    assert "<h1>43 North Iowa</h1>" in page
    assert "Cerro Gordo" in page
    assert "Ardith Kellerman" in page


def test_signing_in_comes_first(client: Client, provider_a: ProviderSite) -> None:
    response = client.get(reverse("fidelity:provider", args=[provider_a.slug]))

    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_an_unknown_or_switched_off_provider_is_not_found(
    client: Client, outsider: User, provider_a: ProviderSite
) -> None:
    client.force_login(outsider)
    provider_a.organization.is_active = False
    provider_a.organization.save()

    for slug in ["no-such-provider", provider_a.slug]:
        response = client.get(reverse("fidelity:provider", args=[slug]))
        assert response.status_code == 404


def test_a_provider_without_reviews_says_so(
    client: Client, outsider: User, provider_a: ProviderSite
) -> None:
    client.force_login(outsider)

    page = page_of(client, provider_a)

    assert "No fidelity review on record" in page
    assert "Overdue" not in page


def test_a_review_more_than_a_year_old_shows_as_overdue(
    client: Client, outsider: User, reviewer: User, provider_a: ProviderSite
) -> None:
    # 12/03/2025 is overdue from 12/04/2026, today.
    record(reviewer, provider_a, D(2025, 12, 3), total=104)
    client.force_login(outsider)

    page = page_of(client, provider_a)

    assert "Overdue: last review more than a year ago" in page
    assert "The last review was on 12/03/2025 (104 of 125, good fidelity)" in page
    assert "overdue since 12/04/2026" in page


def test_a_review_365_days_old_is_still_current(
    client: Client, outsider: User, reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2025, 12, 4), total=116)
    client.force_login(outsider)

    page = page_of(client, provider_a)

    assert "Overdue" not in page
    assert "Last review 12/04/2025: 116 of 125, exemplary fidelity" in page
    assert "The next review is due by 12/04/2026." in page


def test_the_history_shows_subtotals_band_and_trend_in_words(
    client: Client, outsider: User, reviewer: User, provider_a: ProviderSite
) -> None:
    first = record(reviewer, provider_a, D(2025, 3, 2), total=91)
    record(reviewer, provider_a, D(2026, 3, 2), total=103)
    client.force_login(outsider)

    page = page_of(client, provider_a)

    assert "Up 12 points" in page
    assert "First review" in page
    assert "Good fidelity" in page and "Fair fidelity" in page
    staffing, organization, services = (s for _, s, _ in first.area_subtotals())
    assert f'<td class="numeric">{staffing}</td>' in page
    assert staffing + organization + services == 91
    assert page.index("03/02/2026") < page.index("03/02/2025")


def test_voided_reviews_are_listed_apart_with_their_reason(
    client: Client, outsider: User, reviewer: User, provider_a: ProviderSite
) -> None:
    wrong = record(reviewer, provider_a, D(2026, 3, 2), total=70)
    fidelity_review_void(actor=reviewer, review=wrong, reason="Wrong provider.")
    client.force_login(outsider)

    page = page_of(client, provider_a)

    assert "No fidelity review on record" in page
    assert "Voided reviews" in page
    assert "Reason: Wrong provider." in page


def test_only_a_reviewer_is_offered_to_record_a_review(
    client: Client, reviewer: User, supervisor: User, provider_a: ProviderSite
) -> None:
    link = reverse("fidelity:record", args=[provider_a.slug])

    client.force_login(reviewer)
    assert link in page_of(client, provider_a)
    client.force_login(supervisor)
    assert link not in page_of(client, provider_a)


def test_the_provider_page_costs_the_same_queries_with_more_reviews(
    client: Client, outsider: User, reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2025, 3, 2))
    client.force_login(outsider)
    url = reverse("fidelity:provider", args=[provider_a.slug])
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    for year in range(2018, 2025):
        record(reviewer, provider_a, D(year, 3, 2))
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


# The directory ----------------------------------------------------------------


def test_the_directory_links_each_provider_page_with_its_fidelity(
    client: Client, case_manager: User, reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2026, 3, 2), total=116)
    record(reviewer, ProviderSite.objects.get(slug="vera-french"), D(2025, 3, 2))
    client.force_login(case_manager)

    page = " ".join(client.get(reverse("providers:directory")).content.decode().split())

    for site in ProviderSite.objects.all():
        assert reverse("fidelity:provider", args=[site.slug]) in page
    assert "Fidelity: exemplary fidelity (116 of 125), reviewed 03/02/2026" in page
    assert "Fidelity review overdue" in page
    assert page.count("No fidelity review on record") == 6


def test_the_directory_costs_the_same_queries_with_more_reviews(
    client: Client, case_manager: User, reviewer: User
) -> None:
    client.force_login(case_manager)
    with CaptureQueriesContext(connection) as none:
        client.get(reverse("providers:directory"))

    for site in ProviderSite.objects.all():
        for year in (2024, 2025, 2026):
            record(reviewer, site, D(year, 3, 2))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("providers:directory"))

    assert len(many) == len(none)
