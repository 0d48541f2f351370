from django.urls import path

from flags import views

app_name = "flags"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("<uuid:public_id>/dismiss/", views.dismiss_view, name="dismiss"),
]
