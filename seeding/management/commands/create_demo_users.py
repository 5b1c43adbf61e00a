from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.models import Member, User
from members.services import coordinator_add

DEMO_PASSWORD = "eccar-demo-2026"


class Command(BaseCommand):
    help = "Development only: create a demo staff login and a demo coordinator of Dresden, and print them."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo logins are never created in production.")
        staff, _ = User.objects.get_or_create(username="secretariat", defaults={"email": "secretariat@example.org"})
        staff.is_staff = staff.is_superuser = True
        staff.set_password(DEMO_PASSWORD)
        staff.save()
        try:
            dresden = Member.objects.get(slug="dresden")
        except Member.DoesNotExist:
            raise CommandError("Run seed_eccar first.") from None
        coordinator_add(username="dresden-lead", member=dresden, lead=True, email="dresden-lead@example.org", password=DEMO_PASSWORD)
        self.stdout.write("Demo logins (development only):")
        self.stdout.write(f"  staff (admin at /admin/):         secretariat / {DEMO_PASSWORD}")
        self.stdout.write(f"  Dresden lead coordinator (/de/accounts/login/): dresden-lead / {DEMO_PASSWORD}")
