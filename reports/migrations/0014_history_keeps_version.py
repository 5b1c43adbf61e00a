# The history keeps each state's version, so that a save can find the version an editor started from
# (core/versioning.py merges instead of reverting). States recorded before carry 0: their version is unknown,
# and a version-0 state is never taken as the base of a merge.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('reports', '0013_report_draft'),
    ]

    operations = [
        migrations.AddField(model_name="historicalimplementationreport", name="version", field=models.PositiveIntegerField(default=0, editable=False)),
        migrations.AlterField(model_name="historicalimplementationreport", name="version", field=models.PositiveIntegerField(default=1, editable=False)),
    ]
