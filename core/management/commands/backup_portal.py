from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup, default_output, require_local_media


class Command(BaseCommand):
    help = (
        "Write one archive with a pg_dump of the database, every file under MEDIA_ROOT and a manifest (versions, "
        "row counts, sha256 of each file). Default: BACKUP_DIR/eccar-<UTC time>.tar.gz. Safe to run from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, help="the archive to write (.tar.gz or .tar); must not exist yet")

    def handle(self, *args, output: str | Path | None = None, **options) -> None:
        # call_command() passes --output as given, without the parser's type conversion.
        target = Path(output) if output else default_output(backup_dir=settings.BACKUP_DIR)
        try:
            require_local_media(settings.STORAGES)
            manifest = create_backup(
                database=settings.DATABASES["default"],
                media_root=settings.MEDIA_ROOT,
                output=target,
                bin_dir=settings.PG_BIN_DIR,
                log=self.stdout.write,
            )
        except BackupError as error:
            # A non-zero exit makes cron report the failure.
            raise CommandError(str(error)) from None
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target}: {len(manifest['row_counts'])} tables ({rows} rows), "
                f"{len(manifest['media'])} media file(s)."
            )
        )
