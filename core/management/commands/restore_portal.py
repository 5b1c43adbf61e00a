import warnings
from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, require_local_media, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive of backup_portal into an EMPTY database and an EMPTY MEDIA_ROOT: create a fresh "
        "database first. Refuses a non-empty target and an archive whose checksums do not match."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--database-url",
            help="restore into this database instead of the configured one (DATABASE_URL); leave the password "
            "out of it, libpq then takes it from PGPASSWORD or ~/.pgpass",
        )

    def handle(self, *args, archive: str | Path, yes: bool, database_url: str | None, **options) -> None:
        database = settings.DATABASES["default"]
        if database_url:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # django-environ's "Engine not recognized": the error below says more
                database = environ.Env.db_url_config(database_url)
            if database.get("ENGINE") != "django.db.backends.postgresql" or not database.get("NAME"):
                raise CommandError("--database-url must be a postgresql:// URL that names a database.")
        try:
            require_local_media(settings.STORAGES)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not yes:
            try:
                answer = input(f"Restore {archive} into database {database['NAME']!r} and {settings.MEDIA_ROOT}? [y/N] ")
            except EOFError:  # no terminal (cron, a pipe): only --yes restores
                answer = ""
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing restored.")
        try:
            manifest = restore_backup(
                archive=Path(archive),
                database=database,
                media_root=settings.MEDIA_ROOT,
                bin_dir=settings.PG_BIN_DIR,
                log=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']} into {database['NAME']!r}."))
