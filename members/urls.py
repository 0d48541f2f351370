from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.member_list_view, name="list"),
    path("<uuid:public_id>/", views.member_detail, name="detail"),
]
