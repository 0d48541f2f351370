"""Writes a person makes to flags."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from flags.models import Flag, FlagEvent


@transaction.atomic
def flag_dismiss(*, actor: User, flag: Flag, note: str) -> Flag:
    """Dismiss an open flag with a note saying why.

    The flag keeps its place, so the sweep does not raise it again while
    its condition lasts; when the condition clears and comes back, a new
    flag opens. The caller has checked the flag is in the actor's inbox.
    """
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say why the flag can be set aside."})
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if not flag.is_open:
        raise ValidationError("This flag is already closed.")
    now = timezone.now()
    flag.status = Flag.Status.DISMISSED
    flag.closed_at = now
    flag.closed_by = actor
    flag.dismissal_note = note
    flag.changed_at = now
    flag.save(
        update_fields=[
            "status",
            "closed_at",
            "closed_by",
            "dismissal_note",
            "changed_at",
        ]
    )
    FlagEvent.objects.create(
        flag=flag, what=FlagEvent.What.DISMISSED, at=now, by=actor, note=note
    )
    return flag
