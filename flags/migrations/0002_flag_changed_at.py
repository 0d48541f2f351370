import django.utils.timezone
from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def changed_at_last_event(apps, schema_editor):
    """Existing flags last changed with their latest event, else when opened."""
    Flag = apps.get_model("flags", "Flag")
    FlagEvent = apps.get_model("flags", "FlagEvent")
    last_event = (
        FlagEvent.objects.filter(flag=OuterRef("pk"))
        .order_by()
        .values("flag")
        .annotate(last=Max("at"))
        .values("last")
    )
    Flag.objects.update(changed_at=Coalesce(Subquery(last_event), "opened_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("flags", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="flag",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(changed_at_last_event, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="flag",
            index=models.Index(
                fields=["changed_at", "public_id"], name="flag_changed_at_public_id"
            ),
        ),
    ]
