"""Changes to a person's sign-in: their authenticator app, their sessions."""

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

TOTP_DEVICE_NAME = "Authenticator app"


def totp_device_start(user: User) -> TOTPDevice:
    """The authenticator app being set up: a new secret, or the one shown
    before.

    The same secret is shown until a code confirms it, so reloading the
    page does not undo a scan already made. An app already confirmed goes
    on working until then.
    """
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False)
        .order_by("-created_at")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, confirmed=False
        )
    return device


@transaction.atomic
def totp_device_confirm(device: TOTPDevice, code: str) -> bool:
    """Confirm the app being set up with a code it shows; False if wrong.

    The confirmed app replaces any earlier one: a phone given up no longer
    signs anyone in. Wrong codes are throttled by django-otp (each wait
    twice the one before).
    """
    if verify_token(device.user, device.persistent_id, code) is None:
        return False

    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    return True


def user_sessions_end_all(user: User) -> None:
    """End every session of this person on every device, this one included.

    Each session is checked against a hash that includes
    ``session_generation`` (accounts.models.User), so raising it signs
    every session out at its next request. API tokens are not sessions and
    keep working.
    """
    User.objects.filter(pk=user.pk).update(
        session_generation=F("session_generation") + 1
    )


def user_sessions_end_others(request: HttpRequest, user: User) -> None:
    """End every other session of the person making this request.

    For a change to how they sign in (a new password, a new authenticator
    app): a session someone else opened before it ends, this one goes on.
    As ``user_sessions_end_all``, then this session takes the new hash,
    under a new key. A new password changes the hash by itself; raising
    the generation as well keeps one way of ending sessions for both.
    """
    user_sessions_end_all(user)
    user.refresh_from_db(fields=["password", "session_generation"])
    update_session_auth_hash(request, user)
