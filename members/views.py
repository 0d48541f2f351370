from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access.policy import Action, member_get, record_member_read, require, role_may
from accounts.models import User
from audit.permissions import may_see_member_access
from billing.selectors import member_cap_ledger
from coaching.selectors import coaching_months_for_member
from core.dates import iowa_today
from core.forms import add_service_errors
from flags.selectors import member_flags
from jobends.selectors import consent_current, team_log_for
from members.forms import MemberForm, MemberSearchForm
from members.selectors import job_panels, member_list, member_timeline
from members.services import PossibleDuplicate, member_create, member_update
from milestones.selectors import milestone_lines_awaiting
from referrals.services import open_referral_problem

# Search terms are names and Medicaid IDs: they are posted, kept in the
# session and never put in a URL, where logs and browser history keep them.
SEARCH_SESSION_KEY = "member_search"
MEMBERS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_MEMBER)
    if request.method == "POST":
        form = MemberSearchForm(request.POST)
        if form.is_valid():
            request.session[SEARCH_SESSION_KEY] = form.cleaned_data["search"]
            return redirect("members:list")
    else:
        form = MemberSearchForm(
            initial={"search": request.session.get(SEARCH_SESSION_KEY, "")}
        )

    search = request.session.get(SEARCH_SESSION_KEY, "")
    page = Paginator(member_list(request.user, search), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    record_member_read(
        request.user,
        [member.pk for member in page],
        purpose="member.list",
        request=request,
    )
    return render(
        request,
        "members/member_list.html",
        {
            "form": form,
            "page": page,
            "search": search,
            "can_add": role_may(request.user, Action.EDIT_MEMBER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create_view(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    require(actor, Action.EDIT_MEMBER)
    duplicates = []
    form = MemberForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            member = member_create(
                actor=actor,
                data=form.cleaned_data,
                duplicate_seen=form.cleaned_data["duplicate_seen"],
            )
        except PossibleDuplicate as warning:
            duplicates = warning.matches
            record_member_read(
                actor,
                [match.pk for match in duplicates],
                purpose="member.duplicates",
                request=request,
            )
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Member added.")
            return redirect("members:detail", member.public_id)
    return render(
        request,
        "members/member_form.html",
        {"form": form, "duplicates": duplicates, "member": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    member = member_get(actor, public_id, Action.EDIT_MEMBER, request=request)
    form = MemberForm(
        request.POST or None, actor=actor, initial=MemberForm.initial_for(member)
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_update(actor=actor, member=member, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors({"": form}, error)
        else:
            messages.success(request, "Member record saved.")
            return redirect("members:detail", member.public_id)
    return render(
        request,
        "members/member_form.html",
        {"form": form, "duplicates": [], "member": member},
    )


@login_required
def member_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    member = member_get(user, public_id, members=member_list(user), request=request)
    timeline = member_timeline(user, member)
    episodes = [entry.subject for entry in timeline if entry.kind == "episode"]
    open_episode = next((e for e in episodes if e.is_open), None)
    can_refer = role_may(user, Action.REFER_MEMBER)
    awaiting = milestone_lines_awaiting(member)
    jobs = job_panels(timeline, awaiting)
    job_ends_open = [
        entry.subject
        for entry in timeline
        if entry.kind == "job-end"
        and open_episode is not None
        and entry.subject.job.episode_id == open_episode.pk
        and not entry.subject.meetings.all()
        and entry.subject.next_step != "education"
    ]
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "timeline": timeline,
            "today": iowa_today(),
            "open_episode": open_episode,
            "can_edit": role_may(user, Action.EDIT_MEMBER),
            "can_refer": can_refer and open_referral_problem(member) is None,
            "can_authorize": role_may(user, Action.AUTHORIZE_SERVICES)
            and open_episode is not None,
            "can_log": role_may(user, Action.LOG_SERVICES) and open_episode is not None,
            "can_record_job_end": role_may(user, Action.RECORD_JOB_END)
            and open_episode is not None,
            "can_write_log": role_may(user, Action.WRITE_TEAM_LOG),
            "can_exit": role_may(user, Action.EXIT_MEMBER) and open_episode is not None,
            "job_ends_open": job_ends_open,
            "team_log": list(team_log_for(member)[:50]),
            "coaching_periods": list(member.coaching_periods.order_by("-begins_on")),
            "coaching_months": coaching_months_for_member(member, 3, iowa_today()),
            "cap_ledger": member_cap_ledger(member, iowa_today()),
            "consent": consent_current(member),
            "can_change_windows": role_may(user, Action.AUTHORIZE_SERVICES),
            "jobs": jobs,
            "awaiting_ids": {line.pk for line in awaiting.values()},
            "flags": member_flags(member, user),
            "can_see_access": may_see_member_access(user),
        },
    )
