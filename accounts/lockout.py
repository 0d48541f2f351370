"""What a locked-out sign-in sees: the sign-in form, with the reason.

django-axes counts failed sign-ins (settings: AXES_*) and calls
``lockout_response`` instead of the sign-in view's own answer once a
username has failed too often from one address.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

LOCKED_OUT_MESSAGE = (
    "Too many failed sign-ins for this username from this computer. "
    "Try again in {minutes} minutes, or ask your portal administrator to "
    "unlock it sooner."
)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return LOCKED_OUT_MESSAGE.format(minutes=minutes)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, Any] | None,
) -> HttpResponse:
    """The sign-in page with the lockout message, answered 429.

    The form is not bound to what was posted: validating it again would
    be one more attempt at the password.
    """
    username = (credentials or {}).get("username") or request.POST.get("username")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = AuthenticationForm(request, initial={"username": username or ""})
    context = {"form": form, "next": next_url, "lockout_message": lockout_message()}
    return render(request, "accounts/sign_in.html", context, status=429)
