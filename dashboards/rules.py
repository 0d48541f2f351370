"""Pure rules of the dashboards: quarters, periods, shares and age buckets.

No ORM and no clock: dates in, answers out.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.dates import add_months

# The longest period a dashboard shows: twelve quarters read well as bars
# and lines on a laptop; longer spans belong in an export.
MOST_MONTHS_IN_A_PERIOD = 36

# Ages of open flags, in whole days since the Iowa date they opened.
FLAG_AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–7 days", 0, 7),
    ("8–30 days", 8, 30),
    ("31 days or more", 31, None),
)

RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter, cut to the period where the period cuts it."""

    first: datetime.date
    last: datetime.date
    label: str
    is_partial: bool

    @property
    def key(self) -> str:
        return self.label.replace(" ", "-")


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarters_between(first: datetime.date, last: datetime.date) -> list[Quarter]:
    """The calendar quarters that meet ``first``–``last``, oldest first.

    A quarter the period cuts keeps only its days inside the period and is
    marked partial (the current quarter, to date, is the usual one).
    """
    quarters = []
    begins = quarter_start(first)
    while begins <= last:
        ends = add_months(begins, 3) - datetime.timedelta(days=1)
        number = (begins.month - 1) // 3 + 1
        quarters.append(
            Quarter(
                first=max(begins, first),
                last=min(ends, last),
                label=f"Q{number} {begins.year}",
                is_partial=begins < first or ends > last,
            )
        )
        begins = add_months(begins, 3)
    return quarters


def default_period(as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last four quarters: three whole ones and the current one to date."""
    return add_months(quarter_start(as_of), -9), as_of


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a fraction to four places; None of nothing."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE_PLACES, ROUND_HALF_UP)


def percent(fraction: Decimal | None) -> str:
    """A fraction for people: 0.4167 → "41.7%"; nothing → "–"."""
    if fraction is None:
        return "–"
    return f"{(fraction * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def age_bucket_starts(as_of: datetime.date) -> list[datetime.date]:
    """The earliest opening date of each age bucket, youngest bucket first.

    A flag opened on ``as_of`` is 0 days old; one opened 7 days before is
    still in the first bucket, 8 days before in the second.
    """
    return [
        as_of - datetime.timedelta(days=high) if high is not None else datetime.date.min
        for _, _, high in FLAG_AGE_BUCKETS
    ]
