"""Invented fidelity reviews for the demo's provider sites.

Dated back from the day the demo is built (the Iowa date), so every state
shows whatever the day: reviews in each band, trends up, down and flat, a
provider whose last review is more than a year old (overdue), one with a
voided review, and one with no review at all. Every reviewer name and note
is made up. Written through the service, as the program reviewer would.
"""

import datetime
import random

from accounts.models import User
from core.dates import iowa_today
from fidelity.models import FidelityReview
from fidelity.rules import HIGHEST_SCORE, ITEM_KEYS, LOWEST_SCORE
from fidelity.services import fidelity_review_record, fidelity_review_void
from providers.models import ProviderSite

# Per provider slug: (days before today, total, reviewers, notes), oldest
# first. Goodwill of Central Iowa / Eyerly Ball has none on purpose.
DEMO_REVIEWS: dict[str, list[tuple[int, int, str, str]]] = {
    "43-north-iowa": [
        (745, 91, "Signe Halvorsen and Bertrand Quenneville", "Baseline review."),
        (380, 103, "Signe Halvorsen and Bertrand Quenneville", ""),
        (
            34,
            116,
            "Marguerite Tollefson and Desmond Fairbairn",
            "Job development is now weekly and face to face with employers.",
        ),
    ],
    "goodwill-ne-iowa": [
        (690, 108, "Priya Valdivieso and Tobiah Ekwueme", ""),
        (
            300,
            97,
            "Priya Valdivieso and Tobiah Ekwueme",
            "Two specialist vacancies; caseloads above 20 for most of the year.",
        ),
    ],
    # The last review is more than a year old: overdue.
    "robert-young-center": [
        (800, 95, "Ingrid Vasquez-Holm and Bertrand Quenneville", ""),
        (430, 104, "Ingrid Vasquez-Holm and Bertrand Quenneville", ""),
    ],
    "vera-french": [
        (
            200,
            110,
            "Signe Halvorsen and Tobiah Ekwueme",
            "Strong benefits planning; follow-along is individualized.",
        ),
    ],
    "hope-haven-imagine": [
        (455, 79, "Desmond Fairbairn and Priya Valdivieso", ""),
        (88, 86, "Desmond Fairbairn and Priya Valdivieso", ""),
    ],
    "first-resources": [
        (
            150,
            70,
            "Marguerite Tollefson and Ingrid Vasquez-Holm",
            "A new program: the vocational unit met for the first time this "
            "quarter. Technical assistance offered.",
        ),
    ],
    "hope-haven-inc": [
        (430, 117, "Signe Halvorsen and Marguerite Tollefson", ""),
        (61, 117, "Signe Halvorsen and Marguerite Tollefson", ""),
    ],
}

# A review entered by mistake and voided, to show what voiding keeps.
DEMO_VOIDED = ("vera-french", 203, 86, "Scores of another provider entered here.")


def demo_fidelity_reviews_build() -> int:
    """Record the demo's fidelity reviews; returns how many were added.

    Safe to run again: a provider that already has any review, voided or
    not, is left alone, whatever day it is.
    """
    reviewer = User.objects.get(username="reviewer")
    today = iowa_today()
    sites = {site.slug: site for site in ProviderSite.objects.all()}
    reviewed = set(
        FidelityReview.objects.values_list("provider__slug", flat=True).distinct()
    )

    added = 0
    for slug, reviews in DEMO_REVIEWS.items():
        if slug in reviewed or slug not in sites:
            continue
        if slug == DEMO_VOIDED[0]:
            added += _voided_review(reviewer, sites[slug], today)
        for days_ago, total, reviewers, notes in reviews:
            fidelity_review_record(
                actor=reviewer,
                provider=sites[slug],
                reviewed_on=today - datetime.timedelta(days=days_ago),
                reviewers=reviewers,
                scores=demo_scores(total, f"{slug}-{days_ago}"),
                notes=notes,
            )
            added += 1
    return added


def _voided_review(reviewer: User, site: ProviderSite, today: datetime.date) -> int:
    _, days_ago, total, reason = DEMO_VOIDED
    review = fidelity_review_record(
        actor=reviewer,
        provider=site,
        reviewed_on=today - datetime.timedelta(days=days_ago),
        reviewers="Signe Halvorsen",
        scores=demo_scores(total, f"{site.slug}-voided"),
        notes="",
    )
    fidelity_review_void(actor=reviewer, review=review, reason=reason)
    return 1


def demo_scores(total: int, seed: str) -> dict[str, int]:
    """Invent 25 item scores adding up to ``total``, the same for a seed.

    Spread evenly first, then a few points moved between items so reviews
    do not look flat; every score stays within 1 to 5.
    """
    rng = random.Random(seed)  # noqa: S311 (invented data, not secrets)
    base, extra = divmod(total, len(ITEM_KEYS))
    scores = [base] * len(ITEM_KEYS)
    for index in rng.sample(range(len(ITEM_KEYS)), extra):
        scores[index] += 1

    for _ in range(12):
        up, down = rng.sample(range(len(ITEM_KEYS)), 2)
        if scores[up] < HIGHEST_SCORE and scores[down] > LOWEST_SCORE:
            scores[up] += 1
            scores[down] -= 1
    return dict(zip(ITEM_KEYS, scores, strict=True))
