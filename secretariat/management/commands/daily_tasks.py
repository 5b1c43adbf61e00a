from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

from members.services import applications_prune


class Command(BaseCommand):
    help = (
        "The portal's daily work (e.g. 15 3 * * *): deletes applications past their retention period and expired "
        "sessions. Safe to rerun."
    )

    def handle(self, *args, **options) -> None:
        pruned = applications_prune()
        self.stdout.write(
            f"Applications: {pruned.deleted} declined or unconfirmed deleted (older than {settings.APPLICATION_RETENTION_DAYS} days), "
            f"{pruned.kept} kept because a report refers to their member, "
            f"{pruned.addresses_cleared} IP addresses cleared (older than {settings.APPLICATION_IP_RETENTION_DAYS} days)."
        )
        # Django keeps a session row after it expired until it is cleared (what `manage.py clearsessions` does).
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        self.stdout.write("Sessions: expired ones deleted.")
