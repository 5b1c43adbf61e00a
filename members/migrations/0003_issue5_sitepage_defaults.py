"""Default texts for the three legal pages; the secretariat completes and edits them in the admin."""

from django.db import migrations

from members.site_page_defaults import PAGES  # plain constants, safe in a migration


def create_pages(apps, schema_editor):
    SitePage = apps.get_model("members", "SitePage")
    for key, (title_de, title_en, body_de, body_en) in PAGES.items():
        SitePage.objects.get_or_create(
            key=key, defaults={"title_de": title_de, "title_en": title_en, "body_de": body_de, "body_en": body_en}
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_issue5_sitepage")]
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
