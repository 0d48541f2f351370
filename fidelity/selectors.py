"""Reads of fidelity reviews: a provider's history, and where each stands."""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from fidelity.models import FidelityReview
from fidelity.rules import review_overdue_on
from providers.models import ProviderSite


def provider_get_for_page(slug: str) -> ProviderSite:
    """Return an active provider site by its slug, or raise Http404.

    The same sites as the directory: one switched off in the admin has no
    page.
    """
    site = (
        ProviderSite.objects.select_related("organization")
        .filter(slug=slug, organization__is_active=True)
        .first()
    )
    if site is None:
        raise Http404("No such provider site.")
    return site


def fidelity_review_get(public_id: uuid.UUID | str) -> FidelityReview:
    """Return a review with its provider and the people on it, or raise Http404."""
    review = (
        FidelityReview.objects.select_related(
            "provider__organization", "recorded_by", "voided_by"
        )
        .filter(public_id=public_id, provider__organization__is_active=True)
        .first()
    )
    if review is None:
        raise Http404("No such fidelity review.")
    return review


@dataclass(frozen=True)
class ReviewInHistory:
    """A review in a provider's history, with the change since the one before."""

    review: FidelityReview
    change: int | None  # None: the provider's first review on record

    @property
    def trend(self) -> str:
        """The change in words, so it never rests on colour or an arrow alone.

        Read beside a "Trend" heading, which says it is the change since
        the review before.
        """
        if self.change is None:
            return "First review"
        if self.change == 0:
            return "No change"
        points = "point" if abs(self.change) == 1 else "points"
        direction = "Up" if self.change > 0 else "Down"
        return f"{direction} {abs(self.change)} {points}"

    @property
    def direction(self) -> str:
        """ "up", "down", "same" or "first", for a CSS class and an arrow."""
        if self.change is None:
            return "first"
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"


def fidelity_review_history(provider: ProviderSite) -> list[ReviewInHistory]:
    """Return the provider's reviews, newest first, each with its trend.

    Voided reviews are left out, so the trend compares a review with the
    previous one that still stands. One query.
    """
    reviews = list(
        FidelityReview.objects.filter(provider=provider, voided_at__isnull=True)
        .select_related("recorded_by")
        .order_by("-reviewed_on")
    )
    history = []
    for index, review in enumerate(reviews):
        older = reviews[index + 1] if index + 1 < len(reviews) else None
        change = review.total - older.total if older is not None else None
        history.append(ReviewInHistory(review, change))
    return history


def fidelity_review_voided_list(provider: ProviderSite) -> list[FidelityReview]:
    """Return the provider's voided reviews, newest first. One query."""
    return list(
        FidelityReview.objects.filter(provider=provider, voided_at__isnull=False)
        .select_related("voided_by")
        .order_by("-reviewed_on")
    )


def fidelity_review_latest_list(
    provider_ids: Iterable[int] | None = None,
) -> QuerySet[FidelityReview]:
    """Return each provider's latest review that stands, as one query.

    A review is the latest when no later review of its provider stands.
    Reviews of one provider never share a date unless voided (a database
    constraint), so each provider has at most one. Providers with no review
    have no row. Usable as it is, or as a subquery for dashboards.
    """
    later = FidelityReview.objects.filter(
        provider=OuterRef("provider"),
        voided_at__isnull=True,
        reviewed_on__gt=OuterRef("reviewed_on"),
    )
    reviews = FidelityReview.objects.filter(voided_at__isnull=True).exclude(
        Exists(later)
    )
    if provider_ids is not None:
        reviews = reviews.filter(provider_id__in=list(provider_ids))
    return reviews


@dataclass(frozen=True)
class FidelityStatus:
    """Where a provider stands: its latest review, and whether it is overdue."""

    latest: FidelityReview | None
    today: datetime.date

    @property
    def has_review(self) -> bool:
        return self.latest is not None

    @property
    def overdue_on(self) -> datetime.date | None:
        """The first day the latest review counts as overdue (rule — overdue)."""
        if self.latest is None:
            return None
        return review_overdue_on(self.latest.reviewed_on)

    @property
    def due_by(self) -> datetime.date | None:
        """The last day the latest review is current: the next one is due by it."""
        overdue_on = self.overdue_on
        return overdue_on - datetime.timedelta(days=1) if overdue_on else None

    @property
    def is_overdue(self) -> bool:
        """Whether the latest review is older than a year.

        False for a provider with no review at all: pages name that case
        on its own ("No fidelity review on record").
        """
        overdue_on = self.overdue_on
        return overdue_on is not None and self.today >= overdue_on


def fidelity_status_get(provider: ProviderSite, today: datetime.date) -> FidelityStatus:
    """Return one provider's fidelity status on ``today``. One query."""
    latest = fidelity_review_latest_list([provider.pk]).first()
    return FidelityStatus(latest, today)


def fidelity_status_by_provider(
    today: datetime.date, provider_ids: Iterable[int] | None = None
) -> dict[int, FidelityStatus]:
    """Return the fidelity status of every provider (or those named).

    One query whatever the number of providers. Providers with no review
    are not keys: callers use ``.get`` with ``FidelityStatus(None, today)``,
    or ``fidelity_status_attach``.
    """
    return {
        review.provider_id: FidelityStatus(review, today)
        for review in fidelity_review_latest_list(provider_ids)
    }


def fidelity_status_attach(sites: list[ProviderSite], today: datetime.date) -> None:
    """Give each site of a list its ``fidelity`` status, for templates.

    One query for all the sites, as for the directory's other prefetches.
    """
    statuses = fidelity_status_by_provider(today, [site.pk for site in sites])
    for site in sites:
        site.fidelity = statuses.get(  # type: ignore[attr-defined]  # like a prefetch to_attr
            site.pk, FidelityStatus(None, today)
        )
