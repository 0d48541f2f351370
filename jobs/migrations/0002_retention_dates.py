"""Keep each job's day 45 and day 90 beside its first day."""

import datetime

from django.db import migrations, models

# The retention rule as it stood when this migration was written: day N is
# the first day plus N - 1 days.
DAY_45 = datetime.timedelta(days=44)
DAY_90 = datetime.timedelta(days=89)


def fill_retention_dates(apps, schema_editor):
    for name in ("Job", "HistoricalJob"):
        model = apps.get_model("jobs", name)
        rows = list(model.objects.only("pk", "first_day_on"))
        for row in rows:
            row.day_45_on = row.first_day_on + DAY_45
            row.day_90_on = row.first_day_on + DAY_90
        model.objects.bulk_update(rows, ["day_45_on", "day_90_on"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name,
                name=field,
                field=models.DateField(null=True, editable=False, verbose_name=label),
            )
            for model_name in ("job", "historicaljob")
            for field, label in (("day_45_on", "day 45"), ("day_90_on", "day 90"))
        ),
        migrations.RunPython(fill_retention_dates, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name=model_name,
                name=field,
                field=models.DateField(editable=False, verbose_name=label),
            )
            for model_name in ("job", "historicaljob")
            for field, label in (("day_45_on", "day 45"), ("day_90_on", "day 90"))
        ),
    ]
