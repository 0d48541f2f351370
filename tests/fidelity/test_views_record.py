"""The reviewer's form to record a fidelity review."""

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from fidelity.models import FidelityReview
from fidelity.rules import ITEM_KEYS
from providers.models import ProviderSite
from tests.fidelity.helpers import NOT_REVIEWERS, record, scores
from tests.pages import errors_next_to, errors_next_to_named

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def url(site: ProviderSite) -> str:
    return reverse("fidelity:record", args=[site.slug])


def filled(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reviewed_on": "2026-11-20",
        "reviewers": "Ada Brennholt and Tomasz Wierzbicki",
        "notes": "Weekly job development meetings.",
        **scores(104),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_has_three_areas_of_labelled_one_to_five_choices(
    client: Client, reviewer: User, provider_a: ProviderSite
) -> None:
    client.force_login(reviewer)

    page = client.get(url(provider_a)).content.decode()

    assert page.count('<fieldset class="card fidelity-area">') == 3
    assert page.count('type="radio"') == 125
    assert '<label class="score__option" for="id_caseload_size_0">' in page
    assert "Assertive engagement and outreach" in page
    assert 'value="2026-12-01"' in page  # today in Iowa


def test_a_complete_review_is_saved_and_shown(
    client: Client, reviewer: User, provider_a: ProviderSite
) -> None:
    client.force_login(reviewer)

    response = client.post(url(provider_a), filled(), follow=True)

    review = FidelityReview.objects.get()
    assert (review.provider, review.total, review.band) == (provider_a, 104, "good")
    assert review.reviewed_on == D(2026, 11, 20)
    assert response.redirect_chain[-1][0] == reverse(
        "fidelity:review", args=[review.public_id]
    )
    assert "Fidelity review recorded: 104 of 125, good fidelity." in (
        response.content.decode()
    )


def test_missing_scores_are_marked_at_their_items_and_nothing_is_saved(
    client: Client, reviewer: User, provider_a: ProviderSite
) -> None:
    client.force_login(reviewer)

    response = client.post(
        url(provider_a), filled(disclosure=None, zero_exclusion=None)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert not FidelityReview.objects.exists()
    assert errors_next_to(page, "id_disclosure_0") == "Score “Disclosure” from 1 to 5."
    assert (
        errors_next_to(page, "id_zero_exclusion_0")
        == "Score “Zero exclusion” from 1 to 5."
    )
    assert errors_next_to(page, "id_caseload_size_0") == ""
    assert "2 items still need a score from 1 to 5." in page
    assert 'aria-describedby="id_disclosure_error"' in page


def test_what_was_typed_and_chosen_is_kept_after_an_error(
    client: Client, reviewer: User, provider_a: ProviderSite
) -> None:
    client.force_login(reviewer)

    page = client.post(
        url(provider_a), filled(disclosure=None, caseload_size=2)
    ).content.decode()

    assert 'value="Ada Brennholt and Tomasz Wierzbicki"' in page
    assert "Weekly job development meetings." in page
    assert 'value="2026-11-20"' in page
    checked = re.search(r'<input[^>]*name="caseload_size"[^>]*checked[^>]*>', page)
    assert checked is not None and 'value="2"' in checked[0]
    assert not re.search(r'<input[^>]*name="disclosure"[^>]*checked', page)


def test_a_score_outside_the_choices_is_refused_at_its_item(
    client: Client, reviewer: User, provider_a: ProviderSite
) -> None:
    client.force_login(reviewer)

    page = client.post(url(provider_a), filled(competitive_jobs="6")).content.decode()

    assert "Select a valid choice" in errors_next_to(page, "id_competitive_jobs_0")
    assert not FidelityReview.objects.exists()


def test_a_future_date_is_shown_with_the_missing_scores(
    client: Client, reviewer: User, provider_a: ProviderSite
) -> None:
    client.force_login(reviewer)

    page = client.post(
        url(provider_a), filled(reviewed_on="2026-12-02", disclosure=None)
    ).content.decode()

    assert (
        errors_next_to_named(page, "reviewed_on")
        == "The review date cannot be in the future."
    )
    assert errors_next_to(page, "id_disclosure_0") != ""


def test_a_second_review_of_the_day_is_refused_next_to_the_date(
    client: Client, reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2026, 11, 20))
    client.force_login(reviewer)

    page = client.post(url(provider_a), filled()).content.decode()

    assert (
        errors_next_to_named(page, "reviewed_on")
        == "This provider already has a review on that date."
    )
    assert FidelityReview.objects.count() == 1


def test_reviewers_must_be_named(
    client: Client, reviewer: User, provider_a: ProviderSite
) -> None:
    client.force_login(reviewer)

    page = client.post(url(provider_a), filled(reviewers="")).content.decode()

    assert errors_next_to_named(page, "reviewers") == "This field is required."


@pytest.mark.parametrize("who", NOT_REVIEWERS)
def test_only_a_reviewer_may_open_or_post_the_form(
    request: pytest.FixtureRequest, client: Client, provider_a: ProviderSite, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(provider_a)).status_code == 403
    assert client.post(url(provider_a), filled()).status_code == 403
    assert not FidelityReview.objects.exists()


def test_an_unknown_provider_is_not_found(client: Client, reviewer: User) -> None:
    client.force_login(reviewer)

    response = client.get(reverse("fidelity:record", args=["no-such-provider"]))

    assert response.status_code == 404


def test_every_item_has_a_field_named_by_its_key(
    client: Client, reviewer: User, provider_a: ProviderSite
) -> None:
    client.force_login(reviewer)

    page = client.get(url(provider_a)).content.decode()

    for key in ITEM_KEYS:
        assert page.count(f'name="{key}"') == 5
