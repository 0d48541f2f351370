from django.urls import path

from api import token_pages

app_name = "api-tokens"

urlpatterns = [
    path("", token_pages.token_list_view, name="list"),
    path("new/", token_pages.token_issue_view, name="issue"),
    path("<uuid:public_id>/", token_pages.token_detail_view, name="detail"),
    path("<uuid:public_id>/revoke/", token_pages.token_revoke_view, name="revoke"),
]
