from django.urls import path

from jobends import views

app_name = "jobends"

urlpatterns = [
    path("jobs/<uuid:public_id>/end/", views.job_end_record_view, name="record"),
    path("job-ends/<uuid:public_id>/", views.job_end_detail, name="detail"),
    path("job-ends/<uuid:public_id>/form/", views.job_end_form_view, name="form"),
    path(
        "job-ends/<uuid:public_id>/form.pdf",
        views.job_end_form_pdf_view,
        name="form-pdf",
    ),
    path(
        "job-ends/<uuid:public_id>/perspectives/",
        views.perspective_add_view,
        name="add-perspective",
    ),
    path(
        "job-ends/<uuid:public_id>/next-step/", views.next_step_view, name="next-step"
    ),
    path("members/<uuid:public_id>/meetings/new/", views.meeting_view, name="meeting"),
    path("members/<uuid:public_id>/consent/", views.consent_view, name="consent"),
    path("members/<uuid:public_id>/team-log/", views.team_log_view, name="team-log"),
    path("members/<uuid:public_id>/exit/", views.exit_view, name="exit"),
]
