"""Reads for the token pages."""

import uuid

from django.db.models import QuerySet

from api.models import ApiRequest, ApiToken

RECENT_REQUESTS = 50


def api_token_list() -> QuerySet[ApiToken]:
    """Every token, live or not, by organization and name. One query."""
    return ApiToken.objects.select_related("organization", "created_by").order_by(
        "organization__name", "name", "created_at"
    )


def api_token_get(public_id: uuid.UUID | str) -> ApiToken:
    """One token with its organization and the people who issued and revoked it.

    Raises ApiToken.DoesNotExist when there is none.
    """
    return ApiToken.objects.select_related(
        "organization", "created_by", "revoked_by"
    ).get(public_id=public_id)


def api_requests_recent(token: ApiToken) -> list[ApiRequest]:
    """The token's newest requests, newest first (the token_at index)."""
    return list(
        ApiRequest.objects.filter(token=token).order_by("-at")[:RECENT_REQUESTS]
    )
