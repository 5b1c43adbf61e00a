from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.models import Member, User
from members.services import coordinator_add
from secretariat.permissions import secretariat_group

DEMO_PASSWORD = "eccar-demo-2026"


class Command(BaseCommand):
    help = "Development only: create a demo staff login and a demo coordinator of Dresden, and print them."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo logins are never created in production.")
        staff, _ = User.objects.get_or_create(username="secretariat", defaults={"email": "secretariat@example.org"})
        # The secretariat's powers come from its group, as in production, not from being a superuser.
        staff.is_staff, staff.is_superuser = True, False
        staff.set_password(DEMO_PASSWORD)
        staff.save()
        staff.groups.add(secretariat_group())
        try:
            dresden = Member.objects.get(slug="dresden")
        except Member.DoesNotExist:
            raise CommandError("Run seed_eccar first.") from None
        coordinator_add(username="dresden-lead", member=dresden, lead=True, email="dresden-lead@example.org", password=DEMO_PASSWORD)
        self.stdout.write("Demo logins (development only):")
        self.stdout.write(f"  secretariat (admin at /admin/):   secretariat / {DEMO_PASSWORD}")
        self.stdout.write(f"  Dresden lead coordinator (/de/accounts/login/): dresden-lead / {DEMO_PASSWORD}")
