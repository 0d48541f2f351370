"""Build the demo: sign-ins for every role and a small invented caseload.

Safe to run again: every record is looked up by a stable key first. Refuses
to run against production settings, where demo passwords have no place.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Organization, User
from fidelity.demo import demo_fidelity_reviews_build
from flags.queue import member_flags_refresh_paused
from members.demo import demo_caseload_build
from members.models import Member

DEMO_PASSWORD = "ips-demo-2026"

# username, first, last, role, organization
DEMO_USERS = [
    ("cm.wellpoint", "Rowan", "Ashby", "case_manager", "Wellpoint Iowa"),
    ("cm.itc", "Marisol", "Deng", "case_manager", "Iowa Total Care"),
    ("cm.molina", "Kwame", "Lindgren", "case_manager", "Molina Healthcare of Iowa"),
    ("cm.ime", "Tess", "Okonkwo", "case_manager", "Iowa Medicaid Enterprise"),
    (
        "cm.tcm",
        "Hollis",
        "Brandvold",
        "case_manager",
        "Prairie Example Targeted Case Management (demo)",
    ),
    (
        "reviewer",
        "Signe",
        "Halvorsen",
        "program_reviewer",
        "Iowa Center of Excellence for Behavioral Health",
    ),
]


class Command(BaseCommand):
    help = "Create demo sign-ins and an invented caseload (safe to re-run)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith("production"):
            raise CommandError("Demo data is never loaded with production settings.")

        # The run command sweeps every flag after loading; member sweeps
        # queued one by one here would only pile up in the task queue.
        with transaction.atomic(), member_flags_refresh_paused():
            self._create_users()
            added = demo_caseload_build()
            demo_fidelity_reviews_build()
        total = Member.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {added} members added, {total} in all. "
                f"Every demo password is {DEMO_PASSWORD!r}."
            )
        )

    def _create_users(self) -> None:
        organizations = {org.name: org for org in Organization.objects.all()}
        for username, first_name, last_name, role, org_name in DEMO_USERS:
            User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "role": role,
                    "organization": organizations[org_name],
                    "email": f"{username}@example.org",
                    "password": "!",
                },
            )
        User.objects.get_or_create(
            username="admin",
            defaults={
                "first_name": "Portal",
                "last_name": "Administrator",
                "role": User.Role.ADMINISTRATOR,
                "is_staff": True,
                "is_superuser": True,
                "email": "admin@example.org",
                "password": "!",
            },
        )

        # Demo accounts, provider staff from the reference data included,
        # still without a password get the demo one. Hashing is slow on
        # purpose, so it is done once and shared.
        hashed = make_password(DEMO_PASSWORD)
        User.objects.filter(
            email__endswith="@example.org",
            password__startswith="!",  # noqa: S106 (Django's unusable-password mark)
        ).update(password=hashed)
