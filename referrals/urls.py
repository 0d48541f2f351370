from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("members/<uuid:public_id>/refer/", views.referral_create_view, name="create"),
    path("referrals/caseload/", views.caseload_view, name="caseload"),
    path("referrals/<uuid:public_id>/", views.referral_detail, name="detail"),
    *(
        path(
            f"referrals/<uuid:public_id>/{answer}/",
            views.referral_answer,
            {"answer": answer},
            name=answer,
        )
        for answer in ("accept", "redirect", "withdraw")
    ),
]
