"""Build the demo: sign-ins for every role and a small invented caseload.

Safe to run again: every record is looked up by a stable key first. Refuses
to run against production settings, where demo passwords have no place.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Organization, User
from core.dates import iowa_today
from members.models import Member
from members.services import member_create
from payers.models import Payer
from providers.models import County, ProviderSite
from referrals.services import referral_accept, referral_create

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

# first, last, birth date, county, payer short name, case manager, provider
# slug, referral status, specialist position (0 for none)
DEMO_MEMBERS = [
    ("Avery", "Quillfeather", "1988-03-14", "Polk", "Wellpoint", "cm.wellpoint",
     "goodwill-central-eyerly-ball", "accepted", 1),
    ("Jordan", "Nguyễn", "1979-11-02", "Polk", "Wellpoint", "cm.wellpoint",
     "goodwill-central-eyerly-ball", "pending", 0),
    ("Zoë", "O'Brien", "1995-07-21", "Scott", "ITC", "cm.itc",
     "robert-young-center", "accepted", 1),
    ("Ngũgĩ", "Kamau", "1983-01-30", "Black Hawk", "Molina", "cm.molina",
     "goodwill-ne-iowa", "accepted", 2),
    ("José María", "Quesada", "1990-05-09", "Cerro Gordo", "IME", "cm.ime",
     "43-north-iowa", "pending", 0),
    ("Morgan", "Tiberius-Vale", "1972-09-17", "Wapello", "ITC", "cm.itc",
     "first-resources", "accepted", 1),
    ("Casey", "Brightwater", "2001-12-01", "Sioux", "Wellpoint", "cm.wellpoint",
     "hope-haven-inc", "accepted", 2),
    ("Riley", "Marchetti", "1986-06-25", "Lee", "Molina", "cm.molina",
     "hope-haven-imagine", "pending", 0),
    ("Sam", "Okeke-Dunn", "1993-04-11", "Clinton", "IME", "cm.ime",
     "vera-french", "accepted", 1),
    ("Dakota", "Fairweather", "1981-08-08", "Story", "SNMIS", "cm.tcm",
     "goodwill-central-eyerly-ball", "accepted", 3),
]  # fmt: skip


DEMO_CONVERSATION = {
    "wants_to_work": True,
    "job_hopes": "Part-time work with people; money of their own.",
    "concerns": "How earnings affect benefits.",
    "knows_benefit_changes": "partly",
    "importance": 8,
    "confidence": 5,
    "start_timing": "month",
    "next_step": "Meet the IPS specialist this week.",
}


class Command(BaseCommand):
    help = "Create demo sign-ins and an invented caseload (safe to re-run)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith("production"):
            raise CommandError("Demo data is never loaded with production settings.")

        with transaction.atomic():
            self._create_users()
            self._create_members()
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready. Every demo password is {DEMO_PASSWORD!r}.")
        )

    def _create_users(self) -> None:
        organizations = {org.name: org for org in Organization.objects.all()}
        for username, first_name, last_name, role, org_name in DEMO_USERS:
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "role": role,
                    "organization": organizations[org_name],
                    "email": f"{username}@example.org",
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()

        admin, _ = User.objects.get_or_create(
            username="admin",
            defaults={
                "first_name": "Portal",
                "last_name": "Administrator",
                "role": User.Role.ADMINISTRATOR,
                "is_staff": True,
                "is_superuser": True,
                "email": "admin@example.org",
            },
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()

        # Provider staff come with the reference data, without passwords.
        for user in User.objects.filter(
            role__in=[User.Role.IPS_SUPERVISOR, User.Role.IPS_SPECIALIST],
            email__endswith="@example.org",
        ):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])

    def _create_members(self) -> None:
        today = iowa_today()
        counties = {county.name: county for county in County.objects.all()}
        payers = {payer.short_name: payer for payer in Payer.objects.all()}
        users = {user.username: user for user in User.objects.all()}
        sites = {site.slug: site for site in ProviderSite.objects.all()}

        for number, row in enumerate(DEMO_MEMBERS, start=1):
            (first, last, born, county, payer, cm, slug, status, position) = row
            case_manager = users[cm]
            if Member.objects.filter(
                first_name=first,
                last_name=last,
                birth_date=datetime.date.fromisoformat(born),
            ).exists():
                continue

            medicaid_id = ""
            if payers[payer].is_medicaid:
                medicaid_id = f"{9000000 + number:07d}D"
            member = member_create(
                actor=case_manager,
                data={
                    "first_name": first,
                    "last_name": last,
                    "birth_date": datetime.date.fromisoformat(born),
                    "county": counties[county],
                    "payer": payers[payer],
                    "case_manager": case_manager,
                    "diagnosis_category": Member.DiagnosisCategory.SMI,
                    "medicaid_id": medicaid_id,
                },
                duplicate_seen=True,
            )
            referred_on = today - datetime.timedelta(days=7 * number)
            referral = referral_create(
                actor=case_manager,
                member=member,
                provider=sites[slug],
                referred_on=referred_on,
                conversation=DEMO_CONVERSATION,
            )
            if status == "accepted":
                supervisor = users[f"supervisor.{slug}"]
                referral_accept(
                    actor=supervisor,
                    referral=referral,
                    specialist=users[f"specialist{position}.{slug}"],
                    accepted_on=referred_on + datetime.timedelta(days=2),
                )
