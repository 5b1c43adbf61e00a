"""The data migrations' way to give the Secretariat group permissions and take them back (see 0002 for the group).

Frozen like the migrations that call it: a change of what the group needs is a new migration with its own ADDED.
Django's migration loader skips modules whose name starts with "_", so this is not a migration itself.
"""

from django.contrib.auth.management import create_permissions


def secretariat_permissions(added: dict[str, list[str]]):
    """(grant, revoke) for RunPython: `added` maps an app label to the codenames the group gets."""

    def grant(apps, schema_editor):
        # The permissions of models created in the same migrate run exist only after post_migrate: made here.
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        group, _ = Group.objects.get_or_create(name="Secretariat")
        for app, codenames in added.items():
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app, codename__in=codenames))

    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        group = Group.objects.filter(name="Secretariat").first()
        if group:
            for app, codenames in added.items():
                group.permissions.remove(*Permission.objects.filter(content_type__app_label=app, codename__in=codenames))

    return grant, revoke
