from django.db import migrations

from secretariat.migrations._group_permissions import secretariat_permissions

# A frozen copy of what this migration adds to the group (see 0002 for the group itself): the traces of deleted
# report drafts and of corrected report periods, which the secretariat reads and nobody edits.
ADDED = {"reports": ["view_reportdeletion", "view_reportperiodchange"]}


grant, revoke = secretariat_permissions(ADDED)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0012_secretariat_note_permissions"),
        ("reports", "0012_report_ready_period_changes_deletions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
