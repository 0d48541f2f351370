from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import endpoints
from api.errors import api_not_found

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("members", endpoints.MemberViewSet, basename="member")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
    *router.urls,
    re_path(r"^.*$", api_not_found),
]
