"""Shared behaviour of every API view: auth, scope, logging, sync filters."""

import datetime
import functools
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from access.policy import record_member_read
from api.authentication import client_address
from api.models import ApiRequest, ApiToken
from api.pagination import ChangeCursorPagination


def updated_since(request: Request) -> Any:
    """The ``updated_since`` filter's moment, or None when not given."""
    text = request.query_params.get("updated_since")
    if text is None:
        return None
    try:
        moment = parse_datetime(text)
        # In UTC: the database takes no offset beyond a real time zone's.
        if moment is not None and moment.tzinfo is not None:
            moment = moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):  # e.g. month 13, or year 1 at -05:00
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValidationError(
            {
                "updated_since": [
                    "An ISO 8601 date and time with its offset, "
                    "e.g. 2026-12-01T06:00:00-06:00."
                ]
            }
        )
    return moment


class ApiViewMixin:
    """Logs each token request and records which members a response showed."""

    @classmethod
    def as_view(cls, *args: Any, **initkwargs: Any) -> Any:
        """The view in its own transaction, then the request logged.

        A refused request rolls its transaction back (DRF marks it so), and
        the log row must survive that: it is saved after the transaction
        ends. This takes the place of ATOMIC_REQUESTS for API views.
        """
        view = super().as_view(*args, **initkwargs)  # type: ignore[misc]

        @functools.wraps(view)
        def logged_view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
            token_request = getattr(response, "token_request", None)
            if token_request is not None:
                token_request.save()
            return response

        return transaction.non_atomic_requests(logged_view)

    def finalize_response(
        self, request: HttpRequest, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(  # type: ignore[misc]
            request, response, *args, **kwargs
        )
        drf_request = self.request  # type: ignore[attr-defined]
        token = getattr(drf_request, "auth", None)
        if isinstance(token, ApiToken):
            response.token_request = ApiRequest(  # type: ignore[attr-defined]
                token=token,
                method=drf_request.method or "",
                path=drf_request.path[:300],
                status_code=response.status_code,
                remote_addr=client_address(drf_request) or None,
            )
        return response

    def member_ids_shown(self, rows: list[Any]) -> list[int]:
        """Which members these rows are about; views override for their model."""
        return []

    def record_read(self, rows: list[Any]) -> None:
        """Record the members these rows showed, as ``api.<resource>.list``
        or ``api.<resource>.detail`` (e.g. ``api.member.list``)."""
        ids = self.member_ids_shown(rows)
        if ids:
            request = self.request  # type: ignore[attr-defined]
            resource = getattr(self, "basename", None) or type(self).__name__
            kind = "detail" if getattr(self, "action", "") == "retrieve" else "list"
            record_member_read(
                request.user,
                ids,
                purpose=f"api.{resource}.{kind}",
                request=request._request,
            )


class SyncViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):  # fmt: skip
    """A read-only list and detail over rows in the caller's scope.

    Subclasses give ``scoped_queryset`` (already limited to what the caller
    may see), ``change_field`` (the row's last change, for ``updated_since``
    and the cursor) and ``member_path`` (how a row reaches its member).
    Details are looked up by ``public_id``; out of scope is 404.
    """

    pagination_class = ChangeCursorPagination
    lookup_field = "public_id"
    change_field = "updated_at"
    member_path = "member_id"

    def scoped_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.scoped_queryset()
        since = updated_since(self.request)
        if since is not None:
            queryset = queryset.filter(**{f"{self.change_field}__gte": since})
        return queryset

    def member_ids_shown(self, rows: list[Any]) -> list[int]:
        attribute = self.member_path
        return sorted({getattr(row, attribute) for row in rows} - {None})

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        assert page is not None  # noqa: S101 (every list is paginated)
        self.record_read(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        self.record_read([row])
        return Response(self.get_serializer(row).data)
