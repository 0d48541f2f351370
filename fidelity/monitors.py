"""The monitor for fidelity reviews, in the manner of flags.sweeps finders.

A finder takes ``today`` (the date in Iowa) and ``member_ids`` and yields a
``flags.found.Found`` for every record whose condition holds, in a fixed
number of queries whatever the number of records. This one is about
provider sites, not members: its monitor is registered with
``about_members=False``, so a sweep of some members runs it whole and it
ignores ``member_ids``.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, Subquery

from fidelity.models import FidelityReview
from fidelity.rules import review_interval_days, review_overdue_on
from flags.found import Found
from providers.models import ProviderSite
from referrals.models import Episode


def find_fidelity_review_overdue(
    today: datetime.date, member_ids: list[int] | None
) -> Iterable[Found]:
    """A provider's last fidelity review is older than a year, or it has none.

    The flag is about the provider site (subject and provider are its id).
    Its due date is the day the last review became overdue: the day after
    it turned 365 days old (fidelity.rules.review_overdue_on), so a review
    of 12/03/2025 is flagged from 12/04/2026 with that due date.

    A provider with no review standing (none recorded, or all voided) is
    overdue from the day its first episode opened: from its first member
    in IPS it is an IPS program, and the scale asks for a review every
    year. Its due date is that opening, which never moves, so the flag's
    history stays quiet. A site that has never had a member in IPS is not
    flagged, nor is a site switched off in the admin.

    One query: active sites with their last review date and first episode
    opening as subqueries.
    """
    standing = FidelityReview.objects.filter(
        provider=OuterRef("pk"), voided_at__isnull=True
    )
    last_reviewed_on = Subquery(
        standing.order_by("-reviewed_on").values("reviewed_on")[:1]
    )
    first_opened_on = Subquery(
        Episode.objects.filter(provider=OuterRef("pk"))
        .order_by("opened_on")
        .values("opened_on")[:1]
    )
    # Older than a year: reviewed before today minus 365 days.
    current_since = today - datetime.timedelta(days=review_interval_days())
    sites = (
        ProviderSite.objects.filter(organization__is_active=True)
        .annotate(last_reviewed_on=last_reviewed_on, first_opened_on=first_opened_on)
        .filter(
            Q(last_reviewed_on__lt=current_since)
            | (
                ~Exists(standing)
                & Exists(Episode.objects.filter(provider=OuterRef("pk")))
            )
        )
        .values_list("pk", "last_reviewed_on", "first_opened_on")
    )
    for pk, reviewed_on, opened_on in sites:
        due_on = review_overdue_on(reviewed_on) if reviewed_on else opened_on
        yield Found(pk, due_on, provider_id=pk)
