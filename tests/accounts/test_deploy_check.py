"""Production settings pass Django's deployment checks with four variables.

Each test starts a fresh process with only the variables it names, as a
server would be started: settings are read once per process.
"""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = "ips_portal.settings.production"
DEVELOPMENT = "ips_portal.settings.dev"
MINIMAL_PRODUCTION_ENVIRONMENT = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ips_portal",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_ALLOWED_HOSTS": "ips.example.org",
}
SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
names = {names!r}
print(json.dumps({{name: getattr(settings, name, None) for name in names}}))
"""


def run(
    arguments: list[str], module: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run Python with these settings and nothing of this process's own."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "OTP_"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(  # noqa: S603 (this interpreter, our own arguments)
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def settings_of(module: str, env: dict[str, str], *names: str) -> dict[str, object]:
    result = run(["-c", SHOW_SETTINGS.format(names=names)], module, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_with_the_minimal_production_environment() -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        PRODUCTION,
        MINIMAL_PRODUCTION_ENVIRONMENT,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_enforces_the_security_settings() -> None:
    shown = settings_of(
        PRODUCTION,
        MINIMAL_PRODUCTION_ENVIRONMENT,
        "DEBUG",
        "OTP_REQUIRED",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "CONTENT_SECURITY_POLICY",
        "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    )

    assert shown["DEBUG"] is False
    assert shown["OTP_REQUIRED"] is True
    assert shown["SESSION_COOKIE_SECURE"] is True
    assert shown["CSRF_COOKIE_SECURE"] is True
    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["SECURE_HSTS_SECONDS"] == 31_536_000
    assert shown["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert shown["X_FRAME_OPTIONS"] == "DENY"
    assert shown["SECURE_REFERRER_POLICY"] == "same-origin"
    assert shown["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert shown["CONTENT_SECURITY_POLICY_REPORT_ONLY"] is None
    directives = shown["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]  # type: ignore[index]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]


def test_production_ignores_a_request_to_switch_debug_on() -> None:
    shown = settings_of(
        PRODUCTION, {**MINIMAL_PRODUCTION_ENVIRONMENT, "DJANGO_DEBUG": "true"}, "DEBUG"
    )

    assert shown["DEBUG"] is False


def test_development_settings_leave_debug_off_unless_asked() -> None:
    assert settings_of(DEVELOPMENT, {}, "DEBUG")["DEBUG"] is False
    assert settings_of(DEVELOPMENT, {"DJANGO_DEBUG": "true"}, "DEBUG")["DEBUG"] is True


def test_development_settings_make_two_step_sign_in_optional() -> None:
    assert settings_of(DEVELOPMENT, {}, "OTP_REQUIRED")["OTP_REQUIRED"] is False


def test_production_keeps_the_access_audit_whatever_the_environment_says() -> None:
    environment = {**MINIMAL_PRODUCTION_ENVIRONMENT, "MEMBER_READ_RECORDERS": ""}

    shown = settings_of(PRODUCTION, environment, "MEMBER_READ_RECORDERS")

    assert shown["MEMBER_READ_RECORDERS"] == ["audit.recorders.record_access"]
