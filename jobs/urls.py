from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("members/<uuid:public_id>/jobs/new/", views.job_create_view, name="create"),
    path(
        "jobs/<uuid:public_id>/fit-windows/", views.fit_windows_view, name="fit-windows"
    ),
]
