import re
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from access.policy import (
    Action,
    member_get,
    record_member_read,
    require,
    role_may,
    scope_members,
)
from accounts.models import User
from core.dates import iowa_today
from core.forms import add_service_errors
from members.models import Member
from providers.selectors import provider_suggestions_for_county
from referrals.forms import (
    AcceptForm,
    ReassignForm,
    RedirectForm,
    ReferralForm,
    WithdrawForm,
)
from referrals.models import Referral
from referrals.selectors import open_episodes_for_provider, referral_get
from referrals.services import (
    assignable_specialists,
    caseload_reassign,
    open_referral_problem,
    referral_accept,
    referral_create,
    referral_redirect,
    referral_withdraw,
)


@login_required
@require_http_methods(["GET", "POST"])
def referral_create_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.REFER_MEMBER, request=request)
    suggestions = provider_suggestions_for_county(member.county)
    form = ReferralForm(
        request.POST or None,
        suggestions=suggestions,
        initial={
            "referred_on": iowa_today(),
            "wants_to_work": True,
            "benefits_planning": member.benefits_planning,
            "benefits_planning_on": member.benefits_planning_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral_create(
                actor=actor,
                member=member,
                provider=data["provider"],
                referred_on=data["referred_on"],
                conversation=data,
            )
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(
                request, f"Referred to {str(data['provider']).rstrip('.')}."
            )
            return redirect("members:detail", member.public_id)
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "member": member,
            "suggestions": suggestions,
            "blocked": open_referral_problem(member),
        },
    )


def _answer_forms(
    actor: User, referral: Referral, data: Any = None, which: str = ""
) -> dict[str, Any]:
    """The forms a user may use on a referral; ``which`` gets the posted data."""
    forms: dict[str, Any] = {}
    if referral.status != Referral.Status.PENDING:
        return forms
    provider = getattr(actor.organization, "provider_site", None)
    is_receiving_supervisor = (
        role_may(actor, Action.RESPOND_TO_REFERRAL)
        and provider is not None
        and provider.pk == referral.provider_id
    )
    if is_receiving_supervisor:
        forms["accept_form"] = AcceptForm(
            data if which == "accept" else None,
            specialists=assignable_specialists(referral.provider),
            initial={"accepted_on": iowa_today()},
            prefix="accept",
        )
        forms["redirect_form"] = RedirectForm(
            data if which == "redirect" else None,
            exclude=referral.provider,
            prefix="redirect",
        )
    if is_receiving_supervisor or role_may(actor, Action.REFER_MEMBER):
        forms["withdraw_form"] = WithdrawForm(
            data if which == "withdraw" else None, prefix="withdraw"
        )
    return forms


def _render_detail(
    request: HttpRequest, referral: Referral, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    record_member_read(
        request.user, [referral.member_id], purpose="referral.view", request=request
    )
    can_open_member = scope_members(
        request.user, Member.objects.filter(pk=referral.member_id)
    ).exists()
    return render(
        request,
        "referrals/referral_detail.html",
        {"referral": referral, "can_open_member": can_open_member, **forms},
        status=status,
    )


@login_required
def referral_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    referral = referral_get(actor, public_id)
    return _render_detail(request, referral, _answer_forms(actor, referral))


@login_required
@require_POST
def referral_answer(request: HttpRequest, public_id: str, answer: str) -> HttpResponse:
    """Accept, redirect or withdraw a referral, by the posted form."""
    actor = cast(User, request.user)
    referral = referral_get(actor, public_id)
    forms = _answer_forms(actor, referral, request.POST, which=answer)
    form = forms.get(f"{answer}_form")
    if form is None and referral.status != Referral.Status.PENDING:
        # Someone else answered first: say so instead of refusing bluntly.
        status = referral.get_status_display()
        messages.info(request, f"This referral has already been answered: {status}.")
        return redirect("referrals:detail", referral.public_id)
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        return _render_detail(request, referral, forms, status=400)

    data = form.cleaned_data
    try:
        if answer == "accept":
            referral_accept(
                actor=actor,
                referral=referral,
                specialist=data["specialist"],
                accepted_on=data["accepted_on"],
            )
            note = f"Accepted and assigned to {data['specialist'].get_full_name()}."
        elif answer == "redirect":
            referral_redirect(
                actor=actor,
                referral=referral,
                provider=data["provider"],
                reason=data["reason"],
            )
            note = f"Redirected to {str(data['provider']).rstrip('.')}."
        else:
            referral_withdraw(actor=actor, referral=referral, reason=data["reason"])
            note = "Referral withdrawn."
    except ValidationError as error:
        add_service_errors({"": form}, error)
        return _render_detail(request, referral, forms, status=400)

    messages.success(request, note)
    if answer == "redirect":
        return redirect("accounts:home")
    return redirect("referrals:detail", referral.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def caseload_view(request: HttpRequest) -> HttpResponse:
    """A supervisor moves members between specialists on their team."""
    actor = cast(User, request.user)
    require(actor, Action.REASSIGN_CASELOAD)
    provider = getattr(actor.organization, "provider_site", None)
    if provider is None:
        raise PermissionDenied

    episodes = open_episodes_for_provider(provider.pk)
    specialists = assignable_specialists(provider)
    data = request.POST.copy() if request.method == "POST" else None
    all_of = str(data.get("all_of", "")) if data is not None else ""
    if data is not None and re.fullmatch(r"[0-9]{1,12}", all_of):
        # "Move all of this specialist's members": tick every box of theirs.
        theirs = episodes.filter(specialist_id=int(all_of))
        data.setlist(
            "episodes", [str(pk) for pk in theirs.values_list("pk", flat=True)]
        )
    form = ReassignForm(data, episodes=episodes, specialists=specialists)
    if request.method == "POST" and form.is_valid():
        try:
            moved = caseload_reassign(
                actor=actor,
                episodes=form.cleaned_data["episodes"],
                specialist=form.cleaned_data["specialist"],
            )
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            target = form.cleaned_data["specialist"].get_full_name()
            if moved:
                messages.success(request, f"Moved {moved} member(s) to {target}.")
            else:
                messages.info(request, f"Nobody moved: they are already {target}'s.")
            return redirect("referrals:caseload")

    episode_list = list(episodes)
    record_member_read(
        actor,
        [e.member_id for e in episode_list],
        purpose="caseload.view",
        request=request,
    )
    by_specialist: dict[User, list[Any]] = {}
    for episode in episode_list:
        by_specialist.setdefault(episode.specialist, []).append(episode)
    return render(
        request,
        "referrals/caseload.html",
        {"form": form, "by_specialist": by_specialist},
    )
