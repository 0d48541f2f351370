"""Signing in as a person does, through the form, from a given address."""

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# The factories' password (tests.factories.UserFactory).
PASSWORD = "a-test-password-1"
# Addresses from the ranges kept for documentation (RFC 5737).
DESK = "203.0.113.10"
ELSEWHERE = "198.51.100.20"

SIGN_IN = "/sign-in/"


def sign_in(
    client: Client,
    username: str,
    password: str = PASSWORD,
    address: str = DESK,
    next_url: str = "",
) -> HttpResponse:
    """Post the sign-in form; the answer, not followed."""
    return client.post(
        reverse("accounts:sign-in"),
        {"username": username, "password": password, "next": next_url},
        REMOTE_ADDR=address,
    )


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:home")).status_code == 200


def totp_code(device: TOTPDevice) -> str:
    """The code the person's app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that are none of the codes the device accepts now."""
    accepted = {totp_code(device)}
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    for offset in (-1, 1):
        totp.drift = device.drift + offset
        accepted.add(f"{totp.token():06d}")
    return next(
        candidate
        for candidate in ("000000", "111111", "222222", "333333")
        if candidate not in accepted
    )
