"""Teach the OpenAPI generator how the API authenticates, pages and fails."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued by a portal administrator: `ips_…`.",
        }


class ErrorDetailSerializer(serializers.Serializer[Any]):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="e.g. invalid, not_found, throttled.")
    message = serializers.CharField()
    # The error format's own key; DRF's metaclass takes declared fields off
    # the class, so Serializer.fields is untouched at run time.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors only: messages by parameter or field.",
    )
    retry_after = serializers.IntegerField(
        required=False, help_text="Throttled requests only: seconds to wait."
    )


class ErrorSerializer(serializers.Serializer[Any]):
    """The one error format (api.errors)."""

    error = ErrorDetailSerializer()


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


# What any read may answer besides its data.
READ_ERRORS = {
    401: error_response("No token or session, or a token that is not valid."),
    403: error_response("The role of this user or token reads no member records."),
    429: error_response("Too many requests: see `retry_after`."),
}
LIST_ERRORS = {
    400: error_response(
        "A filter, `updated_since`, `cursor` or `page_size` is not valid."
    ),
    **READ_ERRORS,
}
DETAIL_ERRORS = {
    404: error_response("No such record in the caller's scope."),
    **READ_ERRORS,
}

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description=(
        "Only rows changed at or after this moment (ISO 8601 with its offset, "
        "e.g. 2026-12-01T06:00:00-06:00)."
    ),
)


def sync_schema(serializer: type[serializers.BaseSerializer[Any]]) -> Any:
    """Document a SyncViewSet: its list's sync parameter and both errors."""
    return extend_schema_view(
        list=extend_schema(
            parameters=[UPDATED_SINCE],
            responses={200: serializer, **LIST_ERRORS},
        ),
        retrieve=extend_schema(responses={200: serializer, **DETAIL_ERRORS}),
    )


def request_bodies_closed(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Say in the schema what the writes enforce: no keys beyond those named.

    A postprocessing hook: every request body component (``…Request``)
    gets ``additionalProperties: false``, so clients and generated tests
    know that an unknown key such as ``recorded_by`` is refused.
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
