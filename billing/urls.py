from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("", views.billing_view, name="home"),
    path("batches/new/", views.batch_create_view, name="create-batch"),
    path("batches/<uuid:public_id>/claims.csv", views.batch_download, name="download"),
    path("batches/<uuid:public_id>/", views.batch_detail, name="batch"),
    path("lines/<uuid:public_id>/release/", views.release_view, name="release"),
    path("lines/<uuid:public_id>/void/", views.void_view, name="void"),
]
