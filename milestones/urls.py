from django.urls import path

from milestones import views

app_name = "milestones"

urlpatterns = [
    path(
        "members/<uuid:public_id>/authorize/",
        views.authorize_view,
        name="authorize",
    ),
]
