from django.apps import AppConfig


class CoreConfig(AppConfig):
    # What every app uses: language helpers, file checks, shared form parts, the one versioning path.
    # It imports no app of the portal.
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core.db import install_steady_reconnect
        from core.security import connect_receivers

        install_steady_reconnect()
        connect_receivers()
