from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import endpoints
from api.errors import api_not_found
from api.writes import AchievementLogView, CoachingEntryLogView

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("members", endpoints.MemberViewSet, basename="member")
router.register("referrals", endpoints.ReferralViewSet, basename="referral")
router.register(
    "authorizations", endpoints.AuthorizationRoundViewSet, basename="authorization"
)
router.register("jobs", endpoints.JobViewSet, basename="job")
router.register("job-ends", endpoints.JobEndViewSet, basename="job-end")
router.register(
    "coaching-authorizations",
    endpoints.CoachingPeriodViewSet,
    basename="coaching-authorization",
)
router.register(
    "coaching-months", endpoints.CoachingMonthViewSet, basename="coaching-month"
)
router.register("flags", endpoints.FlagViewSet, basename="flag")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
    path("achievements/", AchievementLogView.as_view(), name="achievement-log"),
    path(
        "coaching-entries/", CoachingEntryLogView.as_view(), name="coaching-entry-log"
    ),
    *router.urls,
    re_path(r"^.*$", api_not_found),
]
