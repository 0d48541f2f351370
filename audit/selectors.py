"""Reads of the access log for the reviewers' search and the member page."""

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from access.policy import scope_members
from audit.models import AccessEvent, AccessEventMember
from audit.permissions import may_search_access_log
from core.dates import IOWA
from members.models import Member
from members.selectors import members_matching

# A search naming more members than this asks for a narrower one: the
# matches are listed by name above the results.
MEMBER_MATCHES_SHOWN = 20


def access_events() -> QuerySet[AccessEvent]:
    """Every access event, newest first, with who made it.

    Who (the user, their organization, the token) is joined: a page of
    events of any length costs one query.
    """
    return AccessEvent.objects.select_related("user__organization", "token").order_by(
        "-read_at", "-pk"
    )


def access_event_search(
    *,
    who: str = "",
    member_ids: Sequence[int] | None = None,
    from_on: datetime.date | None = None,
    to_on: datetime.date | None = None,
) -> QuerySet[AccessEvent]:
    """Return the events matching a reviewer's search, newest first.

    ``who`` matches usernames and names: every word must appear in the
    username, the first or the last name (a token's service account is
    named after the token). ``member_ids`` keeps the events that showed
    any of those members. The dates are Iowa calendar days, both included,
    whatever the clocks did on them.
    """
    events = access_events()
    for word in who.split():
        events = events.filter(
            Q(user__username__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
        )
    if member_ids is not None:
        shown = AccessEventMember.objects.filter(member_id__in=member_ids)
        events = events.filter(pk__in=shown.values("event_id"))
    if from_on is not None:
        events = events.filter(read_at__gte=_iowa_midnight(from_on))
    if to_on is not None:
        day_after = to_on + datetime.timedelta(days=1)
        events = events.filter(read_at__lt=_iowa_midnight(day_after))
    return events


def access_events_for_member(member: Member) -> QuerySet[AccessEvent]:
    """Return the events that showed this member, newest first."""
    shown = AccessEventMember.objects.filter(member=member)
    return access_events().filter(pk__in=shown.values("event_id"))


def auditable_members(user: Any) -> QuerySet[Member]:
    """The members whose reads the user may look into.

    Everyone sees who looked at the members in their scope. Those who
    search the whole log (reviewers) also reach every member the log
    names, in scope or not: a record read once by a case manager, for a
    referral later withdrawn, is no less worth auditing.
    """
    in_scope = scope_members(user, Member.objects.all())
    if not may_search_access_log(user):
        return in_scope
    in_log = AccessEventMember.objects.filter(member=OuterRef("pk"))
    return Member.objects.filter(Q(pk__in=in_scope.values("pk")) | Exists(in_log))


def access_search_members(user: Any, text: str) -> list[Member]:
    """Return the members a reviewer's search names, among the auditable.

    The text is a member's public id (pasted from a member page's
    address), a Medicaid ID or words of a name, matched as the member list
    matches them (members.selectors.members_matching). At most
    MEMBER_MATCHES_SHOWN + 1 members are returned, so the caller can tell
    that there were more.
    """
    text = text.strip()
    members = auditable_members(user)
    try:
        public_id = uuid.UUID(text)
    except ValueError:
        members = members_matching(members, text)
    else:
        members = members.filter(public_id=public_id)
    members = members.order_by("last_name", "first_name", "pk")
    return list(members[: MEMBER_MATCHES_SHOWN + 1])


def _iowa_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=IOWA)
