"""The administrator's pages for API tokens: list, issue, look at, revoke.

A new token's secret appears once, in the answer to the form that issued
it: it is never stored, put in the session or a message, and the page is
marked no-store like every page shown to a signed-in user.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import User
from api.models import ApiToken
from api.token_forms import TokenIssueForm
from api.token_selectors import (
    RECENT_REQUESTS,
    api_requests_recent,
    api_token_get,
    api_token_list,
)
from api.tokens import api_token_issue, api_token_revoke


def _administrator(request: HttpRequest) -> User:
    """The signed-in administrator; anyone else is refused (403)."""
    user = cast(User, request.user)
    if user.role != User.Role.ADMINISTRATOR or not user.is_active:
        raise PermissionDenied
    return user


def _token(public_id: str) -> ApiToken:
    try:
        return api_token_get(public_id)
    except ApiToken.DoesNotExist:
        raise Http404("No such token.") from None


@login_required
@require_http_methods(["GET"])
def token_list_view(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    return render(request, "api/token_list.html", {"tokens": list(api_token_list())})


def _place_errors(form: TokenIssueForm, error: ValidationError) -> None:
    """Put the service's messages next to the fields the administrator used."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        if field == "expires_at":
            form.add_error("expires_on", field_messages)
        elif field in form.GRANTS:
            # The service names one grant; mark each one that was ticked.
            for grant in form.GRANTS:
                if form.cleaned_data.get(grant):
                    form.add_error(grant, field_messages)
        else:
            form.add_error(field if field in form.fields else None, field_messages)


@login_required
@require_http_methods(["GET", "POST"])
def token_issue_view(request: HttpRequest) -> HttpResponse:
    """Issue a token and show its secret once, in this answer only."""
    actor = _administrator(request)
    form = TokenIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = api_token_issue(
                actor=actor,
                organization=data["organization"],
                name=data["name"],
                can_log_achievements=data["can_log_achievements"],
                can_log_coaching=data["can_log_coaching"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            _place_errors(form, error)
        else:
            # Rendered, not redirected: a redirect would need the secret
            # kept somewhere until the next request.
            return render(
                request,
                "api/token_issued.html",
                {"token": issued.token, "secret": issued.secret},
            )
    return render(request, "api/token_issue.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def token_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    _administrator(request)
    token = _token(public_id)
    return render(
        request,
        "api/token_detail.html",
        {
            "token": token,
            "api_requests": api_requests_recent(token),
            "recent_limit": RECENT_REQUESTS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Ask first; revoking stops the token at once and cannot be undone."""
    actor = _administrator(request)
    token = _token(public_id)
    if request.method == "POST" and not token.is_revoked:
        api_token_revoke(actor=actor, token=token)
        messages.success(
            request, f"The token {token.prefix} is revoked: it no longer works."
        )
        return redirect("api-tokens:detail", token.public_id)
    return render(request, "api/token_revoke.html", {"token": token})
