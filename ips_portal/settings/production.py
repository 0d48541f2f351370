"""Production settings. Every secret comes from the environment.

DJANGO_SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL and DJANGO_ALLOWED_HOSTS
have no defaults: a process started without them stops with an error.
``manage.py check --deploy --fail-level WARNING`` passes with those four
set (tests/accounts/test_deploy_check.py).
"""

from typing import Any

from ips_portal.settings.base import *  # noqa: F403 (settings layering)
from ips_portal.settings.base import (
    CONTENT_SECURITY_POLICY,
    MEMBER_READ_RECORDERS,
    env,
)

DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

# HTTPS only. The proxy in front terminates TLS and says so in
# X-Forwarded-Proto; browsers are told to come back over HTTPS for a year.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Cookies travel over HTTPS only; the __Host- prefix makes browsers refuse
# them from any other host or path, or without Secure.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-ips_session"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "__Host-ips_csrftoken"

# Every sign-in asks for a code from an authenticator app (accounts.sign_in).
OTP_REQUIRED = True

# Where real members are, the access audit cannot be configured away: other
# recorders may be added beside it, never instead of it.
ACCESS_AUDIT_RECORDER = "audit.recorders.record_access"
MEMBER_READ_RECORDERS = list(
    dict.fromkeys([ACCESS_AUDIT_RECORDER, *MEMBER_READ_RECORDERS])
)

# The strict policy from base.py, enforced (never report-only), and any
# stray http:// reference on a page is fetched over HTTPS.
_directives: dict[str, Any] = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "upgrade-insecure-requests": True,
}
CONTENT_SECURITY_POLICY = {**CONTENT_SECURITY_POLICY, "DIRECTIVES": _directives}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ips-portal@localhost")
