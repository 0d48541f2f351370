from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access.policy import Action, member_get
from accounts.models import User
from core.dates import iowa_today
from core.forms import add_service_errors
from milestones.forms import AuthorizationRoundForm, MilestoneLineForm
from milestones.rules import (
    MILESTONE_OUTCOMES,
    MILESTONE_SERVICES,
    CapRisk,
    Window,
    WindowsNotPossible,
    milestone_windows_propose,
)
from milestones.services import (
    CapWarning,
    MilestoneLineInput,
    authorization_round_create,
)

LINE_FIELDS = ("include", "window_begins_on", "window_ends_on", "authorization_number")


def _line_forms(
    data: Any = None, initial: dict[int, dict[str, Any]] | None = None
) -> list[MilestoneLineForm]:
    return [
        MilestoneLineForm(
            data,
            milestone=number,
            label=f"{number}. {MILESTONE_OUTCOMES[number]} "
            f"({MILESTONE_SERVICES[number].label.split(' – ')[0]})",
            initial=(initial or {}).get(number, {"include": True}),
        )
        for number in MILESTONE_OUTCOMES
    ]


def _proposed(data: Any) -> tuple[Any, list[MilestoneLineForm], str]:
    """Fill the windows from the plan start and the expected job month.

    The forms come back unbound, holding what was typed plus the proposal,
    so no field shows an error before the user asks to authorize. The third
    value is why no windows could be proposed, if so.
    """
    typed = AuthorizationRoundForm(data)
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
        AuthorizationRoundForm(initial=round_initial),
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

    if request.method != "POST":
        form = AuthorizationRoundForm(
            initial={"payer": member.payer, "authorized_on": today}
        )
        lines = _line_forms()
    elif "propose" in request.POST:
        form, lines, propose_problem = _proposed(request.POST)
    else:
        form = AuthorizationRoundForm(request.POST)
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
        },
    )
