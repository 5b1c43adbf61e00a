from django.db import migrations

from secretariat.migrations._group_permissions import secretariat_permissions

# A frozen copy of what this migration adds to the group (see 0002 for the group itself).
ADDED = {"members": ["import_members"]}


grant, revoke = secretariat_permissions(ADDED)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0009_secretariat_transition_correction_permission"), ("members", "0016_members_import"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
