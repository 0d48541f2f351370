"""Who may call the API at all, and which tokens may write what."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from access.policy import Action, role_may
from api.models import ApiToken


class MaySeeMembers(BasePermission):
    """A signed-in user or token whose role reads member records."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return role_may(request.user, Action.VIEW_MEMBER)


class TokenGrants(BasePermission):
    """A write the token was granted (``view.token_grant``); people use roles.

    People signed in on the web are held to their role's actions by the
    services; a token must also hold the named grant, so an MCO's token
    never logs achievements whatever its role.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        grant = getattr(view, "token_grant", None)
        if grant is None or request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        if isinstance(request.auth, ApiToken):
            return bool(getattr(request.auth, grant))
        return True
