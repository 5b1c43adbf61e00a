from django.core.management.base import BaseCommand
from django.db import transaction

from seeding.services import seed_eccar


class Command(BaseCommand):
    help = "Load the ten commitments and the five seed members with their facts and sources. Safe to rerun."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            counts = seed_eccar()
        for label, (created, total) in counts.items():
            self.stdout.write(f"{label}: {created} created, {total} in the seed")
        self.stdout.write(self.style.SUCCESS("Seed data is loaded."))
