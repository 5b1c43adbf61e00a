from django.apps import AppConfig


class SeedingConfig(AppConfig):
    # Seed and demo data for the domain apps, and the commands that load them; no domain app imports it.
    name = "seeding"
    verbose_name = "Seeding"
