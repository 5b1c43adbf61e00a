import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import Member, User
from members.services import coordinator_add, recovery_codes_create
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
        # Staff log in with a second factor. The demo account gets an authenticator key (for an app on a phone)
        # and one-time recovery codes, so that it can be tried without a phone; a rerun makes new ones.
        app = TOTPDevice.objects.filter(user=staff, confirmed=True).first() or TOTPDevice.objects.create(
            user=staff, name="Demo app", confirmed=True
        )
        codes = recovery_codes_create(user=staff)
        self.stdout.write("Demo logins (development only):")
        self.stdout.write(f"  secretariat (admin at /admin/):   secretariat / {DEMO_PASSWORD}")
        self.stdout.write(f"    second factor: key {base64.b32encode(app.bin_key).decode()} in an authenticator app,")
        self.stdout.write(f"    or one of these one-time recovery codes: {' '.join(codes[:5])}")
        self.stdout.write(f"  Dresden lead coordinator (/de/accounts/login/): dresden-lead / {DEMO_PASSWORD}")
