"""How long a signed-in session lasts: 15 idle minutes, 12 hours at most.

Django's own expiry moves forward each time the session is saved, so both
limits are kept in the session itself: when the person signed in, and when
they last did something. A page that asks the server for news by itself
(a status poll) is not someone at the desk: such requests must not keep a
session alive, or an unattended screen would stay signed in all day. A
view says so with ``not_activity``; a client says so with the header
``X-Background-Refresh: 1``. Either way the request is served as usual,
and still signed out once a limit has passed.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from api.errors import API_PREFIX

SIGNED_IN_AT_KEY = "accounts.signed_in_at"
LAST_ACTIVITY_AT_KEY = "accounts.last_activity_at"
BACKGROUND_HEADER = "X-Background-Refresh"
# Activity is written to the session at most once a minute, not with every
# request: the idle limit may then end a session up to a minute early,
# never late.
ACTIVITY_RESOLUTION_SECONDS = 60

IDLE_MESSAGE = "You were signed out after {minutes} minutes without activity."
ABSOLUTE_MESSAGE = (
    "You were signed out {hours} hours after signing in. Sign in again to go on."
)

View = Callable[..., HttpResponse]


def not_activity(view: View) -> View:
    """Mark a view as background traffic: it never extends the idle window."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        return view(*args, **kwargs)

    # Read by SessionLimitsMiddleware.process_view; unknown to the stubs.
    wrapped.counts_as_activity = False  # type: ignore[attr-defined]
    return wrapped


def _now() -> int:
    return int(timezone.now().timestamp())


def session_limits_start(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Start both clocks the moment someone is signed in, however they are.

    Connected to Django's ``user_logged_in`` (accounts.apps).
    """
    now = _now()
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_ACTIVITY_AT_KEY] = now


def session_ends_at(session: SessionBase) -> int | None:
    """The Unix time at which the 12-hour limit ends this session, if known."""
    signed_in_at = session.get(SIGNED_IN_AT_KEY)
    if signed_in_at is None:
        return None
    return int(signed_in_at) + settings.SESSION_ABSOLUTE_TIMEOUT


def _expiry_message(session: SessionBase, now: int) -> str | None:
    """Why this signed-in session is over, or None while it is not.

    A session signed in before these limits existed has its clocks started
    on its first request.
    """
    signed_in_at = int(session.setdefault(SIGNED_IN_AT_KEY, now))
    last_activity_at = int(session.setdefault(LAST_ACTIVITY_AT_KEY, now))
    if now - last_activity_at > settings.SESSION_IDLE_TIMEOUT:
        return IDLE_MESSAGE.format(minutes=settings.SESSION_IDLE_TIMEOUT // 60)
    if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
        return ABSOLUTE_MESSAGE.format(hours=settings.SESSION_ABSOLUTE_TIMEOUT // 3600)
    return None


def is_background(request: HttpRequest) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1"


class SessionLimitsMiddleware:
    """Sign out a session past either limit; note each person's request.

    A page request after the end goes to the sign-in page with a message,
    coming back to the same address afterwards. An API request under a
    session goes on signed out, so the API answers it in its own format;
    requests with a token carry no session and are not concerned.
    """

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            message = _expiry_message(request.session, _now())
            if message is not None:
                logout(request)
                if not request.path_info.startswith(API_PREFIX):
                    # Messages are kept in a cookie first, so this one
                    # outlives the session that logout() has just emptied.
                    messages.warning(request, message)
                    return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: View,
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        counts = getattr(view_func, "counts_as_activity", True)
        if not request.user.is_authenticated or not counts or is_background(request):
            return

        now = _now()
        noted = int(request.session.get(LAST_ACTIVITY_AT_KEY, 0))
        if now - noted >= ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY_AT_KEY] = now
