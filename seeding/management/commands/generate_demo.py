import time

from django.core.management.base import BaseCommand, CommandError

from seeding.demo import demo_generate


class Command(BaseCommand):
    help = (
        "Synthetic scale data: members named 'Demo-Stadt NNNN' (source 'Demo data – synthetic') with measures. "
        "Safe to rerun: tops up missing demo rows and never touches real members."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--members", type=int, default=100, help="number of demo members (default 100)")
        parser.add_argument("--measures-per-member", type=int, default=10, help="measures per demo member (default 10)")

    def handle(self, *args, members: int, measures_per_member: int, **options) -> None:
        if members < 0 or measures_per_member < 0:
            raise CommandError("--members and --measures-per-member must be 0 or more.")
        started = time.monotonic()
        try:
            created = demo_generate(members=members, measures_per_member=measures_per_member)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Demo data: {created['members']} members, {created['plans']} plans, {created['measures']} measures, "
            f"{created['indicators']} indicators with {created['indicator values']} values created "
            f"in {time.monotonic() - started:.1f} s."
        )
