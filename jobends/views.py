import contextlib
import uuid
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from access.policy import (
    Action,
    member_get,
    record_member_read,
    require_action_on_member,
    role_may,
    scope_members,
)
from accounts.models import User
from core.dates import iowa_today
from core.forms import add_service_errors
from documents.render import pdf_response
from jobends.documents import job_end_form_pdf
from jobends.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    ExitForm,
    JobEndForm,
    JobEndFormForm,
    NextStepForm,
    PerspectiveForm,
    TeamLogForm,
    TeamMeetingForm,
)
from jobends.models import EmployerContactConsent, JobEnd
from jobends.selectors import consent_current, job_end_get, job_get
from jobends.services import (
    WHAT_JOBS_TEACH,
    employer_consent_problem,
    employer_consent_record,
    employer_consent_withdraw,
    episode_exit,
    job_end_form_complete,
    job_end_next_step,
    job_end_record,
    perspective_add,
    team_log_add,
    team_meeting_record,
)
from members.models import Member


@login_required
@require_http_methods(["GET", "POST"])
def job_end_record_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    job = job_get(actor, public_id)
    require_action_on_member(actor, Action.RECORD_JOB_END, job.member)
    record_member_read(
        actor, [job.member_id], purpose="job_end.record", request=request
    )
    form = JobEndForm(request.POST or None, initial={"ended_on": iowa_today()})
    if request.method == "POST" and form.is_valid():
        try:
            job_end = job_end_record(actor=actor, job=job, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(
                request,
                "Job end recorded. Help toward another job is always offered; "
                "complete the job-end form with the member when you can.",
            )
            return redirect("jobends:detail", job_end.public_id)
    return render(
        request,
        "jobends/job_end_record.html",
        {"form": form, "job": job, "member": job.member},
    )


# The two forms on the job-end page, by their name in the page's context.
FORM_PREFIXES = {"form_form": "form", "perspective_form": "view"}


def _may(actor: User, action: Action, member: Member) -> bool:
    try:
        require_action_on_member(actor, action, member)
    except PermissionDenied:
        return False
    return True


def _detail_context(actor: User, job_end: JobEnd, **bound: object) -> dict[str, object]:
    member = job_end.job.member
    can_write = _may(actor, Action.RECORD_JOB_END, member)
    initial = {field: getattr(member, field) for field in WHAT_JOBS_TEACH} | {
        field: getattr(job_end, field)
        for field in (
            "differed_from_expectations",
            "differed_notes",
            "duties_changed",
            "duties_notes",
        )
    }
    return {
        "job_end": job_end,
        "job": job_end.job,
        "member": member,
        "can_write": can_write,
        "can_exit": _may(actor, Action.EXIT_MEMBER, member),
        "employer_problem": employer_consent_problem(member, iowa_today()),
        "form_form": bound.get("form_form")
        or JobEndFormForm(initial=initial, prefix=FORM_PREFIXES["form_form"]),
        "perspective_form": bound.get("perspective_form")
        or PerspectiveForm(prefix=FORM_PREFIXES["perspective_form"]),
        "next_step_choices": JobEnd.NextStep,
    }


@login_required
def job_end_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    job_end = job_end_get(actor, public_id)
    record_member_read(
        actor, [job_end.job.member_id], purpose="job_end.view", request=request
    )
    return render(
        request, "jobends/job_end_detail.html", _detail_context(actor, job_end)
    )


@login_required
@require_http_methods(["GET"])
def job_end_form_pdf_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Download the job-end form; named by an opaque id, never the member."""
    actor = cast(User, request.user)
    job_end = job_end_get(actor, public_id)
    record_member_read(
        actor,
        [job_end.job.member_id],
        purpose="document.job_end_form",
        request=request,
    )
    pdf = job_end_form_pdf(job_end, actor)
    return pdf_response(pdf, f"job-end-form-{str(job_end.public_id)[:8]}.pdf")


def _post_on_job_end(
    request: HttpRequest,
    public_id: str,
    form_class: type[forms.Form],
    context_name: str,
    save: Callable[[User, JobEnd, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Handle one of the job-end page's forms; on error, show the page again.

    The page keeps what was typed in the failing form, with its messages.
    """
    actor = cast(User, request.user)
    job_end = job_end_get(actor, public_id)
    require_action_on_member(actor, Action.RECORD_JOB_END, job_end.job.member)
    form = form_class(request.POST, prefix=FORM_PREFIXES[context_name])
    if form.is_valid():
        try:
            save(actor, job_end, form.cleaned_data)
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, done)
            return redirect("jobends:detail", job_end.public_id)
    # Shown again with its errors, the page shows the member again.
    record_member_read(
        actor, [job_end.job.member_id], purpose="job_end.view", request=request
    )
    context = _detail_context(actor, job_end, **{context_name: form})
    return render(request, "jobends/job_end_detail.html", context, status=400)


@login_required
@require_POST
def job_end_form_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _post_on_job_end(
        request,
        public_id,
        JobEndFormForm,
        "form_form",
        lambda actor, job_end, data: job_end_form_complete(
            actor=actor, job_end=job_end, answers=data
        ),
        "Job-end form saved.",
    )


@login_required
@require_POST
def perspective_add_view(request: HttpRequest, public_id: str) -> HttpResponse:
    return _post_on_job_end(
        request,
        public_id,
        PerspectiveForm,
        "perspective_form",
        lambda actor, job_end, data: perspective_add(
            actor=actor, job_end=job_end, **data
        ),
        "Perspective added.",
    )


@login_required
@require_POST
def next_step_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """After a job end: another job (the meeting), education, or exit."""
    actor = cast(User, request.user)
    job_end = job_end_get(actor, public_id)
    form = NextStepForm(request.POST)
    if not form.is_valid():
        raise Http404("No such next step.")
    next_step = form.cleaned_data["next_step"]
    if next_step == JobEnd.NextStep.EXIT:
        require_action_on_member(actor, Action.EXIT_MEMBER, job_end.job.member)
    job_end_next_step(actor=actor, job_end=job_end, next_step=next_step)
    member = job_end.job.member
    if next_step == JobEnd.NextStep.ANOTHER_JOB:
        meeting_url = reverse("jobends:meeting", args=[member.public_id])
        return redirect(f"{meeting_url}?job_end={job_end.public_id}")
    if next_step == JobEnd.NextStep.EXIT:
        return redirect("jobends:exit", member.public_id)
    messages.success(request, "Noted: a training or education program comes next.")
    return redirect("members:detail", member.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record the team meeting that comes before a reauthorization."""
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.WRITE_TEAM_LOG, request=request)
    job_ends = JobEnd.objects.filter(job__member=member).select_related("job")
    chosen = None
    with contextlib.suppress(ValueError):
        # The job end to preselect comes from a link; anything else is ignored.
        chosen = job_ends.filter(
            public_id=uuid.UUID(request.GET.get("job_end", ""))
        ).first()
    form = TeamMeetingForm(
        request.POST or None,
        job_ends=job_ends,
        initial={
            "job_end": chosen,
            "met_on": iowa_today(),
            "member_attended": True,
            "specialist_attended": True,
            "case_manager_attended": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            team_meeting_record(actor=actor, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(
                request,
                "Team meeting recorded. The case manager can now authorize the "
                "milestones still needed.",
            )
            if role_may(actor, Action.AUTHORIZE_SERVICES):
                return redirect("milestones:authorize", member.public_id)
            return redirect("members:detail", member.public_id)
    return render(request, "jobends/meeting.html", {"form": form, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def consent_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.WRITE_TEAM_LOG, request=request)
    consent = consent_current(member)
    is_active = consent is not None and consent.withdrawn_on is None
    form: ConsentForm | ConsentWithdrawForm
    if is_active:
        form = ConsentWithdrawForm(
            request.POST or None, initial={"withdrawn_on": iowa_today()}
        )
    else:
        form = ConsentForm(request.POST or None, initial={"given_on": iowa_today()})
    if request.method == "POST" and form.is_valid():
        try:
            if is_active:
                employer_consent_withdraw(
                    actor=actor,
                    consent=cast(EmployerContactConsent, consent),
                    withdrawn_on=form.cleaned_data["withdrawn_on"],
                )
            else:
                employer_consent_record(
                    actor=actor, member=member, given_on=form.cleaned_data["given_on"]
                )
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Consent to contact employers updated.")
            return redirect("members:detail", member.public_id)
    return render(
        request,
        "jobends/consent.html",
        {"form": form, "member": member, "consent": consent, "is_active": is_active},
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_log_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.WRITE_TEAM_LOG, request=request)
    form = TeamLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team_log_add(actor=actor, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Added to the team log.")
            return redirect("members:detail", member.public_id)
    return render(request, "jobends/team_log.html", {"form": form, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def exit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.EXIT_MEMBER, request=request)
    if not member.episodes.filter(closed_on__isnull=True).exists():
        raise PermissionDenied
    form = ExitForm(request.POST or None, initial={"exited_on": iowa_today()})
    if request.method == "POST" and form.is_valid():
        try:
            episode_exit(actor=actor, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(
                request,
                "Exit recorded with its transition plan. The member can be "
                "referred again at any time.",
            )
            # Provider staff no longer see a member who has exited.
            if scope_members(actor, Member.objects.filter(pk=member.pk)).exists():
                return redirect("members:detail", member.public_id)
            return redirect("accounts:home")
    return render(request, "jobends/exit.html", {"form": form, "member": member})
