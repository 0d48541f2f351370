"""The payers of IPS in Iowa and the posted 2026 fee schedule.

The posted rates are taken as in force from July 1, 2025, the start of
Iowa's fiscal year 2026, until a newer schedule is entered.
"""

import datetime
from decimal import Decimal

from django.db import migrations

PAYERS = [
    ("Iowa Medicaid fee-for-service (IME)", "IME", "medicaid_ffs", "Iowa Medicaid Enterprise"),
    ("Wellpoint Iowa", "Wellpoint", "medicaid_mco", "Wellpoint Iowa"),
    ("Iowa Total Care", "ITC", "medicaid_mco", "Iowa Total Care"),
    ("Molina Healthcare of Iowa", "Molina", "medicaid_mco", "Molina Healthcare of Iowa"),
    ("Iowa Vocational Rehabilitation Services", "IVRS", "ivrs", None),
    ("Safety Net Management Information System", "SNMIS", "snmis", None),
]  # fmt: skip

POSTED_RATES = {
    "T2018-U3": Decimal("1570.42"),
    "T2018-U4": Decimal("2394.53"),
    "T2018-U5": Decimal("2394.53"),
    "T2018-U6": Decimal("871.58"),
    "H2025-U4": Decimal("81.68"),
    "H2025-U3": Decimal("436.40"),
    "H2025-U5": Decimal("871.58"),
    "H2025-U7": Decimal("1362.84"),
    "H2025-UC": Decimal("54.51"),
}


def create_payers_and_rates(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    Payer = apps.get_model("payers", "Payer")
    FeeSchedule = apps.get_model("payers", "FeeSchedule")
    FeeRate = apps.get_model("payers", "FeeRate")

    for name, short_name, kind, organization_name in PAYERS:
        organization = None
        if organization_name:
            organization = Organization.objects.get(name=organization_name)
        Payer.objects.create(
            name=name, short_name=short_name, kind=kind, organization=organization
        )

    schedule = FeeSchedule.objects.create(
        payer=None,
        name="Iowa Medicaid posted rates, state fiscal year 2026",
        effective_on=datetime.date(2025, 7, 1),
    )
    for service, rate in POSTED_RATES.items():
        FeeRate.objects.create(schedule=schedule, service=service, rate=rate)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organizations"),
        ("payers", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_payers_and_rates, migrations.RunPython.noop)
    ]
