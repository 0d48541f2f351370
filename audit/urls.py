from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.search_view, name="search"),
    path("members/<uuid:public_id>/access/", views.member_view, name="member"),
]
