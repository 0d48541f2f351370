"""Reading back what the access log kept, for the audit tests."""

from accounts.models import User
from audit.models import AccessEvent, AccessEventMember
from audit.recorders import record_access
from members.models import Member


def reads_by(user: User) -> list[tuple[str, list[int]]]:
    """The user's recorded reads, oldest first: (purpose, member ids)."""
    events = AccessEvent.objects.filter(user=user).order_by("read_at", "pk")
    return [(event.purpose, member_ids_of(event)) for event in events]


def member_ids_of(event: AccessEvent) -> list[int]:
    rows = AccessEventMember.objects.filter(event=event).order_by("member_id")
    return list(rows.values_list("member_id", flat=True))


def last_event(user: User) -> AccessEvent:
    return AccessEvent.objects.filter(user=user).latest("read_at", "pk")


def read_now(
    user: User, members: list[Member], purpose: str = "member.view"
) -> AccessEvent:
    """Record a read outside any request, as a task would, and return it."""
    record_access(
        actor=user,
        member_ids=[member.pk for member in members],
        purpose=purpose,
        request=None,
    )
    return last_event(user)
