"""Token authentication: ``Authorization: Bearer ips_…``.

Failed attempts are counted per client address (the connection's, never
a forwarding header a client can write) and refused for a while once too
many; there is no endpoint that trades a password for a token.
"""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from api.models import ApiToken
from api.tokens import api_token_find

FAILURE_WINDOW_SECONDS = 15 * 60


def client_address(request: Request) -> str:
    """The client's address as DRF's throttles see it: the connection's,
    or, behind ``NUM_PROXIES`` proxies, the one they name — never a
    forwarding header a client can write itself."""
    ident = BaseThrottle().get_ident(request)
    return str(ident) if ident else ""


def _failures_key(request: Request) -> str:
    return f"api-token-failures:{client_address(request)}"


class TokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        token = None
        if len(header) == 2:
            try:
                token = api_token_find(header[1].decode())
            except UnicodeDecodeError:
                token = None
        if token is None:
            # A valid token always works: a partner behind the same address
            # as a misbehaving client is not locked out with it.
            key = _failures_key(request)
            cache.add(key, 0, FAILURE_WINDOW_SECONDS)
            try:
                failures = cache.incr(key)
            except ValueError:
                cache.set(key, 1, FAILURE_WINDOW_SECONDS)
                failures = 1
            if failures > settings.API_TOKEN_FAILURES_ALLOWED:
                raise exceptions.Throttled(
                    wait=FAILURE_WINDOW_SECONDS,
                    detail="Too many failed token attempts from this address.",
                )
            raise exceptions.AuthenticationFailed(
                "The token is not valid: unknown, revoked or expired."
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.client, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
