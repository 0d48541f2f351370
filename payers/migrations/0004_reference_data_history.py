"""Give the reference data loaded by migrations its first history entry.

Data migrations write with historical models, which record no history. So
that the admin's history of a county, site, payer or rate starts at the
beginning, each row without history gets a "created" entry here.
"""

from django.db import migrations
from django.utils import timezone

REFERENCE_MODELS = [
    ("accounts", "Organization"),
    ("accounts", "User"),
    ("providers", "County"),
    ("providers", "CountyAlias"),
    ("providers", "ProviderSite"),
    ("providers", "ServiceArea"),
    ("payers", "Payer"),
    ("payers", "FeeSchedule"),
    ("payers", "FeeRate"),
]


def record_initial_history(apps, schema_editor):
    now = timezone.now()
    for app_label, model_name in REFERENCE_MODELS:
        model = apps.get_model(app_label, model_name)
        historical = apps.get_model(app_label, f"Historical{model_name}")
        kept = {
            field.attname
            for field in historical._meta.concrete_fields
            if not field.name.startswith("history_")
        }
        recorded = set(historical.objects.values_list("id", flat=True))
        rows = [
            historical(
                **{
                    field.attname: getattr(row, field.attname)
                    for field in model._meta.concrete_fields
                    if field.attname in kept
                },
                history_date=now,
                history_type="+",
                history_change_reason="Loaded with the reference data",
            )
            for row in model.objects.exclude(pk__in=recorded)
        ]
        historical.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organizations"),
        ("providers", "0004_constraint_messages"),
        ("payers", "0003_constraint_messages"),
    ]

    operations = [
        migrations.RunPython(record_initial_history, migrations.RunPython.noop)
    ]
