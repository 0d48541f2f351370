from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access.policy import (
    Action,
    member_get,
    record_member_read,
    require,
    scope_members,
)
from accounts.models import User
from core.forms import add_service_errors
from jobs.forms import JobForm
from jobs.models import Job
from jobs.services import BelowMinimumWage, job_record
from members.models import Member
from milestones.forms import FitWindowsForm
from milestones.rules import windows_fitted_to_job
from milestones.selectors import milestone_lines_awaiting
from milestones.services import CapWarning, milestone_windows_fit_to_job


@login_required
@require_http_methods(["GET", "POST"])
def job_create_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.LOG_SERVICES, request=request)
    form = JobForm(request.POST or None)
    below_minimum = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = job_record(actor=actor, member=member, **data)
        except BelowMinimumWage:
            below_minimum = True
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(
                request,
                f"Job recorded. Day 45 is {job.day_45_on:%m/%d/%Y}, "
                f"day 90 is {job.day_90_on:%m/%d/%Y}.",
            )
            return redirect("members:detail", member.public_id)
    return render(
        request,
        "jobs/job_form.html",
        {"form": form, "member": member, "below_minimum": below_minimum},
    )


def _job_get(user: User, public_id: str) -> Job:
    job = (
        Job.objects.filter(
            public_id=public_id,
            member__in=scope_members(user, Member.objects.all()),
        )
        .select_related("member__payer")
        .first()
    )
    if job is None:
        raise Http404("No such job.")
    return job


@login_required
@require_http_methods(["GET", "POST"])
def fit_windows_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The case manager fits milestones 2–4 to a recorded job."""
    actor = cast(User, request.user)
    job = _job_get(actor, public_id)
    require(actor, Action.AUTHORIZE_SERVICES)
    record_member_read(
        actor, [job.member_id], purpose="job.fit_windows", request=request
    )
    awaiting = milestone_lines_awaiting(job.member)
    fitted = windows_fitted_to_job(job.first_day_on)
    rows = [
        {"line": awaiting[number], "proposed": window}
        for number, window in fitted.items()
        if number in awaiting
    ]

    form = FitWindowsForm(request.POST or None)
    cap_risks = []
    if request.method == "POST" and form.is_valid():
        try:
            milestone_windows_fit_to_job(
                actor=actor,
                job=job,
                cap_warning_seen=form.cleaned_data["cap_warning_seen"],
            )
        except CapWarning as warning:
            cap_risks = warning.risks
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Windows fitted to the job.")
            return redirect("members:detail", job.member.public_id)
    return render(
        request,
        "jobs/fit_windows.html",
        {
            "job": job,
            "member": job.member,
            "rows": rows,
            "form": form,
            "cap_risks": cap_risks,
        },
    )
