"""The portal's daily jobs, in one command for one cron line (README). Each job is a service function that is
safe to run again; this command only calls them in turn and prints what each did."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from members import services as member_services


class Command(BaseCommand):
    help = "Run the daily jobs: scheduled membership status changes take effect. Safe to run again the same day."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="Run as on this day (YYYY-MM-DD); default: today.")

    def handle(self, *args, today: dt.date | None = None, **options) -> None:
        today = today or timezone.localdate()
        applied = member_services.member_transitions_apply_due(today=today)
        for transition in applied:
            self.stdout.write(
                f"{transition.member.slug}: {transition.get_from_status_display() or '–'} → "
                f"{transition.get_to_status_display()} ({transition.effective_on.isoformat()})"
            )
        self.stdout.write(f"Scheduled status changes applied: {len(applied)}.")
