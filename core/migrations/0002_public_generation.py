from django.db import migrations

from core.public_cache import CHANGE_FUNCTION, DROP_FUNCTION


class Migration(migrations.Migration):
    # The public generation and its trigger function; the triggers themselves are put on every tracked table
    # after each migrate (core.public_cache.install_change_triggers), so that new tables are covered too.
    dependencies = [("core", "0001_form_submissions_security_events")]

    operations = [migrations.RunSQL(CHANGE_FUNCTION, DROP_FUNCTION)]
