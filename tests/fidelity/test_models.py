"""What the database itself holds true of every fidelity review."""

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from fidelity.models import FidelityReview
from fidelity.rules import ITEM_KEYS, ITEMS
from providers.models import ProviderSite
from tests.fidelity.helpers import scores

pytestmark = pytest.mark.django_db
D = datetime.date


def insert(reviewer: User, provider: ProviderSite, **changes: Any) -> FidelityReview:
    """Write a row straight to the table, past the service's checks."""
    fields: dict[str, Any] = {
        "provider": provider,
        "reviewed_on": D(2026, 3, 2),
        "reviewers": "Ada Brennholt",
        **scores(100),
        "total": 100,
        "band": "good",
        "recorded_by": reviewer,
    }
    fields.update(changes)
    with transaction.atomic():
        return FidelityReview.objects.create(**fields)


def test_the_model_has_one_column_per_item_in_scale_order(db: None) -> None:
    fields = [f for f in FidelityReview._meta.fields if f.name in ITEM_KEYS]

    assert [f.name for f in fields] == list(ITEM_KEYS)
    assert [f.verbose_name for f in fields] == [item.label for item in ITEMS]
    assert not any(f.null for f in fields)


@pytest.mark.parametrize("score", [0, 6])
def test_a_score_outside_1_to_5_is_refused_by_the_database(
    reviewer: User, provider_a: ProviderSite, score: int
) -> None:
    with pytest.raises(IntegrityError):
        insert(reviewer, provider_a, caseload_size=score, total=96 + score)


def test_a_total_that_is_not_the_sum_is_refused_by_the_database(
    reviewer: User, provider_a: ProviderSite
) -> None:
    with pytest.raises(IntegrityError):
        insert(reviewer, provider_a, total=101)


@pytest.mark.parametrize(
    ("total", "band"), [(99, "good"), (114, "exemplary"), (73, "fair")]
)
def test_a_band_that_is_not_the_totals_is_refused_by_the_database(
    reviewer: User, provider_a: ProviderSite, total: int, band: str
) -> None:
    with pytest.raises(IntegrityError):
        insert(reviewer, provider_a, **scores(total), total=total, band=band)


def test_a_void_needs_a_reason(reviewer: User, provider_a: ProviderSite) -> None:
    with pytest.raises(IntegrityError):
        insert(reviewer, provider_a, voided_at=timezone.now(), voided_by=reviewer)


def test_two_standing_reviews_of_a_provider_cannot_share_a_date(
    reviewer: User, provider_a: ProviderSite
) -> None:
    insert(reviewer, provider_a)

    with pytest.raises(IntegrityError):
        insert(reviewer, provider_a)


def test_a_voided_review_frees_its_date(
    reviewer: User, provider_a: ProviderSite, provider_b: ProviderSite
) -> None:
    insert(
        reviewer,
        provider_a,
        voided_at=timezone.now(),
        voided_by=reviewer,
        void_reason="Entered twice.",
    )

    insert(reviewer, provider_a)
    insert(reviewer, provider_b)

    assert FidelityReview.objects.count() == 3
