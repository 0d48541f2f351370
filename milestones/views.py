from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access.policy import Action, member_get, record_member_read, require
from accounts.models import User
from core.dates import iowa_today
from core.forms import add_service_errors
from documents.render import pdf_response
from jobends.selectors import meetings_awaiting_authorization
from jobs.models import Job
from milestones.documents import documentation_packet_pdf, service_plan_pdf
from milestones.forms import (
    AchievementForm,
    AuthorizationRoundForm,
    EvidenceForm,
    MilestoneLineForm,
    VoidForm,
    WindowChangeForm,
)
from milestones.models import (
    AuthorizationRound,
    EvidenceDocument,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from milestones.rules import (
    MILESTONE_OUTCOMES,
    MILESTONE_SERVICES,
    CapRisk,
    Window,
    WindowsNotPossible,
    milestone_windows_propose,
)
from milestones.selectors import achievement_get, authorization_round_get, evidence_get
from milestones.services import (
    EVIDENCE_KINDS,
    EVIDENCE_REQUIRED,
    CapWarning,
    EvidenceUpload,
    MilestoneLineInput,
    achievement_log,
    achievement_void,
    authorization_round_create,
    evidence_add,
    evidence_field,
    milestone_window_change,
)

LINE_FIELDS = ("include", "window_begins_on", "window_ends_on", "authorization_number")


def _line_forms(
    data: Any = None,
    initial: dict[int, dict[str, Any]] | None = None,
    is_reauthorization: bool = False,
) -> list[MilestoneLineForm]:
    # A reauthorization usually needs milestones 2 to 4; 1 only with a new plan.
    default = {n: {"include": not (is_reauthorization and n == 1)} for n in range(1, 5)}
    return [
        MilestoneLineForm(
            data,
            milestone=number,
            label=f"{number}. {MILESTONE_OUTCOMES[number]} "
            f"({MILESTONE_SERVICES[number].label.split(' – ')[0]})",
            initial=(initial or {}).get(number, default[number]),
        )
        for number in MILESTONE_OUTCOMES
    ]


def _proposed(data: Any, meetings: Any) -> tuple[Any, list[MilestoneLineForm], str]:
    """Fill the windows from the plan start and the expected job month.

    The forms come back unbound, holding what was typed plus the proposal,
    so no field shows an error before the user asks to authorize. The third
    value is why no windows could be proposed, if so.
    """
    typed = AuthorizationRoundForm(data, meetings=meetings)
    round_initial = {name: typed[name].value() for name in typed.fields}
    line_initial = {
        number: {
            name: data.get(f"m{number}-{name}", "")
            for name in LINE_FIELDS
            if name != "include"
        }
        | {"include": bool(data.get(f"m{number}-include"))}
        for number in MILESTONE_OUTCOMES
    }
    problem = ""
    try:
        plan_starts_on = typed.fields["plan_starts_on"].clean(
            data.get("plan_starts_on")
        )
        job_month = typed.fields["job_expected_in"].clean(data.get("job_expected_in"))
        if not plan_starts_on or not job_month:
            raise WindowsNotPossible(
                "Give the plan start and the expected job month to propose windows."
            )
        windows = milestone_windows_propose(plan_starts_on, job_month)
    except (ValidationError, WindowsNotPossible) as error:
        problem = " ".join(getattr(error, "messages", [str(error)]))
    else:
        for number, window in windows.items():
            line_initial[number].update(
                window_begins_on=window.begins_on, window_ends_on=window.ends_on
            )
    return (
        AuthorizationRoundForm(initial=round_initial, meetings=meetings),
        _line_forms(initial=line_initial),
        problem,
    )


@login_required
@require_http_methods(["GET", "POST"])
def authorize_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Authorize milestones for a member: all four up front in the first round."""
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.AUTHORIZE_SERVICES, request=request)
    today = iowa_today()
    cap_risks: list[CapRisk] = []
    propose_problem = ""
    is_reauthorization = AuthorizationRound.objects.filter(
        member=member, episode__closed_on__isnull=True, voided_at__isnull=True
    ).exists()
    meetings = meetings_awaiting_authorization(member) if is_reauthorization else None

    if request.method != "POST":
        newest = meetings.first() if meetings is not None else None
        form = AuthorizationRoundForm(
            initial={"payer": member.payer, "authorized_on": today, "meeting": newest},
            meetings=meetings,
        )
        lines = _line_forms(is_reauthorization=is_reauthorization)
    elif "propose" in request.POST:
        form, lines, propose_problem = _proposed(request.POST, meetings)
    else:
        form = AuthorizationRoundForm(request.POST, meetings=meetings)
        lines = _line_forms(request.POST)
        if form.is_valid() and all(line.is_valid() for line in lines):
            data = form.cleaned_data
            try:
                authorization_round_create(
                    actor=actor,
                    member=member,
                    payer=data["payer"],
                    authorized_on=data["authorized_on"],
                    plan_dated_on=data["plan_dated_on"],
                    plan_reference=data["plan_reference"],
                    lines=[
                        MilestoneLineInput(
                            milestone=line.milestone,
                            window=Window(
                                line.cleaned_data["window_begins_on"],
                                line.cleaned_data["window_ends_on"],
                            ),
                            authorization_number=line.cleaned_data[
                                "authorization_number"
                            ],
                        )
                        for line in lines
                        if line.cleaned_data["include"]
                    ],
                    cap_warning_seen=data["cap_warning_seen"],
                    meeting=data.get("meeting"),
                )
            except CapWarning as warning:
                cap_risks = warning.risks
            except ValidationError as error:
                add_service_errors(
                    {"": form, **{f"m{line.milestone}": line for line in lines}}, error
                )
            else:
                messages.success(request, "Milestones authorized.")
                return redirect("members:detail", member.public_id)

    return render(
        request,
        "milestones/authorize.html",
        {
            "member": member,
            "form": form,
            "lines": lines,
            "cap_risks": cap_risks,
            "propose_problem": propose_problem,
            "is_reauthorization": is_reauthorization,
            "line_errors": any(line.is_bound and line.errors for line in lines),
        },
    )


def _line_of(
    authorization: AuthorizationRound, milestone: int
) -> MilestoneAuthorization:
    line = authorization.lines.filter(milestone=milestone).first()
    if line is None:
        raise Http404("That milestone is not in this authorization.")
    return line


@login_required
@require_http_methods(["GET", "POST"])
def achieve_view(request: HttpRequest, public_id: str, milestone: int) -> HttpResponse:
    """The specialist logs a milestone with its documentation."""
    actor = cast(User, request.user)
    authorization = authorization_round_get(actor, public_id)
    require(actor, Action.LOG_SERVICES)
    line = _line_of(authorization, milestone)
    member = authorization.member
    record_member_read(actor, [member.pk], purpose="achievement.log", request=request)

    cap_risks: list[CapRisk] = []
    form = AchievementForm(
        request.POST or None,
        request.FILES or None,
        milestone=milestone,
        jobs=Job.objects.filter(member=member).order_by("-first_day_on"),
        evidence_kinds=EVIDENCE_KINDS[milestone],
        required_kind=EVIDENCE_REQUIRED[milestone],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evidence = [
            EvidenceUpload(kind=kind, file=data[evidence_field(kind)])
            for kind in EVIDENCE_KINDS[milestone]
            if data.get(evidence_field(kind))
        ]
        try:
            achievement = achievement_log(
                actor=actor,
                line=line,
                achieved_on=data.get("achieved_on"),
                job=data.get("job"),
                evidence=evidence,
                cap_warning_seen=bool(request.POST.get("cap_warning_seen")),
            )
        except CapWarning as warning:
            cap_risks = warning.risks
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            note = (
                f"Milestone {milestone} logged as achieved on "
                f"{achievement.achieved_on:%m/%d/%Y}."
            )
            if not achievement.is_billable:
                note += (
                    " It is outside the authorized window: not billable until "
                    "the window changes."
                )
                messages.warning(request, note)
            else:
                messages.success(request, note)
            return redirect("members:detail", member.public_id)
    return render(
        request,
        "milestones/achieve.html",
        {
            "form": form,
            "line": line,
            "member": member,
            "authorization": authorization,
            "cap_risks": cap_risks,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def window_change_view(
    request: HttpRequest, public_id: str, milestone: int
) -> HttpResponse:
    """The case manager changes one milestone's window, with a reason."""
    actor = cast(User, request.user)
    authorization = authorization_round_get(actor, public_id)
    require(actor, Action.AUTHORIZE_SERVICES)
    record_member_read(
        actor, [authorization.member_id], purpose="services.window", request=request
    )
    line = _line_of(authorization, milestone)
    form = WindowChangeForm(
        request.POST or None,
        initial={
            "window_begins_on": line.window_begins_on,
            "window_ends_on": line.window_ends_on,
        },
    )
    cap_risks: list[CapRisk] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            milestone_window_change(
                actor=actor,
                line=line,
                window=Window(data["window_begins_on"], data["window_ends_on"]),
                reason=data["reason"],
                cap_warning_seen=data["cap_warning_seen"],
            )
        except CapWarning as warning:
            cap_risks = warning.risks
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, f"Milestone {milestone}'s window changed.")
            return redirect("members:detail", authorization.member.public_id)
    return render(
        request,
        "milestones/window_change.html",
        {
            "form": form,
            "line": line,
            "member": authorization.member,
            "cap_risks": cap_risks,
        },
    )


def _record_achievement_read(
    request: HttpRequest, actor: User, achievement: MilestoneAchievement
) -> None:
    record_member_read(
        actor,
        [achievement.line.round.member_id],
        purpose="achievement.open",
        request=request,
    )


@login_required
@require_http_methods(["GET", "POST"])
def achievement_void_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    achievement = achievement_get(actor, public_id)
    require(actor, Action.LOG_SERVICES)
    _record_achievement_read(request, actor, achievement)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            achievement_void(
                actor=actor, achievement=achievement, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Achievement voided. It stays on the record.")
            return redirect("members:detail", achievement.line.round.member.public_id)
    return render(
        request,
        "milestones/achievement_void.html",
        {
            "form": form,
            "achievement": achievement,
            "member": achievement.line.round.member,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    achievement = achievement_get(actor, public_id)
    require(actor, Action.LOG_SERVICES)
    _record_achievement_read(request, actor, achievement)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        kinds=EVIDENCE_KINDS[achievement.line.milestone],
    )
    if request.method == "POST" and form.is_valid():
        upload = EvidenceUpload(
            kind=form.cleaned_data["kind"], file=form.cleaned_data["file"]
        )
        try:
            evidence_add(actor=actor, achievement=achievement, upload=upload)
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Document attached.")
            return redirect("members:detail", achievement.line.round.member.public_id)
    return render(
        request,
        "milestones/evidence_add.html",
        {
            "form": form,
            "achievement": achievement,
            "member": achievement.line.round.member,
        },
    )


def download_name(document: EvidenceDocument) -> str:
    """What the file is, with the extension of what it really is.

    Never the uploaded name: people name scans after the member, and a
    download's name lands in download folders and browser histories. The
    page lists the uploaded name beside the link.
    """
    kind = document.kind.replace("_", "-")
    return f"{kind}-{str(document.public_id)[:8]}.{document.extension}"


@login_required
@require_http_methods(["GET", "HEAD"])
def evidence_download(request: HttpRequest, public_id: str) -> FileResponse:
    """Send a document to a user in scope, as an attachment, never inline."""
    document = evidence_get(request.user, public_id)
    record_member_read(
        request.user,
        [document.achievement.line.round.member_id],
        purpose="evidence.download",
        request=request,
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=download_name(document),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def service_plan_pdf_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Download one round's service plan authorization as a PDF."""
    authorization = authorization_round_get(request.user, public_id)
    record_member_read(
        request.user,
        [authorization.member_id],
        purpose="document.service_plan",
        request=request,
    )
    pdf = service_plan_pdf(authorization, request.user)
    return pdf_response(pdf, document_filename("service-plan-authorization", public_id))


@login_required
@require_http_methods(["GET", "HEAD"])
def documentation_packet_pdf_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Download the documentation packet of one achieved milestone as a PDF."""
    achievement = achievement_get(request.user, public_id)
    record_member_read(
        request.user,
        [achievement.line.round.member_id],
        purpose="document.milestone_packet",
        request=request,
    )
    pdf = documentation_packet_pdf(achievement, request.user)
    return pdf_response(pdf, document_filename("milestone-documentation", public_id))


def document_filename(kind: str, public_id: Any) -> str:
    """Name a download by what it is and a short id, never by whom it is about."""
    return f"{kind}-{str(public_id)[:8]}.pdf"
