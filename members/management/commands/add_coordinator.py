from django.core.management.base import BaseCommand, CommandError

from members.models import Member
from members.services import coordinator_add


class Command(BaseCommand):
    help = "Create or update a coordinator and assign them to a member. Safe to rerun."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--member", required=True, help="the member's slug")
        parser.add_argument("--lead", action="store_true", help="make them the lead coordinator (may submit reports)")
        parser.add_argument("--email")
        parser.add_argument("--password")

    def handle(self, *args, **options) -> None:
        try:
            member = Member.objects.get(slug=options["member"])
        except Member.DoesNotExist:
            raise CommandError(f"No member with the slug {options['member']!r}.") from None
        user, created = coordinator_add(
            username=options["username"],
            member=member,
            lead=options["lead"],
            email=options["email"],
            password=options["password"],
        )
        role = "lead coordinator" if options["lead"] else "editor"
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {user.username}: {role} of {member.name}."))
