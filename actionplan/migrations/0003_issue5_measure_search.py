"""Full-text search over measures (the good-practice library), kept up to date by PostgreSQL.

German and English configurations combined in a stored generated column with a GIN index; see
members/migrations/0004_issue5_member_search.py for why it is not a model field.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE actionplan_measure ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', coalesce(title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(title, '')), 'A')
    || setweight(to_tsvector('german', coalesce(description, '')), 'B')
    || setweight(to_tsvector('english', coalesce(description, '')), 'B')
    || setweight(to_tsvector('german', coalesce(responsible_unit, '') || ' ' || coalesce(partners, '')), 'C')
    || setweight(to_tsvector('english', coalesce(responsible_unit, '') || ' ' || coalesce(partners, '')), 'C')
) STORED;
CREATE INDEX actionplan_measure_search_gin ON actionplan_measure USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS actionplan_measure_search_gin;
ALTER TABLE actionplan_measure DROP COLUMN IF EXISTS search_vector;
"""


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0002_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
