from django.db import migrations

from secretariat.migrations._group_permissions import secretariat_permissions

# A frozen copy of what this migration adds to the group (see 0002 for the group itself).
ADDED = {"reports": ["view_reporterratum", "add_reporterratum"]}


grant, revoke = secretariat_permissions(ADDED)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0010_secretariat_members_import_permission"),
        ("reports", "0010_errata_and_document_languages"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
