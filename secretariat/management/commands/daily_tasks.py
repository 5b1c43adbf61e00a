"""The portal's daily jobs, in one command for one cron line (README). Each job is a service function that is
safe to run again; this command only calls them in turn and prints what each did."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from members import services as member_services
from reports.models import REPORT_DRAFT_RETENTION_DAYS
from reports.services import report_drafts_prune


class Command(BaseCommand):
    help = (
        "Run the daily jobs (e.g. 15 0 * * *): scheduled membership status changes take effect, applications past "
        "their retention period, kept report drafts older than 30 days and expired sessions are deleted. Safe to run "
        "again the same day."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="Run as on this day (YYYY-MM-DD); default: today.")

    def handle(self, *args, today: dt.date | None = None, **options) -> None:
        # Run as on another day (--today), the kept drafts' age counts from that day's start.
        now = timezone.make_aware(dt.datetime.combine(today, dt.time.min)) if today else timezone.now()
        today = today or timezone.localdate()
        applied = member_services.member_transitions_apply_due(today=today)
        for transition in applied:
            self.stdout.write(
                f"{transition.member.slug}: {transition.get_from_status_display() or '–'} → "
                f"{transition.get_to_status_display()} ({transition.effective_on.isoformat()})"
            )
        self.stdout.write(f"Scheduled status changes applied: {len(applied)}.")
        pruned = member_services.applications_prune(today=today)
        self.stdout.write(
            f"Applications: {pruned.deleted} declined or unconfirmed deleted (older than {settings.APPLICATION_RETENTION_DAYS} days), "
            f"{pruned.kept} kept because a report refers to their member, "
            f"{pruned.addresses_cleared} IP addresses cleared (older than {settings.APPLICATION_IP_RETENTION_DAYS} days)."
        )
        drafts = report_drafts_prune(now=now)
        self.stdout.write(f"Report drafts: {drafts} kept drafts deleted (older than {REPORT_DRAFT_RETENTION_DAYS} days).")
        # Django keeps a session row after it expired until it is cleared (what `manage.py clearsessions` does).
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        self.stdout.write("Sessions: expired ones deleted.")

