import datetime
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access.policy import Action, member_get
from accounts.models import User
from coaching.forms import CoachingEntryForm, CoachingPeriodForm
from coaching.models import CoachingPeriod
from coaching.services import coaching_entry_log, coaching_period_authorize
from core.dates import iowa_today
from core.forms import add_service_errors
from milestones.rules import CapRisk
from milestones.services import CapWarning


@login_required
@require_http_methods(["GET", "POST"])
def authorize_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The case manager authorizes a coaching tier for 90 days."""
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.AUTHORIZE_SERVICES, request=request)
    current = CoachingPeriod.objects.filter(member=member).order_by("-ends_on").first()
    begins_on = iowa_today()
    if current is not None and current.ends_on >= begins_on:
        begins_on = current.ends_on + datetime.timedelta(days=1)
    form = CoachingPeriodForm(
        request.POST or None,
        initial={
            "payer": member.payer,
            "authorized_on": iowa_today(),
            "begins_on": begins_on,
            "tier": current.tier if current else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            coaching_period_authorize(actor=actor, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Coaching authorized for 90 days.")
            return redirect("members:detail", member.public_id)
    return render(
        request,
        "coaching/authorize.html",
        {"form": form, "member": member, "current": current},
    )


@login_required
@require_http_methods(["GET", "POST"])
def log_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The specialist logs coaching given on a day."""
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.LOG_SERVICES, request=request)
    form = CoachingEntryForm(request.POST or None, initial={"coached_on": iowa_today()})
    cap_risks: list[CapRisk] = []
    if request.method == "POST" and form.is_valid():
        try:
            coaching_entry_log(actor=actor, member=member, **form.cleaned_data)
        except CapWarning as warning:
            cap_risks = warning.risks
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Coaching logged.")
            return redirect("members:detail", member.public_id)
    return render(
        request,
        "coaching/log.html",
        {"form": form, "member": member, "cap_risks": cap_risks},
    )
