"""Whole days between dates and medians, on SQLite and on PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, Value

from dashboards.sql import DaysBetween, Median, medians
from referrals.models import Episode
from tests.factories import EpisodeFactory, provider_site

D = datetime.date
METHODS = [
    "window",
    pytest.param(
        "percentile",
        marks=pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason="percentile_cont is PostgreSQL's; CI runs this on PostgreSQL",
        ),
    ),
]


def episodes_waiting(days: list[int], slug: str) -> None:
    """Episodes opened ``days`` after their referral on 01/02/2026."""
    for waited in days:
        EpisodeFactory(
            provider=provider_site(slug),
            opened_on=D(2026, 1, 2) + datetime.timedelta(days=waited),
            referral__referred_on=D(2026, 1, 2),
        )


@pytest.mark.django_db
def test_days_between_counts_whole_days_across_a_month_and_a_leap_day() -> None:
    episodes_waiting([0, 1, 58], "43-north-iowa")  # 01/02 → 03/01 is 58 days

    found = sorted(
        Episode.objects.annotate(
            waited=DaysBetween("referral__referred_on", "opened_on")
        ).values_list("waited", flat=True)
    )

    assert found == [0, 1, 58]


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
def test_median_of_odd_and_even_counts_by_group(method: str) -> None:
    # Provider A waited 3, 9, 4 days → sorted 3, 4, 9 → median 4.
    # Provider B waited 10, 1, 7, 2 → sorted 1, 2, 7, 10 → (2 + 7) / 2 = 4.5.
    episodes_waiting([3, 9, 4], "43-north-iowa")
    episodes_waiting([10, 1, 7, 2], "robert-young-center")
    rows = Episode.objects.annotate(
        median_value=DaysBetween("referral__referred_on", "opened_on"),
        median_group=F("provider__slug"),
    )

    assert medians(rows, method=method) == {
        "43-north-iowa": Median(Decimal("4.0"), 3),
        "robert-young-center": Median(Decimal("4.5"), 4),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
def test_median_leaves_out_missing_values_and_nothing_gives_no_row(method: str) -> None:
    # Two episodes closed after 5 and 8 days, one still open (no value):
    # the median is (5 + 8) / 2 = 6.5 over 2 values.
    for closed_after in (5, 8, None):
        EpisodeFactory(
            opened_on=D(2026, 1, 10),
            closed_on=(
                D(2026, 1, 10) + datetime.timedelta(days=closed_after)
                if closed_after is not None
                else None
            ),
        )
    rows = Episode.objects.annotate(
        median_value=DaysBetween("opened_on", "closed_on"), median_group=Value(0)
    )

    assert medians(rows, method=method) == {0: Median(Decimal("6.5"), 2)}
    assert medians(rows.filter(pk__lt=0), method=method) == {}
