from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from access.policy import Action, member_get, record_member_read, require
from members.forms import MemberSearchForm
from members.selectors import member_list
from referrals.selectors import referral_list_for_member

# Search terms are names and Medicaid IDs: they are posted, kept in the
# session and never put in a URL, where logs and browser history keep them.
SEARCH_SESSION_KEY = "member_search"
MEMBERS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
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
        {"form": form, "page": page, "search": search},
    )


@login_required
def member_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    member = member_get(
        request.user,
        public_id,
        members=member_list(request.user),
        request=request,
    )
    referrals = referral_list_for_member(request.user, member.pk)
    return render(
        request,
        "members/member_detail.html",
        {"member": member, "referrals": referrals},
    )
