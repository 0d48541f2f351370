"""flush runs under the test settings only, where the test runner needs it.

Anywhere else it refuses before touching the database: it would empty the
access log and billed records past the triggers that keep them.
"""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import Organization

pytestmark = pytest.mark.django_db


def test_flush_refuses_where_it_is_not_allowed() -> None:
    organizations = Organization.objects.count()

    with (
        override_settings(FLUSH_ALLOWED=False),
        pytest.raises(CommandError, match=r"only where settings\.FLUSH_ALLOWED"),
    ):
        call_command("flush", interactive=False, verbosity=0)

    assert organizations > 0
    assert Organization.objects.count() == organizations


def test_only_the_test_settings_allow_flush() -> None:
    base = importlib.import_module("ips_portal.settings.base")

    assert not hasattr(base, "FLUSH_ALLOWED")
    assert settings.FLUSH_ALLOWED


def test_flush_empties_the_database_under_the_test_settings() -> None:
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)

    assert not Organization.objects.exists()


def test_manage_py_flush_refuses_in_a_production_process(tmp_path: Path) -> None:
    """As an operator would run it: nothing opens the database."""
    database = tmp_path / "portal.sqlite3"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "OTP_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="ips_portal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DATABASE_URL=f"sqlite:///{database}",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        DJANGO_ALLOWED_HOSTS="ips.example.org",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "flush", "--no-input"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert result.returncode == 1
    assert "runs only where settings.FLUSH_ALLOWED is on" in result.stderr
    assert not database.exists()
