"""A review's page with all 25 scores, and voiding it."""

import datetime
import uuid
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from fidelity.models import FidelityReview
from fidelity.rules import ITEMS
from providers.models import ProviderSite
from tests.fidelity.helpers import NOT_REVIEWERS, record, scores
from tests.pages import errors_next_to_named

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def review(reviewer: User, provider_a: ProviderSite) -> FidelityReview:
    return record(
        reviewer,
        provider_a,
        D(2026, 3, 2),
        scores=scores(100, caseload_size=1, assertive_engagement=5),
        notes="Benefits planning for everyone who asks.",
    )


def text_of(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("who", ["reviewer", *NOT_REVIEWERS])
def test_everyone_signed_in_reads_all_25_scores_by_area(
    request: pytest.FixtureRequest, client: Client, review: FidelityReview, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))

    page = text_of(client, reverse("fidelity:review", args=[review.public_id]))

    for item in ITEMS:
        assert f"{item.number}. {item.label}" in page.replace("&#x27;", "'")
    assert 'Staffing: 9 <span class="muted">of 15</span>' in page
    assert "98 of 125" in page
    assert "Fair fidelity" in page
    assert "Benefits planning for everyone who asks." in page


def test_an_unknown_review_is_not_found(client: Client, reviewer: User) -> None:
    client.force_login(reviewer)

    for name in ("fidelity:review", "fidelity:void"):
        response = client.get(reverse(name, args=[uuid.uuid4()]))
        assert response.status_code == 404


def test_only_a_reviewer_is_offered_to_void(
    client: Client, reviewer: User, supervisor: User, review: FidelityReview
) -> None:
    path = reverse("fidelity:review", args=[review.public_id])
    link = reverse("fidelity:void", args=[review.public_id])

    client.force_login(reviewer)
    assert link in text_of(client, path)
    client.force_login(supervisor)
    assert link not in text_of(client, path)


def test_a_reviewer_voids_a_review_with_a_reason(
    client: Client, reviewer: User, review: FidelityReview
) -> None:
    client.force_login(reviewer)

    response = client.post(
        reverse("fidelity:void", args=[review.public_id]),
        {"reason": "Scores of another provider."},
        follow=True,
    )

    review.refresh_from_db()
    assert review.is_voided and review.void_reason == "Scores of another provider."
    assert response.redirect_chain[-1][0] == reverse(
        "fidelity:provider", args=[review.provider.slug]
    )
    page = text_of(client, reverse("fidelity:review", args=[review.public_id]))
    assert "Voided: this review no longer counts" in page
    assert reverse("fidelity:void", args=[review.public_id]) not in page


def test_a_void_without_a_reason_is_marked_and_changes_nothing(
    client: Client, reviewer: User, review: FidelityReview
) -> None:
    client.force_login(reviewer)

    response = client.post(reverse("fidelity:void", args=[review.public_id]), {})

    assert errors_next_to_named(response.content.decode(), "reason") == (
        "This field is required."
    )
    review.refresh_from_db()
    assert not review.is_voided


def test_voiding_twice_goes_back_to_the_review(
    client: Client, reviewer: User, review: FidelityReview
) -> None:
    client.force_login(reviewer)
    path = reverse("fidelity:void", args=[review.public_id])
    client.post(path, {"reason": "Wrong date."})

    response = client.post(path, {"reason": "Again."})

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.void_reason == "Wrong date."


@pytest.mark.parametrize("who", NOT_REVIEWERS)
def test_only_a_reviewer_may_void(
    request: pytest.FixtureRequest, client: Client, review: FidelityReview, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))
    path = reverse("fidelity:void", args=[review.public_id])

    assert client.get(path).status_code == 403
    assert client.post(path, {"reason": "Not mine."}).status_code == 403
    review.refresh_from_db()
    assert not review.is_voided
