"""One error format for every failure the API answers.

    {"error": {"status": 400, "code": "invalid", "message": "...",
               "fields": {"achieved_on": ["..."]}}}

``fields`` appears for validation errors only; ``retry_after`` (seconds)
for throttled requests.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

API_PREFIX = "/api/"

MESSAGES = {
    status.HTTP_400_BAD_REQUEST: "The request is not valid.",
    status.HTTP_401_UNAUTHORIZED: "Authentication is required.",
    status.HTTP_403_FORBIDDEN: "This token or user may not do that.",
    status.HTTP_404_NOT_FOUND: "Not found.",
    status.HTTP_405_METHOD_NOT_ALLOWED: "Method not allowed.",
    status.HTTP_429_TOO_MANY_REQUESTS: "Too many requests.",
}


def error_body(
    status_code: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    retry_after: int | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    if retry_after is not None:
        error["retry_after"] = retry_after
    return {"error": error}


def _as_lists(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(name): [str(m) for m in (value if isinstance(value, list) else [value])]
            for name, value in detail.items()
        }
    messages = detail if isinstance(detail, list) else [detail]
    return {"non_field_errors": [str(m) for m in messages]}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, answering in the one error format."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    code = exc.get_codes() if not isinstance(exc.detail, (dict, list)) else "invalid"
    if isinstance(exc, exceptions.ValidationError):
        fields = _as_lists(exc.detail)
        message = MESSAGES[status.HTTP_400_BAD_REQUEST]
    else:
        fields = None
        message = str(exc.detail) or MESSAGES.get(response.status_code, "Error.")
    retry_after = getattr(exc, "wait", None)
    response.data = error_body(
        response.status_code,
        str(code),
        message,
        fields,
        int(retry_after) if retry_after is not None else None,
    )
    return response


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/ answer in the error format too."""
    return JsonResponse(
        error_body(404, "not_found", MESSAGES[status.HTTP_404_NOT_FOUND]), status=404
    )


def portal_bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    """400 outside any view (a body over the size limit): JSON under /api/."""
    if request.path.startswith(API_PREFIX):
        body = error_body(400, "bad_request", MESSAGES[status.HTTP_400_BAD_REQUEST])
        return JsonResponse(body, status=400)
    return defaults.bad_request(request, exception or Exception())


def portal_server_error(request: HttpRequest) -> HttpResponse:
    """500: the one error format under /api/, the portal's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        body = error_body(500, "server_error", "Something went wrong on our side.")
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
