"""Protections built in from the start: caching, CSP, templates, settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import EpisodeFactory, MemberFactory

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"] + [
    path for path in Path(settings.BASE_DIR).glob("*/templates") if path.is_dir()
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def project_templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html"))


def test_there_are_templates_to_check() -> None:
    assert len(project_templates()) >= 10


@pytest.mark.parametrize("template", project_templates(), ids=lambda p: p.name)
def test_no_inline_script_style_or_handler_in_templates(template: Path) -> None:
    text = template.read_text()

    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_STYLE.search(text)
    assert not INLINE_HANDLER.search(text)
    assert not JAVASCRIPT_URL.search(text)


@pytest.mark.django_db
def test_member_pages_are_sent_with_no_store(
    client: Client, case_manager: User, provider_a: object
) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a)
    client.force_login(case_manager)

    for url in (
        reverse("members:list"),
        reverse("members:detail", args=[member.public_id]),
        reverse("accounts:home"),
    ):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control, url
        assert "private" in cache_control, url


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    policy = client.get(reverse("accounts:home"))["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_member_urls_carry_opaque_ids_not_names_or_medicaid_ids(
    client: Client, case_manager: User, provider_a: object
) -> None:
    member = MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Quinnella",
        medicaid_id="7654321Q",
    )
    EpisodeFactory(member=member, provider=provider_a)
    client.force_login(case_manager)

    url = reverse("members:detail", args=[member.public_id])

    assert str(member.public_id) in url
    assert str(member.pk) not in url.split("/")
    assert "Quinnella" not in url and "7654321Q" not in url


@pytest.mark.django_db
def test_member_search_terms_stay_out_of_the_url(
    client: Client, case_manager: User
) -> None:
    MemberFactory(
        managing_organization=case_manager.organization, first_name="Quinnella"
    )
    client.force_login(case_manager)

    response = client.post(reverse("members:list"), {"search": "Quinnella"})

    assert response.status_code == 302
    assert "Quinnella" not in response["Location"]
    shown = client.get(response["Location"])
    assert [m.first_name for m in shown.context["page"]] == ["Quinnella"]


def run_python_with_settings(
    module: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    result = run_python_with_settings(
        "ips_portal.settings.production",
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ips_portal",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "DJANGO_ALLOWED_HOSTS": "ips.example.org",
        },
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_a_database_url() -> None:
    result = run_python_with_settings(
        "ips_portal.settings.production",
        {
            "DJANGO_SECRET_KEY": "x" * 50,
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "DJANGO_ALLOWED_HOSTS": "ips.example.org",
        },
    )

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_settings_start_with_everything_set() -> None:
    result = run_python_with_settings(
        "ips_portal.settings.production",
        {
            "DJANGO_SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ips_portal",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "DJANGO_ALLOWED_HOSTS": "ips.example.org",
        },
    )

    assert result.returncode == 0, result.stderr


def test_development_settings_need_nothing_set() -> None:
    result = run_python_with_settings("ips_portal.settings.dev", {})

    assert result.returncode == 0, result.stderr
