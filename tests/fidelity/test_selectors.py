"""Reads of fidelity reviews: history and trend, latest per provider, status."""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from fidelity.selectors import (
    FidelityStatus,
    ReviewInHistory,
    fidelity_review_history,
    fidelity_review_latest_list,
    fidelity_review_voided_list,
    fidelity_status_attach,
    fidelity_status_by_provider,
)
from fidelity.services import fidelity_review_void
from providers.models import ProviderSite
from tests.fidelity.helpers import record

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_history_is_newest_first_with_the_change_from_the_review_before(
    reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2024, 11, 18), total=91)
    record(reviewer, provider_a, D(2025, 11, 18), total=103)
    record(reviewer, provider_a, D(2026, 10, 30), total=101)

    history = fidelity_review_history(provider_a)

    assert [(row.review.total, row.change) for row in history] == [
        (101, -2),
        (103, 12),
        (91, None),
    ]
    assert [row.trend for row in history] == [
        "Down 2 points",
        "Up 12 points",
        "First review",
    ]
    assert [row.direction for row in history] == ["down", "up", "first"]


def test_trend_words_for_one_point_and_no_change(
    reviewer: User, provider_a: ProviderSite
) -> None:
    review = record(reviewer, provider_a, TODAY)

    assert ReviewInHistory(review, 1).trend == "Up 1 point"
    assert ReviewInHistory(review, -1).trend == "Down 1 point"
    assert ReviewInHistory(review, 0).trend == "No change"
    assert ReviewInHistory(review, 0).direction == "same"


def test_a_voided_review_is_left_out_of_the_history_and_its_trend(
    reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2025, 6, 1), total=90)
    wrong = record(reviewer, provider_a, D(2025, 12, 1), total=30)
    record(reviewer, provider_a, D(2026, 6, 1), total=95)
    fidelity_review_void(actor=reviewer, review=wrong, reason="Wrong provider.")

    history = fidelity_review_history(provider_a)

    assert [(row.review.total, row.change) for row in history] == [(95, 5), (90, None)]
    assert fidelity_review_voided_list(provider_a) == [wrong]


def test_a_provider_without_reviews_has_an_empty_history(
    provider_a: ProviderSite,
) -> None:
    assert fidelity_review_history(provider_a) == []


def test_history_is_one_query(
    reviewer: User,
    provider_a: ProviderSite,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for year in range(2020, 2027):
        record(reviewer, provider_a, D(year, 3, 1))

    with django_assert_num_queries(1):
        assert len(fidelity_review_history(provider_a)) == 7


# Latest per provider --------------------------------------------------------


def test_the_latest_standing_review_of_each_provider(
    reviewer: User, provider_a: ProviderSite, provider_b: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2025, 1, 5), total=80)
    newest_a = record(reviewer, provider_a, D(2026, 1, 5), total=90)
    only_b = record(reviewer, provider_b, D(2024, 7, 1), total=110)
    voided = record(reviewer, provider_b, D(2026, 7, 1), total=70)
    fidelity_review_void(actor=reviewer, review=voided, reason="Wrong provider.")

    latest = {review.provider_id: review for review in fidelity_review_latest_list()}

    assert latest == {provider_a.pk: newest_a, provider_b.pk: only_b}
    assert list(fidelity_review_latest_list([provider_b.pk])) == [only_b]


def build_reviews(reviewer: User, providers: int, per_provider: int) -> None:
    sites = list(ProviderSite.objects.order_by("pk")[:providers])
    for site in sites:
        for year in range(per_provider):
            record(reviewer, site, D(2026 - year, 2, 1) - datetime.timedelta(site.pk))


@pytest.mark.parametrize(("providers", "per_provider"), [(1, 1), (8, 4)])
def test_latest_per_provider_is_one_query_whatever_the_numbers(
    reviewer: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    providers: int,
    per_provider: int,
) -> None:
    build_reviews(reviewer, providers, per_provider)

    with django_assert_num_queries(1):
        statuses = fidelity_status_by_provider(TODAY)

    assert len(statuses) == providers
    assert all(status.latest.reviewed_on.year == 2026 for status in statuses.values())


@pytest.mark.parametrize(("providers", "per_provider"), [(1, 1), (8, 4)])
def test_attaching_status_to_the_directorys_sites_is_one_query(
    reviewer: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    providers: int,
    per_provider: int,
) -> None:
    build_reviews(reviewer, providers, per_provider)
    sites = list(ProviderSite.objects.all())

    with django_assert_num_queries(1):
        fidelity_status_attach(sites, TODAY)

    reviewed = [site for site in sites if site.fidelity.has_review]
    assert len(reviewed) == providers
    assert all(isinstance(site.fidelity, FidelityStatus) for site in sites)


# Status ---------------------------------------------------------------------


def test_status_is_current_through_day_365_and_overdue_after(
    reviewer: User, provider_a: ProviderSite
) -> None:
    review = record(reviewer, provider_a, D(2025, 12, 3), total=104)

    on_day_365 = FidelityStatus(review, D(2026, 12, 3))
    on_day_366 = FidelityStatus(review, D(2026, 12, 4))

    assert not on_day_365.is_overdue
    assert on_day_365.due_by == D(2026, 12, 3)
    assert on_day_366.is_overdue
    assert on_day_366.overdue_on == D(2026, 12, 4)


def test_status_without_a_review_says_so_rather_than_overdue() -> None:
    status = FidelityStatus(None, TODAY)

    assert not status.has_review
    assert not status.is_overdue
    assert status.overdue_on is None
    assert status.due_by is None
