"""The access log: every read of member records, kept and never changed.

An ``AccessEvent`` is one page, download, export or API answer that showed
member records; an ``AccessEventMember`` row names each member it showed.
Both tables are append-only: the models refuse to change or delete a row,
and database triggers (migration 0002) refuse UPDATE, DELETE and TRUNCATE
from any other writer.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from api.models import ApiToken
from audit.purposes import purpose_in_words


class AppendOnlyError(Exception):
    """A change to the access log was asked for; the log is never changed."""


def _refuse(what: str) -> NoReturn:
    raise AppendOnlyError(f"The access log is append-only: {what} is refused.")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def delete(self) -> NoReturn:
        _refuse("delete")


class AppendOnlyModel(models.Model):
    """A row that is written once and then only read."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("update")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("delete")


class AccessEvent(AppendOnlyModel):
    """One read of member records: who, when, what, from where.

    ``path`` is the request's path without its query string: paths name
    records only by opaque ids, while query strings may carry searched
    names. Reads made outside a request (a task, a command) have no path,
    method or address.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the read came through the API with a token; ``user`` is then
    # the token's service account.
    token = models.ForeignKey(
        ApiToken, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    read_at = models.DateTimeField(default=timezone.now)
    purpose = models.CharField(max_length=60)
    method = models.CharField(max_length=8, blank=True)
    path = models.CharField(max_length=300, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # How many members the read showed: kept on the event so a page of
    # events needs no count over the member rows.
    member_count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["-read_at", "-id"], name="access_event_read_at"),
            models.Index(fields=["user", "-read_at"], name="access_event_user_read_at"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} by user {self.user_id} at {self.read_at:%Y-%m-%d %H:%M}"

    @property
    def purpose_in_words(self) -> str:
        return purpose_in_words(self.purpose)


class AccessEventMember(AppendOnlyModel):
    """A member an access event showed."""

    event = models.ForeignKey(
        AccessEvent, on_delete=models.PROTECT, related_name="members"
    )
    # Members are never deleted; the unique index below, member first, finds
    # a member's events, so the key needs no index of its own.
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "event"], name="access_event_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"member {self.member_id} in access event {self.event_id}"
