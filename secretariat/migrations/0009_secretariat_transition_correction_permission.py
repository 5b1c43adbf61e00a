from django.db import migrations

from secretariat.migrations._group_permissions import secretariat_permissions

# A frozen copy of what this migration adds to the group (see 0002 for the group itself).
ADDED = {"members": ["view_membershiptransitioncorrection"]}


grant, revoke = secretariat_permissions(ADDED)


class Migration(migrations.Migration):
    dependencies = [("secretariat", "0008_secretariat_account_help_permissions"), ("members", "0015_membership_transitions_scheduled_and_corrected"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, revoke)]
