from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path(
        "members/<uuid:public_id>/coaching/authorize/",
        views.authorize_view,
        name="authorize",
    ),
    path("members/<uuid:public_id>/coaching/log/", views.log_view, name="log"),
]
