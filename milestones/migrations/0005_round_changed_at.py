from django.db import migrations, models
from django.db.models import F


def changed_when_updated(apps, schema_editor):
    """Existing rounds last changed, as far as anyone can tell, when updated."""
    AuthorizationRound = apps.get_model("milestones", "AuthorizationRound")
    AuthorizationRound.objects.update(changed_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0004_round_meeting"),
    ]

    operations = [
        migrations.AddField(
            model_name="authorizationround",
            name="changed_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(changed_when_updated, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="authorizationround",
            index=models.Index(
                fields=["changed_at", "public_id"], name="round_changed_at_public_id"
            ),
        ),
    ]
