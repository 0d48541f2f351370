"""The access audit's recorder, plugged into ``access.policy`` by settings.

``access.policy.record_member_read`` calls ``record_access`` with every
read of member records (settings.MEMBER_READ_RECORDERS).
"""

import ipaddress
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from rest_framework.request import Request

from api.authentication import client_address
from api.models import ApiToken
from audit.models import AccessEvent
from audit.services import access_event_write


def record_access(
    *,
    actor: Any,
    member_ids: Iterable[int],
    purpose: str,
    request: HttpRequest | None,
) -> None:
    """Keep one read: who, when, what, from where, and the members shown.

    A read that showed nobody (an empty list) is not kept. Without a
    request (a task or a command) the path, method and address stay empty.
    Two INSERTs on PostgreSQL whatever the number of members.

    The event is written in the request's transaction, so a request that
    an error rolls back keeps none: a page that fails shows no one. The
    API rolls back the writes it refuses as well, and one of those answers
    does show a member's figures (the 409 cap warning): that read is lost.
    """
    ids = sorted(set(member_ids))
    if not ids:
        return

    event = AccessEvent(
        user=actor, purpose=purpose[:60], member_count=len(ids), **_where(request)
    )
    access_event_write(event, ids)


def _where(request: HttpRequest | None) -> dict[str, Any]:
    """What the request says about where a read came from.

    The path is taken without its query string, which may carry searched
    names. An address that is not one (a garbled forwarding header) is
    kept as unknown rather than refusing the read.
    """
    if request is None:
        return {}
    request = getattr(request, "_request", request)  # a DRF request's own
    token = getattr(request, "auth", None)
    return {
        "token": token if isinstance(token, ApiToken) else None,
        "method": (request.method or "")[:8],
        "path": request.path[:300],
        # The API's rule for the address, applied to web pages too: a page
        # request is wrapped for it (nothing of it is read but its headers).
        "remote_addr": _address(client_address(Request(request))),
        "user_agent": request.headers.get("User-Agent", "")[:300],
    }


def _address(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A zone ("fe80::1%eth0") names the server's own interface, and
    # PostgreSQL's inet refuses it.
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return None
    return str(address)
