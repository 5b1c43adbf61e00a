"""Full-text search over members, kept up to date by PostgreSQL itself.

A stored generated column combines the German and the English configuration, so that "Schule" finds
"Schulen" and "housing" finds "Housing policy"; a GIN index makes the match fast at any size.
The column is not a model field: Django never writes it, and queries read it through RawSQL.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE members_member ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', coalesce(name, '')), 'A')
    || setweight(to_tsvector('english', coalesce(name, '')), 'A')
    || setweight(to_tsvector('german', coalesce(region, '') || ' ' || coalesce(lead_department, '')), 'B')
    || setweight(to_tsvector('german', coalesce(description, '')), 'C')
    || setweight(to_tsvector('english', coalesce(description, '')), 'C')
) STORED;
CREATE INDEX members_member_search_gin ON members_member USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS members_member_search_gin;
ALTER TABLE members_member DROP COLUMN IF EXISTS search_vector;
"""


class Migration(migrations.Migration):
    dependencies = [("members", "0003_issue5_sitepage_defaults")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
