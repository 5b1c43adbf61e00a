from django.db import migrations

from secretariat.migrations._group_permissions import secretariat_permissions

# A frozen copy of what this migration adds to the group (see 0002 for the group itself): the secretariat's notes on
# members, which it reads, writes and edits (the history keeps every version); it deletes none.
ADDED = {"members": ["view_membernote", "add_membernote", "change_membernote"]}


grant, revoke = secretariat_permissions(ADDED)


class Migration(migrations.Migration):
    dependencies = [("secretariat", "0011_secretariat_erratum_permissions"), ("members", "0017_member_notes"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, revoke)]
