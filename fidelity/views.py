from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access.policy import Action, require, role_may
from accounts.models import User
from core.dates import iowa_today
from core.forms import add_service_errors
from fidelity.forms import FidelityReviewForm, VoidForm
from fidelity.rules import AREA_HIGHEST, Area
from fidelity.selectors import (
    fidelity_review_get,
    fidelity_review_history,
    fidelity_review_voided_list,
    fidelity_status_get,
    provider_get_for_page,
)
from fidelity.services import fidelity_review_record, fidelity_review_void
from providers.selectors import provider_list_for_directory


@login_required
def provider_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A provider site's page: its details and its fidelity reviews.

    Provider sites and their reviews are not member data: everyone signed
    in may read them, as they may read the directory.
    """
    site = provider_list_for_directory().filter(slug=slug).first()
    if site is None:
        site = provider_get_for_page(slug)  # raises Http404
    user = cast(User, request.user)
    return render(
        request,
        "fidelity/provider.html",
        {
            "site": site,
            "status": fidelity_status_get(site, iowa_today()),
            "history": fidelity_review_history(site),
            "voided": fidelity_review_voided_list(site),
            "areas": [(area, AREA_HIGHEST[area]) for area in Area],
            "may_record": role_may(user, Action.RECORD_FIDELITY_REVIEW),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The program reviewer records a provider's fidelity review."""
    actor = cast(User, request.user)
    site = provider_get_for_page(slug)
    require(actor, Action.RECORD_FIDELITY_REVIEW)
    # A post with nothing in it is still a post: bind it, so it shows errors.
    data = request.POST if request.method == "POST" else None
    form = FidelityReviewForm(data, initial={"reviewed_on": iowa_today()})
    if request.method == "POST" and form.is_valid():
        try:
            review = fidelity_review_record(
                actor=actor,
                provider=site,
                reviewed_on=form.cleaned_data["reviewed_on"],
                reviewers=form.cleaned_data["reviewers"],
                scores=form.scores(),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(
                request,
                f"Fidelity review recorded: {review.total} of 125, "
                f"{review.band_label.lower()}.",
            )
            return redirect("fidelity:review", review.public_id)
    return render(request, "fidelity/record.html", {"form": form, "site": site})


@login_required
def review_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """One review with all 25 item scores, by area."""
    review = fidelity_review_get(public_id)
    user = cast(User, request.user)
    return render(
        request,
        "fidelity/review.html",
        {
            "review": review,
            "site": review.provider,
            "may_void": role_may(user, Action.RECORD_FIDELITY_REVIEW)
            and not review.is_voided,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def void_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The program reviewer voids a wrong review, with a reason."""
    actor = cast(User, request.user)
    review = fidelity_review_get(public_id)
    require(actor, Action.RECORD_FIDELITY_REVIEW)
    if review.is_voided:
        messages.info(request, "This review is already voided.")
        return redirect("fidelity:review", review.public_id)
    form = VoidForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            fidelity_review_void(
                actor=actor, review=review, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Review voided. It stays on the record.")
            return redirect("fidelity:provider", review.provider.slug)
    return render(
        request,
        "fidelity/void.html",
        {"form": form, "review": review, "site": review.provider},
    )
