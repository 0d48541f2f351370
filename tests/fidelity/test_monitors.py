"""The fidelity monitor's finder, called directly at its edges.

The finder is registered with the flags sweep elsewhere; here it is asked
what it finds on a given day, as ``sweep`` would ask it.
"""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from fidelity.monitors import find_fidelity_review_overdue
from fidelity.services import fidelity_review_void
from flags.sweeps import Finder, Found
from providers.models import ProviderSite
from tests.factories import EpisodeFactory
from tests.fidelity.helpers import record

pytestmark = pytest.mark.django_db
D = datetime.date
# Noon in Iowa on the last day of 2026: every review date below has passed.
NOW = datetime.datetime(2026, 12, 31, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def found_on(today: datetime.date, member_ids: list[int] | None = None) -> list[Found]:
    return sorted(
        find_fidelity_review_overdue(today, member_ids), key=lambda f: f.subject_id
    )


def test_the_finder_fits_the_sweeps_finder_type() -> None:
    finder: Finder = find_fidelity_review_overdue

    assert list(finder(D(2026, 12, 31), None)) == []


def test_a_review_is_found_the_day_after_it_turns_365_days_old(
    reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2025, 12, 3))

    assert found_on(D(2026, 12, 3)) == []
    assert found_on(D(2026, 12, 4)) == [
        Found(provider_a.pk, D(2026, 12, 4), provider_id=provider_a.pk)
    ]


def test_the_flag_is_about_the_provider_and_keeps_its_due_date(
    reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2025, 3, 2))

    [found] = found_on(D(2026, 12, 31))

    assert found.subject_id == found.provider_id == provider_a.pk
    assert found.due_on == D(2026, 3, 3)
    assert found.member_id is None and found.specialist_id is None


def test_a_review_on_february_29_is_found_from_march_1_a_year_later(
    reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2024, 2, 29))

    assert found_on(D(2025, 2, 28)) == []
    assert [f.due_on for f in found_on(D(2025, 3, 1))] == [D(2025, 3, 1)]


def test_a_newer_review_clears_it(reviewer: User, provider_a: ProviderSite) -> None:
    record(reviewer, provider_a, D(2024, 6, 1))
    record(reviewer, provider_a, D(2026, 6, 1))

    assert found_on(D(2026, 12, 31)) == []


def test_voiding_the_newer_review_brings_back_the_older_ones_date(
    reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2024, 6, 1))
    newer = record(reviewer, provider_a, D(2026, 6, 1))
    fidelity_review_void(actor=reviewer, review=newer, reason="Wrong provider.")

    assert [f.due_on for f in found_on(D(2026, 12, 31))] == [D(2025, 6, 2)]


def test_a_provider_never_reviewed_is_overdue_from_its_first_episode(
    provider_a: ProviderSite,
) -> None:
    EpisodeFactory(provider=provider_a, opened_on=D(2026, 5, 4))
    EpisodeFactory(provider=provider_a, opened_on=D(2025, 9, 15))

    assert found_on(D(2026, 12, 31)) == [
        Found(provider_a.pk, D(2025, 9, 15), provider_id=provider_a.pk)
    ]


def test_a_provider_whose_only_review_is_voided_counts_as_never_reviewed(
    reviewer: User, provider_a: ProviderSite
) -> None:
    EpisodeFactory(provider=provider_a, opened_on=D(2025, 9, 15))
    review = record(reviewer, provider_a, D(2026, 6, 1))
    fidelity_review_void(actor=reviewer, review=review, reason="Wrong provider.")

    assert [f.due_on for f in found_on(D(2026, 12, 31))] == [D(2025, 9, 15)]


def test_a_provider_that_never_had_a_member_in_ips_is_not_flagged(
    provider_a: ProviderSite,
) -> None:
    assert ProviderSite.objects.count() == 8

    assert found_on(D(2026, 12, 31)) == []


def test_a_provider_switched_off_is_not_flagged(
    reviewer: User, provider_a: ProviderSite, provider_b: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2024, 6, 1))
    EpisodeFactory(provider=provider_b, opened_on=D(2025, 1, 6))
    for site in (provider_a, provider_b):
        site.organization.is_active = False
        site.organization.save()

    assert found_on(D(2026, 12, 31)) == []


def test_member_ids_do_not_narrow_a_provider_monitor(
    reviewer: User, provider_a: ProviderSite
) -> None:
    record(reviewer, provider_a, D(2024, 6, 1))

    assert found_on(D(2026, 12, 31), []) == found_on(D(2026, 12, 31), [1, 2])
    assert len(found_on(D(2026, 12, 31), [])) == 1


@pytest.mark.parametrize("reviews_each", [1, 4])
def test_one_query_whatever_the_number_of_providers_and_reviews(
    reviewer: User,
    django_assert_num_queries: DjangoAssertNumQueries,
    reviews_each: int,
) -> None:
    sites = list(ProviderSite.objects.order_by("pk"))
    for site in sites[:6]:
        for year in range(reviews_each):
            record(reviewer, site, D(2023 - year, 6, 1) + datetime.timedelta(site.pk))
    for site in sites[6:]:
        EpisodeFactory(provider=site, opened_on=D(2026, 1, 5))

    with django_assert_num_queries(1):
        found = found_on(D(2026, 12, 31))

    assert len(found) == 8
