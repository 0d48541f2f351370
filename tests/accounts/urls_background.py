"""The portal's URLs plus a status endpoint a page would poll by itself."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from accounts.sessions import not_activity


@not_activity
def status_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"signed_in": request.user.is_authenticated})


urlpatterns = [
    path("test-status/", status_view, name="test-status"),
    path("", include("ips_portal.urls")),
]
