"""The organizations every fresh database starts with (not provider sites).

Provider sites are created with their service areas in the providers app.
The case-management agency is invented for the demo.
"""

from django.db import migrations

ORGANIZATIONS = [
    ("Wellpoint Iowa", "mco"),
    ("Iowa Total Care", "mco"),
    ("Molina Healthcare of Iowa", "mco"),
    ("Iowa Medicaid Enterprise", "ime"),
    ("Prairie Example Targeted Case Management (demo)", "cm_agency"),
    ("Iowa Center of Excellence for Behavioral Health", "state_program"),
]


def create_organizations(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    for name, kind in ORGANIZATIONS:
        Organization.objects.create(name=name, kind=kind)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_organizations, migrations.RunPython.noop)]
