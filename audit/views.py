from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from access.policy import record_member_read, scope_members
from accounts.models import User
from audit.forms import AccessSearchForm
from audit.models import AccessEvent
from audit.permissions import may_search_access_log, may_see_member_access
from audit.selectors import (
    access_event_search,
    access_events,
    access_events_for_member,
    auditable_members,
)
from members.models import Member

EVENTS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def search_view(request: HttpRequest) -> HttpResponse:
    """The reviewers' search of every read of member records.

    A search is posted and answered in the reply, never turned into an
    address to redirect to: it may name a member, and addresses are kept
    in logs and browser history. The pages of an answer are posted too,
    with the search. Opened without a search, the page lists the newest
    reads.
    """
    actor = cast(User, request.user)
    if not may_search_access_log(actor):
        raise PermissionDenied

    form = AccessSearchForm(request.POST or None, actor=actor)
    events: QuerySet[AccessEvent] = AccessEvent.objects.none()
    # The members a search named, listed by name above the answer.
    members_named: list[Member] | None = None
    if not form.is_bound:
        events = access_events()
    elif form.is_valid():
        members_named = form.members
        events = access_event_search(
            who=form.cleaned_data["who"],
            member_ids=None if members_named is None else [m.pk for m in members_named],
            from_on=form.cleaned_data["from_on"],
            to_on=form.cleaned_data["to_on"],
        )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.POST.get("page"))
    # Read now: the search's own read, kept next, is not part of its answer.
    page.object_list = list(page.object_list)

    if members_named:
        record_member_read(
            actor,
            [member.pk for member in members_named],
            purpose="audit.search",
            request=request,
        )
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "members_named": members_named},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def member_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Who has looked at one member's record, newest first.

    Opening this page is itself a read of the member, recorded like any
    other: it lists itself first. Reviewers reach every member the log
    names (audit.selectors.auditable_members); others their scope.
    """
    actor = cast(User, request.user)
    if not may_see_member_access(actor):
        raise PermissionDenied
    member = auditable_members(actor).filter(public_id=public_id).first()
    if member is None:
        raise Http404("No such member.")
    record_member_read(actor, [member.pk], purpose="audit.member", request=request)
    page = Paginator(access_events_for_member(member), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # A reviewer may audit a member whose record is out of their scope.
    may_open = scope_members(actor, Member.objects.filter(pk=member.pk)).exists()
    return render(
        request,
        "audit/member.html",
        {"member": member, "page": page, "may_open_record": may_open},
    )
