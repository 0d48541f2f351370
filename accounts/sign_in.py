"""The steps of signing in: the password, then a code when one is needed.

A person whose password was right but who still owes a code is not signed
in: the session holds only who they said they were ("pending"), for a few
minutes, so no page, API call or admin screen treats them as signed in
before the second step. With OTP_REQUIRED every sign-in needs a code, and
someone without an authenticator app sets one up before going further;
otherwise only people who have set one up are asked for a code.

A signed-in person gives their password again before changing how they
sign in (a new password, a new authenticator app): a session left open on
a shared computer is not enough to take the account over.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import (
    authenticate,
    login,
    logout,
    update_session_auth_hash,
)
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.selectors import totp_device_confirmed_get
from accounts.sessions import View
from api.errors import API_PREFIX

PENDING_KEY = "accounts.pending_sign_in"
# Long enough to install an authenticator app while setting one up.
PENDING_SECONDS = 10 * 60


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    backend: str
    next_url: str
    has_device: bool


def second_factor_needed(user: User) -> bool:
    return settings.OTP_REQUIRED or totp_device_confirmed_get(user) is not None


def pending_sign_in_begin(request: HttpRequest, user: Any, next_url: str) -> None:
    """Remember who gave the right password, and where they were going.

    ``user.backend`` is set by ``authenticate()``. The session hash is kept
    so that a password change or "sign out of every device" meanwhile
    cancels the pending sign-in too.
    """
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": int(timezone.now().timestamp()),
        "hash": user.get_session_auth_hash(),
    }


def pending_sign_in_get(request: HttpRequest) -> PendingSignIn | None:
    """The sign-in waiting for its second step, or None (also once expired)."""
    pending = request.session.get(PENDING_KEY)
    if pending is None:
        return None

    age = int(timezone.now().timestamp()) - pending["at"]
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if (
        age > PENDING_SECONDS
        or user is None
        or not constant_time_compare(user.get_session_auth_hash(), pending["hash"])
    ):
        del request.session[PENDING_KEY]
        return None

    return PendingSignIn(
        user=user,
        backend=pending["backend"],
        next_url=pending["next"],
        has_device=totp_device_confirmed_get(user) is not None,
    )


def password_check(request: HttpRequest, user: User, password: str) -> bool:
    """Whether this is the signed-in person's password, asked for again.

    Checked as the sign-in checks it, so the same lockout applies
    (django-axes): a wrong password here counts as a failed sign-in for
    this username at this address, and a locked-out username is refused
    whatever is typed. The fifth failure ends this session too
    (accounts.lockout).
    """
    checked = authenticate(request, username=user.get_username(), password=password)
    if checked is None or checked.pk != user.pk:
        return False

    # A password kept under an older hasher is stored again when checked,
    # which changes the session hash: this session must follow.
    if checked.password != user.password:
        user.password = checked.password
        update_session_auth_hash(request, user)
    return True


def sign_in_complete(
    request: HttpRequest,
    user: User,
    backend: str,
    device: TOTPDevice | None = None,
) -> None:
    """Sign the person in: the session now carries who they are.

    ``device`` is the authenticator that gave the code, when one did; the
    session remembers it as verified (django-otp). The session's time
    limits start with the sign-in (accounts.sessions).
    """
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)


def _is_verified(request: HttpRequest) -> bool:
    """Whether a signed-in user gave a code this session (True if anonymous)."""
    user = request.user
    # OTPMiddleware gives users is_verified(); the stubs know nothing of it.
    return not user.is_authenticated or user.is_verified()  # type: ignore[attr-defined]


class SecondFactorRequiredMiddleware:
    """With OTP_REQUIRED, end any session that skipped the code step.

    The portal's own sign-in never signs anyone in without a code then;
    this catches any other way in (a session from before the requirement,
    a sign-in form some library adds), whatever view it reaches.
    """

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.OTP_REQUIRED and not _is_verified(request):
            logout(request)
            if not request.path_info.startswith(API_PREFIX):
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
