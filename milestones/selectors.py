"""Reads of milestone authorizations."""

from decimal import Decimal

from django.db.models import QuerySet

from members.models import Member
from milestones.models import MilestoneAuthorization
from milestones.rules import Window


def milestone_lines_counting_toward_cap(
    member: Member,
) -> QuerySet[MilestoneAuthorization]:
    """The member's Medicaid milestone lines in rounds that are not voided."""
    return (
        MilestoneAuthorization.objects.filter(
            round__member=member,
            round__voided_at__isnull=True,
            round__payer__kind__in=["medicaid_ffs", "medicaid_mco"],
        )
        .select_related("round")
        .order_by("round__authorized_on", "milestone")
    )


def cap_lines_for_member(member: Member) -> list[tuple[str, Window, Decimal]]:
    """Label, window and amount of each line that counts toward the cap."""
    return [
        (
            f"Milestone {line.milestone} authorized "
            f"{line.round.authorized_on:%m/%d/%Y}",
            line.window,
            line.amount,
        )
        for line in milestone_lines_counting_toward_cap(member)
    ]
