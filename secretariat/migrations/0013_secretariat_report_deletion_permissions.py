from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy of what this migration adds to the group (see 0002 for the group itself): the traces of deleted
# report drafts and of corrected report periods, which the secretariat reads and nobody edits.
ADDED = {"reports": ["view_reportdeletion", "view_reportperiodchange"]}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Secretariat")
    for app, codenames in ADDED.items():
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app, codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Secretariat").first()
    if group:
        for app, codenames in ADDED.items():
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app, codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0012_secretariat_note_permissions"),
        ("reports", "0012_report_ready_period_changes_deletions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
