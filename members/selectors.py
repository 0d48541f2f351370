"""Reads of member records, always through the access policy."""

from typing import Any

from django.db.models import Q, QuerySet

from access.policy import scope_members
from members.models import Member
from members.rules import medicaid_id_is_valid, medicaid_id_normalize


def member_list(user: Any, search: str = "") -> QuerySet[Member]:
    """Return the members the user may see, optionally matching a search.

    A search that reads as a Medicaid ID matches that ID exactly; anything
    else matches names, every word against the first or last name. The
    related rows shown in lists are joined, so a page of any length costs
    the same few queries.
    """
    members = scope_members(user, Member.objects.all()).select_related(
        "county", "payer", "managing_organization", "case_manager"
    )

    search = search.strip()
    if search:
        normalized = medicaid_id_normalize(search)
        if medicaid_id_is_valid(normalized):
            members = members.filter(medicaid_id=normalized)
        else:
            for word in search.split():
                members = members.filter(
                    Q(first_name__icontains=word) | Q(last_name__icontains=word)
                )
    return members.order_by("last_name", "first_name", "pk")
