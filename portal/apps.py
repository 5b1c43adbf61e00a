from django.apps import AppConfig


class PortalConfig(AppConfig):
    # The public website: it reads the domain apps (members, actionplan, reports), and none of them imports it.
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from portal import checks  # noqa: F401  (registers the checks)
