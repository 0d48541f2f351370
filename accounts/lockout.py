"""What a locked-out sign-in sees: the sign-in form, with the reason.

django-axes counts failed sign-ins (settings: AXES_*) and calls
``lockout_response`` instead of the sign-in view's own answer once a
username has failed too often from one address. A password asked for again
while signed in counts the same (accounts.sign_in.password_check).
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

LOCKED_OUT_MESSAGE = (
    "Too many failed sign-ins for this username from this computer. "
    "Try again in {minutes} minutes, or ask your portal administrator to "
    "unlock it sooner."
)
SIGNED_OUT_MESSAGE = (
    "Too many wrong passwords for this username from this computer, so you "
    "are signed out. Sign in again in {minutes} minutes, or ask your portal "
    "administrator to unlock it sooner."
)


def lockout_message(message: str = LOCKED_OUT_MESSAGE) -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return message.format(minutes=minutes)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, Any] | None,
) -> HttpResponse:
    """The sign-in page with the lockout message, answered 429.

    The form is not bound to what was posted: validating it again would
    be one more attempt at the password. A signed-in session that got its
    own password wrong that often ends, and goes to the sign-in page with
    the message: it may be someone at a computer left signed in, guessing.
    """
    if request.user.is_authenticated:
        logout(request)
        # Kept in a cookie first: it outlives the session just emptied.
        messages.warning(request, lockout_message(SIGNED_OUT_MESSAGE))
        return redirect("accounts:sign-in")

    username = (credentials or {}).get("username") or request.POST.get("username")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = AuthenticationForm(request, initial={"username": username or ""})
    context = {"form": form, "next": next_url, "lockout_message": lockout_message()}
    return render(request, "accounts/sign_in.html", context, status=429)
