from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "IPS Portal administration"
admin.site.site_title = "IPS Portal admin"

urlpatterns = [
    path("", include("accounts.urls")),
    path("providers/", include("providers.urls")),
    path("members/", include("members.urls")),
    path("", include("referrals.urls")),
    path("", include("milestones.urls")),
    path("", include("jobs.urls")),
    path("", include("jobends.urls")),
    path("", include("coaching.urls")),
    path("billing/", include("billing.urls")),
    path("flags/", include("flags.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("", include("fidelity.urls")),
    path("api/v1/", include("api.urls")),
    path("api-tokens/", include("api.token_urls")),
    path("", include("audit.urls")),
    path("admin/", admin.site.urls),
]

# Errors raised outside any view answer in the API's format under /api/.
handler400 = "api.errors.portal_bad_request"
handler500 = "api.errors.portal_server_error"
