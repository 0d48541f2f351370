"""Issuing, checking and revoking API tokens."""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, User
from api.models import ApiToken
from core.history import attribute_to

TOKEN_START = "ips"  # noqa: S105 (the visible start of every token, not a secret)

# The role a token's service account takes, by the organization's kind:
# the same scope the organization's own people have on the web.
CLIENT_ROLES = {
    Organization.Kind.MCO: User.Role.CASE_MANAGER,
    Organization.Kind.IME: User.Role.CASE_MANAGER,
    Organization.Kind.CASE_MANAGEMENT_AGENCY: User.Role.CASE_MANAGER,
    Organization.Kind.PROVIDER_SITE: User.Role.IPS_SUPERVISOR,
    Organization.Kind.STATE_PROGRAM: User.Role.PROGRAM_REVIEWER,
}


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *,
    actor: User,
    organization: Organization,
    name: str,
    can_log_achievements: bool = False,
    can_log_coaching: bool = False,
    expires_at: datetime.datetime | None = None,
) -> IssuedToken:
    """Create a token for an organization's system; return it with its secret.

    Only administrators issue tokens. Writing milestones and coaching is
    provider work: a token of an MCO or the state program cannot be given
    it. The secret is returned here and never again.
    """
    if actor.role != User.Role.ADMINISTRATOR or not actor.is_active:
        raise PermissionDenied
    errors = {}
    if not name.strip():
        errors["name"] = "Name the system that will use the token."
    role = CLIENT_ROLES[Organization.Kind(organization.kind)]
    if (can_log_achievements or can_log_coaching) and role != User.Role.IPS_SUPERVISOR:
        errors["can_log_achievements"] = (
            "Only an IPS provider's system logs milestones or coaching."
        )
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "An expiry date is in the future."
    if errors:
        raise ValidationError(errors)

    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}_{prefix}_{secrets.token_urlsafe(32)}"
    client = User(
        username=f"api-client-{prefix}",
        first_name=name.strip()[:150],
        last_name="(API)",
        organization=organization,
        role=role,
        is_api_client=True,
    )
    client.set_unusable_password()
    attribute_to(client, actor).save()
    token = ApiToken(
        organization=organization,
        name=name.strip(),
        prefix=prefix,
        digest=digest_of(secret),
        can_log_achievements=can_log_achievements,
        can_log_coaching=can_log_coaching,
        client=client,
        created_by=actor,
        expires_at=expires_at,
    )
    attribute_to(token, actor).save()
    return IssuedToken(token, secret)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop a token working at once; its history and request log stay."""
    if actor.role != User.Role.ADMINISTRATOR or not actor.is_active:
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        attribute_to(token, actor).save()
        client = token.client
        client.is_active = False
        attribute_to(client, actor).save(update_fields=["is_active"])
    return token


def api_token_find(secret: str) -> ApiToken | None:
    """The live token whose secret this is, or None (wrong, revoked, expired)."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_START:
        return None
    token = (
        ApiToken.objects.select_related(
            "organization", "client__organization__provider_site"
        )
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, digest_of(secret)):
        return None
    if token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    if not token.organization.is_active:
        return None
    return token
