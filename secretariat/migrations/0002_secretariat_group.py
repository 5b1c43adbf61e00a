from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy: a migration must not change when the live list does (a later migration adjusts the group).
PERMISSIONS = {
    "members": [
        "view_member", "add_member", "change_member", "coordinate_every_member", "change_member_status",
        "view_authority", "add_authority", "change_authority", "delete_authority",
        "view_contact", "add_contact", "change_contact", "delete_contact",
        "view_coordinatorassignment", "add_coordinatorassignment", "change_coordinatorassignment",
        "delete_coordinatorassignment",
        "view_invitation", "add_invitation", "change_invitation",
        "view_membershipapplication", "change_membershipapplication",
        "view_membershiptransition",
        "view_user", "change_user",
        "view_source", "add_source", "change_source",
        "view_network", "add_network", "change_network",
        "view_networkmembership", "add_networkmembership", "change_networkmembership", "delete_networkmembership",
        "view_workinggroup", "add_workinggroup", "change_workinggroup",
        "view_workinggroupparticipation", "add_workinggroupparticipation", "change_workinggroupparticipation",
        "delete_workinggroupparticipation",
        "view_sitepage", "change_sitepage",
    ],
    "actionplan": [
        "view_commitment", "view_actionplan", "change_actionplan", "view_measure", "change_measure", "view_measureupdate",
    ],
    "reports": [
        "view_implementationreport", "change_implementationreport", "review_report",
        "view_reportnarrative", "add_reportnarrative", "change_reportnarrative",
        "view_reportdocument", "add_reportdocument", "change_reportdocument", "delete_reportdocument",
        "view_reporttransition", "view_reportreminder",
    ],
    "secretariat": ["view_announcement", "add_announcement", "send_announcement"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Secretariat")
    wanted = [(app, codename) for app, codenames in PERMISSIONS.items() for codename in codenames]
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.filter(content_type__app_label__in=PERMISSIONS).select_related("content_type")
    }
    missing = [w for w in wanted if w not in found]
    if missing:
        raise RuntimeError(f"Permissions missing for the Secretariat group: {missing}")
    group.permissions.set([found[w] for w in wanted])


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Secretariat").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0001_initial"),
        ("members", "0006_lifecycle_applications_invitations"),
        ("actionplan", "0003_issue5_measure_search"),
        ("reports", "0003_review_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_group, remove_group)]
