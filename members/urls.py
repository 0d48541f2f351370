from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.member_list_view, name="list"),
    path("new/", views.member_create_view, name="create"),
    path("<uuid:public_id>/", views.member_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.member_edit_view, name="edit"),
]
