from django.db import migrations

from secretariat.migrations._group_permissions import secretariat_permissions

# A frozen copy of what this migration adds to the group (see 0002 for the group itself): help for locked-out
# coordinators, and their part of the security log.
ADDED = {
    "members": ["reset_second_factor", "lift_login_pause", "resend_invitation"],
    "core": ["view_securityevent"],
}


grant, revoke = secretariat_permissions(ADDED)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0007_announcement_fallback_reach"),
        ("members", "0014_user_session_epoch_help_permissions"),
        ("core", "0003_security_event_help_kinds"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
