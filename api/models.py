"""API tokens, the log of requests made with them, and idempotent writes.

A token belongs to an organization and acts within its scope, through a
service account of its own (a ``User`` with ``is_api_client``) so the
same access policy and services apply as on the web. The token itself is
shown once; only its SHA-256 digest is kept.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organization
from core.dates import IOWA


class ApiToken(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=120, help_text="Which system uses it, e.g. “Wellpoint nightly sync”."
    )
    # The visible start of the token, to find it without keeping it.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    # Every token reads; writing is granted one kind at a time.
    can_log_achievements = models.BooleanField("may log milestone achievements")
    can_log_coaching = models.BooleanField("may log coaching")
    client = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["digest", "last_used_at"])

    class Meta:
        ordering = ["organization__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def last_day_on(self) -> datetime.date | None:
        """The last Iowa day the token works: the day before it expires at 0:00."""
        if self.expires_at is None:
            return None
        last_moment = self.expires_at - datetime.timedelta(microseconds=1)
        return last_moment.astimezone(IOWA).date()


class ApiRequest(models.Model):
    """One request made with a token: which token, when, what, from where."""

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=8)
    # The path only: query strings may carry search terms.
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField()
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["token", "-at"], name="api_request_token_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status_code}"


class IdempotentResponse(models.Model):
    """The answer to a write sent with an Idempotency-Key, kept to replay it.

    A key belongs to the token that sent it, or to the signed-in person when
    the write came from a browser session: exactly one of the two is set.
    """

    token = models.ForeignKey(
        ApiToken, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    # The answer's JSON text as first sent, so a replay is the same to the
    # byte: PostgreSQL's jsonb would put its keys in an order of its own.
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token", "key"], name="idempotency_key_once"
            ),
            models.UniqueConstraint(
                fields=["user", "key"], name="idempotency_key_once_per_user"
            ),
            models.CheckConstraint(
                condition=models.Q(token__isnull=False, user__isnull=True)
                | models.Q(token__isnull=True, user__isnull=False),
                name="idempotency_key_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
