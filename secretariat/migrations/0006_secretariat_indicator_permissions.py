from django.db import migrations

from secretariat.migrations._group_permissions import secretariat_permissions

# A frozen copy of what this migration adds to the group (see 0002 for the group itself).
ADDED = {"actionplan": ["view_indicator", "change_indicator", "view_indicatorvalue", "change_indicatorvalue"]}


grant, revoke = secretariat_permissions(ADDED)


class Migration(migrations.Migration):
    dependencies = [("secretariat", "0005_text_limits"), ("actionplan", "0010_indicators"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, revoke)]
