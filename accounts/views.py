import math
from base64 import b32encode
from datetime import UTC, datetime
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.policy import record_member_read
from accounts.forms import AppSetUpForm, CodeForm, PasswordChangeForm
from accounts.models import User
from accounts.selectors import (
    home_context,
    home_member_ids,
    totp_device_confirmed_get,
)
from accounts.services import (
    totp_device_confirm,
    totp_device_start,
    user_sessions_end_all,
    user_sessions_end_others,
)
from accounts.sessions import session_ends_at
from accounts.sign_in import (
    PendingSignIn,
    pending_sign_in_begin,
    pending_sign_in_get,
    second_factor_needed,
    sign_in_complete,
)

HOME_TEMPLATES: dict[str, str] = {
    User.Role.CASE_MANAGER: "accounts/home_case_manager.html",
    User.Role.IPS_SPECIALIST: "accounts/home_specialist.html",
    User.Role.IPS_SUPERVISOR: "accounts/home_supervisor.html",
    User.Role.PROGRAM_REVIEWER: "accounts/home_reviewer.html",
    User.Role.ADMINISTRATOR: "accounts/home_administrator.html",
}

WRONG_CODE = (
    "That code is not right. Enter the newest code your app shows (if codes "
    "keep failing, set your phone's clock to update automatically)."
)
# For a moment after a wrong code the next one is not checked (django-otp's
# throttling). Someone retyping quickly meets this after a single slip, so
# the message stays calm.
CODE_TOO_SOON = (
    "That code came too soon after the last wrong one, so it was not "
    "checked. Wait {wait}, then enter the newest code your app shows."
)
# From this many wrong codes in a row the wait is 16 seconds, doubling with
# each more: no longer a slip, so the message says what to check.
MANY_WRONG_CODES = 5
TOO_MANY_CODES = (
    "Several wrong codes in a row. Wait {wait}, then enter the newest code "
    "your app shows (if codes keep failing, set your phone's clock to update "
    "automatically)."
)
SIGN_IN_AGAIN = "Your sign-in took too long to finish. Please sign in again."
OTHER_SESSIONS_ENDED = "You are signed out on your other devices."


class SignInView(auth_views.LoginView):
    """The password step; then the code step or, when required, set-up."""

    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form: auth_forms.AuthenticationForm) -> HttpResponse:
        user = cast(Any, form.get_user())  # authenticate() set user.backend
        if not second_factor_needed(user):
            sign_in_complete(self.request, user, backend=user.backend)
            return HttpResponseRedirect(self.get_success_url())

        pending_sign_in_begin(self.request, user, next_url=self.get_success_url())
        if totp_device_confirmed_get(user) is not None:
            return redirect("accounts:sign-in-code")
        return redirect("accounts:two-factor-setup")


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _wait_text(seconds: int) -> str:
    """Say how long to wait, rounded up: "1 second", "2 minutes"."""
    if seconds < 60:
        return f"{seconds} second{pluralize(seconds)}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{pluralize(minutes)}"


def _throttled(device: TOTPDevice) -> str | None:
    """Why no code can be tried on this app just now, or None.

    After each wrong code django-otp makes the next wait twice as long: 1
    second after the first, then 2, 4, 8 and so on.
    """
    is_allowed, why = device.verify_is_allowed()
    if is_allowed or why is None:
        return None

    wait = why["locked_until"] - timezone.now()
    seconds = max(1, math.ceil(wait.total_seconds()))
    if why["failure_count"] < MANY_WRONG_CODES:
        return CODE_TOO_SOON.format(wait=_wait_text(seconds))
    return TOO_MANY_CODES.format(wait=_wait_text(seconds))


@require_http_methods(["GET", "POST"])
def sign_in_code_view(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the person's authenticator app."""
    pending = pending_sign_in_get(request)
    device = totp_device_confirmed_get(pending.user) if pending else None
    if pending is None or device is None:
        messages.warning(request, SIGN_IN_AGAIN)
        return redirect("accounts:sign-in")

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _throttled(device)
        if refused is None:
            code = form.cleaned_data["code"]
            verified = verify_token(pending.user, device.persistent_id, code)
            if verified is not None:
                sign_in_complete(request, pending.user, pending.backend, verified)
                return HttpResponseRedirect(pending.next_url)
            refused = WRONG_CODE
        form.add_error("code", refused)
    return render(request, "accounts/sign_in_code.html", {"form": form})


def _secret_text(device: TOTPDevice) -> str:
    """The secret as an app asks for it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_code_svg(device: TOTPDevice) -> SafeString:
    """The app's set-up link as a QR code, as an SVG element to inline.

    Only shapes and fill attributes: nothing the strict CSP refuses. The
    markup is made here from the code's modules, with no text from outside.
    """
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        border=2,
    )
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (our own SVG)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def two_factor_setup_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan or type the secret, confirm a code.

    Reached signed in, from the account page: the person gives their
    password as well, and once the code confirms the app (a first one, or
    one on a new phone) every other session of theirs ends. Or reached in
    the middle of signing in, the password just given, when a code is
    required and the person has no app yet: then the confirmed code
    finishes the sign-in. Someone with an app confirmed cannot add another
    before giving that app's code.
    """
    pending = None
    if request.user.is_authenticated:
        user = cast(User, request.user)
    else:
        pending = pending_sign_in_get(request)
        if pending is None:
            return redirect_to_login(request.get_full_path())
        if pending.has_device:
            return redirect("accounts:sign-in-code")
        user = pending.user

    had_device = totp_device_confirmed_get(user) is not None
    device = totp_device_start(user)
    form: CodeForm
    if pending is None:
        form = AppSetUpForm(request, user, request.POST or None)
    else:
        form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _throttled(device)
        if refused is None:
            if totp_device_confirm(device, form.cleaned_data["code"]):
                return _app_confirmed(request, user, device, pending, had_device)
            refused = WRONG_CODE
        form.add_error("code", refused)

    context = {
        "form": form,
        "is_signing_in": pending is not None,
        # Only a signed-in person with an app gets here with one: in the
        # middle of signing in they give its code instead.
        "is_moving": had_device,
        "secret": _secret_text(device),
        "qr_code": _qr_code_svg(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _app_confirmed(
    request: HttpRequest,
    user: User,
    device: TOTPDevice,
    pending: PendingSignIn | None,
    had_device: bool,
) -> HttpResponse:
    """Go on once a code has confirmed the new app."""
    if pending is not None:
        messages.success(request, "Two-step sign-in is on for your account.")
        sign_in_complete(request, user, pending.backend, device)
        return HttpResponseRedirect(pending.next_url)

    # A session someone opened with the old app, or with the password
    # alone, does not outlive the change.
    user_sessions_end_others(request, user)
    otp_login(request, device)
    if had_device:
        done = "Your new phone's app is set up; the old one no longer works."
    else:
        done = "Two-step sign-in is on for your account."
    messages.success(request, f"{done} {OTHER_SESSIONS_ENDED}")
    return redirect("accounts:account")


@login_required
@require_http_methods(["GET"])
def account_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    ends_at = session_ends_at(request.session)
    context = {
        "device": totp_device_confirmed_get(user),
        "otp_required": settings.OTP_REQUIRED,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        "absolute_hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600,
        "session_ends_at": (
            datetime.fromtimestamp(ends_at, tz=UTC) if ends_at is not None else None
        ),
    }
    return render(request, "accounts/account.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password: the current one, then the new one twice.

    This session stays signed in; every other session of the person ends.
    """

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: auth_forms.PasswordChangeForm) -> HttpResponse:
        form.save()
        user_sessions_end_others(self.request, form.user)
        messages.success(
            self.request, f"Your password is changed. {OTHER_SESSIONS_ENDED}"
        )
        return HttpResponseRedirect(self.get_success_url())


@login_required
@require_http_methods(["POST"])
def sign_out_everywhere_view(request: HttpRequest) -> HttpResponse:
    """End every session of the signed-in person, this one too."""
    user_sessions_end_all(cast(User, request.user))
    logout(request)
    messages.success(
        request,
        "You are signed out on every device, this one included. "
        "Sign in again to go on.",
    )
    return redirect("accounts:sign-in")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required: never anonymous here
    template = HOME_TEMPLATES.get(user.role, HOME_TEMPLATES[User.Role.ADMINISTRATOR])
    context = home_context(user)
    record_member_read(
        user, home_member_ids(context), purpose="home.view", request=request
    )
    return render(request, template, context)
