"""Keyset pagination over (last change, id), for syncing while data changes.

Rows come in the order they last changed, ties broken by their public id
(so no internal id leaves the portal). The cursor
names the last row of a page, so a row inserted or changed while a client
pages through lands after everything already seen: nothing is skipped,
and a row is seen again only if it changed again.
"""

import base64
import binascii
import datetime
import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def encode_cursor(changed: datetime.datetime, public_id: uuid.UUID) -> str:
    raw = json.dumps([changed.isoformat(), str(public_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        changed_text, public_id = json.loads(raw)
        changed = parse_datetime(changed_text)
        if changed is None or changed.tzinfo is None:
            raise ValueError
        changed = changed.astimezone(datetime.UTC)
        tiebreak = uuid.UUID(public_id)
    except (ValueError, TypeError, AttributeError, OverflowError, binascii.Error):
        raise ValidationError(
            {"cursor": ["This cursor is not one the API gave."]}
        ) from None
    return changed, tiebreak


class ChangeCursorPagination(BasePagination):
    """Pages of ``page_size`` rows after ``cursor``; ``next`` links the next one.

    The view names its last-change field in ``change_field``.
    """

    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.change_field = view.change_field
        size_text = request.query_params.get("page_size")
        try:
            size = int(size_text) if size_text is not None else DEFAULT_PAGE_SIZE
        except ValueError:
            raise ValidationError(
                {"page_size": ["A whole number, 1 to 500."]}
            ) from None
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValidationError({"page_size": ["A whole number, 1 to 500."]})
        cursor = request.query_params.get("cursor")
        if cursor is not None:
            changed, public_id = decode_cursor(cursor)
            queryset = queryset.filter(
                Q(**{f"{self.change_field}__gt": changed})
                | Q(**{self.change_field: changed, "public_id__gt": public_id})
            )
        rows = list(queryset.order_by(self.change_field, "public_id")[: size + 1])
        self.has_next = len(rows) > size
        self.page = rows[:size]
        return self.page

    def next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        last = self.page[-1]
        params = self.request.query_params.copy()
        params["cursor"] = encode_cursor(
            getattr(last, self.change_field), last.public_id
        )
        return self.request.build_absolute_uri(
            f"{self.request.path}?{urlencode(params, doseq=True)}"
        )

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last one.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "From the previous page's `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": "Rows per page, 1 to 500 (default 100).",
                "schema": {"type": "integer", "minimum": 1, "maximum": 500},
            },
        ]
