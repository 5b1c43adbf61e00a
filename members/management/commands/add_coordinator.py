import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.models import Member, User
from members.services import coordinator_add


class Command(BaseCommand):
    help = (
        "Create or update a coordinator and assign them to a member. Safe to rerun. For operators: the portal's "
        "own way is an invitation from the admin. A password is read from standard input (--password-stdin), "
        "never from the command line, where it would end up in the shell history and the process list."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--member", required=True, help="the member's slug")
        parser.add_argument("--lead", action="store_true", help="make them the lead coordinator (may submit reports)")
        parser.add_argument("--email")
        parser.add_argument(
            "--password-stdin", action="store_true",
            help="read the password from the first line of standard input; without it a new user sets one through "
            "'forgotten password'",
        )

    def handle(self, *args, **options) -> None:
        try:
            member = Member.objects.get(slug=options["member"])
        except Member.DoesNotExist:
            raise CommandError(f"No member with the slug {options['member']!r}.") from None
        password = None
        if options["password_stdin"]:
            password = (options.get("stdin") or sys.stdin).readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
            candidate = User.objects.filter(username=options["username"]).first() or User(
                username=options["username"], email=options["email"] or ""
            )
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                raise CommandError("The password was refused: " + " ".join(error.messages)) from None
        user, created = coordinator_add(
            username=options["username"], member=member, lead=options["lead"], email=options["email"], password=password
        )
        role = "lead coordinator" if options["lead"] else "editor"
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {user.username}: {role} of {member.name}."))
