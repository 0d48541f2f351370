"""Writes to the access log: only ever new rows."""

from collections.abc import Sequence

from django.db import transaction

from audit.models import AccessEvent, AccessEventMember


def access_event_write(event: AccessEvent, member_ids: Sequence[int]) -> AccessEvent:
    """Save a new access event with a row for each member it showed.

    Two INSERTs whatever the number of members (SQLite splits the member
    rows into batches of 499). No savepoint of its own: a failure to keep
    the read fails the request that made it, instead of passing unseen.
    """
    with transaction.atomic(savepoint=False):
        event.save(force_insert=True)
        AccessEventMember.objects.bulk_create(
            AccessEventMember(event=event, member_id=member_id)
            for member_id in member_ids
        )
    return event
