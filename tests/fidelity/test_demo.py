"""The demo's fidelity reviews: every situation, and safe to load again."""

import datetime
from collections.abc import Iterator

import pytest
import time_machine

from accounts.models import Organization, User
from fidelity.demo import demo_fidelity_reviews_build, demo_scores
from fidelity.models import FidelityReview
from fidelity.rules import ITEM_KEYS
from fidelity.selectors import fidelity_status_by_provider
from providers.models import ProviderSite
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def demo_reviewer(db: None) -> User:
    return UserFactory(
        username="reviewer",
        organization=Organization.objects.get(kind=Organization.Kind.STATE_PROGRAM),
        role=User.Role.PROGRAM_REVIEWER,
    )


def test_the_demo_shows_every_band_and_status(demo_reviewer: User) -> None:
    added = demo_fidelity_reviews_build()

    standing = FidelityReview.objects.filter(voided_at__isnull=True)
    assert added == FidelityReview.objects.count() == 14
    assert set(standing.values_list("band", flat=True)) == {
        "exemplary",
        "good",
        "fair",
        "not_supported_employment",
    }
    statuses = fidelity_status_by_provider(TODAY)
    overdue = [s.latest.provider.slug for s in statuses.values() if s.is_overdue]
    assert overdue == ["robert-young-center"]
    never = ProviderSite.objects.exclude(pk__in=statuses).values_list("slug", flat=True)
    assert list(never) == ["goodwill-central-eyerly-ball"]
    assert FidelityReview.objects.filter(voided_at__isnull=False).count() == 1


def test_loading_the_demo_again_adds_nothing_even_days_later(
    demo_reviewer: User,
) -> None:
    demo_fidelity_reviews_build()

    with time_machine.travel(NOW + datetime.timedelta(days=40), tick=False):
        assert demo_fidelity_reviews_build() == 0

    assert FidelityReview.objects.count() == 14


def test_demo_scores_add_up_and_stay_the_same_for_a_seed() -> None:
    for total in (25, 70, 99, 116, 125):
        scores = demo_scores(total, "seed")
        assert sum(scores.values()) == total
        assert set(scores) == set(ITEM_KEYS)
        assert all(1 <= score <= 5 for score in scores.values())
    assert demo_scores(104, "a") == demo_scores(104, "a")
