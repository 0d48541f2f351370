from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access.policy import record_member_read
from accounts.models import User
from core.dates import iowa_today
from core.forms import add_service_errors
from flags.forms import DismissForm
from flags.models import Flag
from flags.selectors import flag_action, flag_counts_by_kind, flag_get, flag_inbox
from flags.services import flag_dismiss


@login_required
@require_http_methods(["GET"])
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The user's open flags, soonest due first, filterable by kind."""
    actor = cast(User, request.user)
    kind = request.GET.get("kind", "")
    if kind not in Flag.Kind.values:
        kind = ""
    flags = list(flag_inbox(actor, kind or None))
    record_member_read(
        actor,
        {flag.member_id for flag in flags if flag.member_id is not None},
        purpose="flags.inbox",
        request=request,
    )
    counts = flag_counts_by_kind(actor)
    return render(
        request,
        "flags/inbox.html",
        {
            "rows": [(flag, flag_action(flag, actor)) for flag in flags],
            "kind": kind,
            "kinds": [
                (value, label, counts.get(value, 0))
                for value, label in Flag.Kind.choices
            ],
            "total": sum(counts.values()),
            "today": iowa_today(),
            "caseload_limit": settings.FLAG_THRESHOLDS["caseload_limit"],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dismiss_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Set a flag aside with a note, when the team knows it needs no action."""
    actor = cast(User, request.user)
    flag = flag_get(actor, public_id)
    if flag is None:
        raise Http404("No such flag in your work queue.")
    form = DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flag_dismiss(actor=actor, flag=flag, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, f"Dismissed: {flag.get_kind_display()}.")
            return redirect("flags:inbox")
    if flag.member_id is not None:
        record_member_read(
            actor, [flag.member_id], purpose="flags.dismiss", request=request
        )
    return render(
        request,
        "flags/dismiss.html",
        {
            "flag": flag,
            "form": form,
            "place": flag_action(flag, actor),
            "caseload_limit": settings.FLAG_THRESHOLDS["caseload_limit"],
        },
    )
