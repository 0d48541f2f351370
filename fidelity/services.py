"""Writes of fidelity reviews: recording one, and voiding a wrong one."""

import datetime
import logging
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from access.policy import Action, require
from accounts.models import User
from core.dates import iowa_today
from core.history import attribute_to
from fidelity.models import FidelityReview
from fidelity.rules import fidelity_band, fidelity_total, score_problems
from providers.models import ProviderSite

logger = logging.getLogger(__name__)

SAME_DAY = "This provider already has a review on that date."


@transaction.atomic
def fidelity_review_record(
    *,
    actor: User,
    provider: ProviderSite,
    reviewed_on: datetime.date,
    reviewers: str,
    scores: Mapping[str, int],
    notes: str = "",
) -> FidelityReview:
    """Record a provider's fidelity review, totalled and banded by the rules.

    Only a program reviewer may record one. The review date may not be in
    the future (Iowa calendar), the reviewers must be named, and every one
    of the 25 items needs a score from 1 to 5: all problems are reported at
    once, keyed by field, each message naming its item. Nothing is saved
    unless everything is right. One review per provider and date; a voided
    review frees its date.
    """
    require(actor, Action.RECORD_FIDELITY_REVIEW)
    # The provider row is locked so two reviews of one date queue up and
    # the second gets a message, not a database error.
    provider = ProviderSite.objects.select_for_update().get(pk=provider.pk)

    problems: dict[str, str] = {}
    if not provider.organization.is_active:
        problems["provider"] = "This provider site is no longer active."
    if reviewed_on > iowa_today():
        problems["reviewed_on"] = "The review date cannot be in the future."
    if not reviewers.strip():
        problems["reviewers"] = "Name the people who did the review."
    problems.update(score_problems(scores))
    if not problems and _reviewed_that_day(provider, reviewed_on):
        problems["reviewed_on"] = SAME_DAY
    if problems:
        raise ValidationError(problems)

    total = fidelity_total(scores)
    review = FidelityReview(
        provider=provider,
        reviewed_on=reviewed_on,
        reviewers=reviewers.strip(),
        notes=notes.strip(),
        total=total,
        band=fidelity_band(total),
        recorded_by=actor,
        **scores,
    )
    try:
        with transaction.atomic():
            attribute_to(review, actor).save()
    except IntegrityError as error:
        raise ValidationError({"reviewed_on": SAME_DAY}) from error
    logger.info("Fidelity review %s recorded for provider %s", review.pk, provider.pk)
    return review


def _reviewed_that_day(provider: ProviderSite, reviewed_on: datetime.date) -> bool:
    return FidelityReview.objects.filter(
        provider=provider, reviewed_on=reviewed_on, voided_at__isnull=True
    ).exists()


@transaction.atomic
def fidelity_review_void(
    *, actor: User, review: FidelityReview, reason: str
) -> FidelityReview:
    """Void a wrong review with a reason; it stays on the record.

    Only a program reviewer may void one. The provider's last review is
    then the one before it, which may make the provider overdue again.
    """
    require(actor, Action.RECORD_FIDELITY_REVIEW)
    review = FidelityReview.objects.select_for_update().get(pk=review.pk)
    if review.is_voided:
        raise ValidationError("This review is already voided.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why this review is wrong."})

    review.voided_at = timezone.now()
    review.voided_by = actor
    review.void_reason = reason.strip()
    attribute_to(review, actor, reason=reason.strip()).save()
    logger.info("Fidelity review %s voided", review.pk)
    return review
