from django.urls import path

from fidelity import views

app_name = "fidelity"

# The provider page lives here, beside the directory's address, because
# what it adds to the directory's card is the provider's fidelity reviews.
urlpatterns = [
    path("providers/<slug:slug>/", views.provider_view, name="provider"),
    path(
        "providers/<slug:slug>/fidelity-reviews/new/",
        views.record_view,
        name="record",
    ),
    path("fidelity-reviews/<uuid:public_id>/", views.review_view, name="review"),
    path(
        "fidelity-reviews/<uuid:public_id>/void/",
        views.void_view,
        name="void",
    ),
]
