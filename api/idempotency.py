"""Idempotent writes: a retried request with the same key is answered once.

A client sends ``Idempotency-Key: <1 to 200 visible ASCII characters>`` with
a write. The first request that succeeds keeps its status and body under
that key; a retry with the same key and the same request (method, path and
body, compared as parsed JSON) gets that answer again and writes nothing.
The same key with a different request is refused (422), so a client bug
that reuses keys cannot pass for a retry.

Only a write that succeeded is kept. A refused write changed nothing, so
the key stays free: the client corrects the body, or acknowledges a cap
warning, and sends it again under the same key.

Keys belong to the token that sent them, or to the signed-in person for a
write from a browser session. Two requests racing with one key meet at the
unique constraint: the first to insert its claim does the write, the other
waits for it, then replays its answer (or, if it failed, writes itself).
"""

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.models import ApiToken, IdempotentResponse

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
# Visible ASCII, no spaces: what survives every HTTP client and proxy intact.
KEY_PATTERN = rf"^[!-~]{{1,{MAX_KEY_LENGTH}}}$"
KEY_FORMAT = re.compile(KEY_PATTERN)
KEY_HELP = (
    f"1 to {MAX_KEY_LENGTH} visible ASCII characters without spaces, e.g. a UUID."
)

# Replayed answers say so, for clients that log retries.
REPLAYED_HEADER = "Idempotent-Replayed"

Write = Callable[[], tuple[int, dict[str, Any]]]


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was already used for a different request. "
        "Send a new key for a new write."
    )


def idempotency_key(request: Request) -> str | None:
    """The request's key, or None when it sent none; refuse a malformed one."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if KEY_FORMAT.fullmatch(key) is None:
        raise ValidationError({HEADER: [KEY_HELP]})
    return key


def request_digest(request: Request) -> str:
    """SHA-256 of the method, path and parsed body, keys in a fixed order.

    The parsed body, not the bytes: the same JSON sent with other spacing
    or key order is the same request.
    """
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _owner(request: Request) -> dict[str, Any]:
    if isinstance(request.auth, ApiToken):
        return {"token": request.auth}
    return {"user": request.user}


def _stored(owner: dict[str, Any], key: str) -> IdempotentResponse | None:
    return IdempotentResponse.objects.filter(**owner, key=key).first()


def _replay(stored: IdempotentResponse, digest: str) -> Response:
    if stored.request_digest != digest:
        raise KeyReused()
    return Response(
        json.loads(stored.body),
        status=stored.status_code,
        headers={REPLAYED_HEADER: "true"},
    )


def idempotent_write(request: Request, write: Write) -> Response:
    """Run ``write`` once per key; answer a retry with the stored answer.

    ``write`` does the work (raising to refuse it) and returns the status
    and body of its answer. Without a key it simply runs. The claim on the
    key and the write commit together, so a write that fails leaves no
    claim behind. With a key: a lookup, an insert and an update besides
    the write.
    """
    key = idempotency_key(request)
    if key is None:
        status_code, body = write()
        return Response(body, status=status_code)

    owner = _owner(request)
    digest = request_digest(request)
    stored = _stored(owner, key)
    if stored is not None:
        return _replay(stored, digest)

    with transaction.atomic():
        try:
            with transaction.atomic():
                # On PostgreSQL a concurrent request with this key blocks
                # here until the first one commits or rolls back.
                claim = IdempotentResponse.objects.create(
                    **owner,
                    key=key,
                    method=request.method or "",
                    path=request.path[:300],
                    request_digest=digest,
                    status_code=status.HTTP_202_ACCEPTED,
                    body="",
                )
        except IntegrityError:
            return _replay(IdempotentResponse.objects.get(**owner, key=key), digest)
        status_code, body = write()
        claim.status_code = status_code
        claim.body = json.dumps(body, cls=DjangoJSONEncoder)
        claim.save(update_fields=["status_code", "body"])
    # Answered from the text kept, so the first answer and a replay match.
    return Response(json.loads(claim.body), status=status_code)
