from django.apps import AppConfig


class CoreConfig(AppConfig):
    # What every app uses: language helpers, file checks, shared form parts, the one versioning path.
    # It imports no app of the portal.
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core.db import install_steady_reconnect
        from core.public_cache import install_change_triggers
        from core.security import connect_receivers

        install_steady_reconnect()
        connect_receivers()
        # Schema upkeep, like the permissions Django creates after migrate: every table gets its trigger.
        post_migrate.connect(install_change_triggers, sender=self, dispatch_uid="core.install_change_triggers")
