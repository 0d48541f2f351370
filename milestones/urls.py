from django.urls import path

from milestones import views

app_name = "milestones"

urlpatterns = [
    path(
        "members/<uuid:public_id>/authorize/",
        views.authorize_view,
        name="authorize",
    ),
    path(
        "authorizations/<uuid:public_id>/milestone/<int:milestone>/achieve/",
        views.achieve_view,
        name="achieve",
    ),
    path(
        "authorizations/<uuid:public_id>/milestone/<int:milestone>/window/",
        views.window_change_view,
        name="change-window",
    ),
    path(
        "authorizations/<uuid:public_id>/service-plan.pdf",
        views.service_plan_pdf_view,
        name="service-plan-pdf",
    ),
    path(
        "achievements/<uuid:public_id>/documentation.pdf",
        views.documentation_packet_pdf_view,
        name="documentation-pdf",
    ),
    path(
        "achievements/<uuid:public_id>/void/",
        views.achievement_void_view,
        name="void-achievement",
    ),
    path(
        "achievements/<uuid:public_id>/documents/",
        views.evidence_add_view,
        name="add-evidence",
    ),
    path(
        "documents/<uuid:public_id>/",
        views.evidence_download,
        name="download-evidence",
    ),
]
