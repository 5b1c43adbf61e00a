import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.models import FormSubmission
from core.security import security_log_prune

# A form token only guards against a resend within minutes; a month is ample.
FORM_TOKEN_DAYS = 30


class Command(BaseCommand):
    help = "Delete security-log events older than SECURITY_LOG_DAYS and used form tokens older than 30 days. Run daily."

    def handle(self, *args, **options) -> None:
        events = security_log_prune()
        tokens, _ = FormSubmission.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=FORM_TOKEN_DAYS)).delete()
        self.stdout.write(f"Deleted {events} security events and {tokens} form tokens.")
