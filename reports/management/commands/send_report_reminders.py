from django.core.management.base import BaseCommand, CommandError

from reports.services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail coordinators 60 and 14 days before their report is due, on the due date and every 30 days while "
        "overdue (a member without coordinators: its published contacts; without those, the secretariat is told). "
        "Idempotent and safe to run from cron as often as you like: each reminder goes out once."
    )

    def handle(self, *args, **options) -> None:
        run = reminders_send()
        for reminder in run.sent:
            self.stdout.write(f"{reminder.member.slug}: {reminder.get_kind_display()} ({reminder.due_on}) → {reminder.recipients}")
        self.stdout.write(self.style.SUCCESS(f"{len(run.sent)} reminder(s) sent."))
        if run.unreached:
            names = ", ".join(reminder.member.slug for reminder in run.unreached)
            self.stdout.write(f"No coordinator and no published contact, the secretariat was told: {names}")
        if run.failed:
            for member, error in run.failed:
                self.stderr.write(f"{member.slug}: not sent ({error}); the next run retries.")
            # A non-zero exit makes cron report the failure.
            raise CommandError(f"{len(run.failed)} reminder(s) could not be sent.")
