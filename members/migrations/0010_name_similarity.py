"""Typo-tolerant member names: `eccar_word_similarity(query, text)`.

With the pg_trgm extension (standard in PostgreSQL's contrib, present on production servers) the function is
pg_trgm's `word_similarity`. The embedded development server has no contrib; there the same measure is
computed in SQL: the best trigram similarity between the query and one word of the text.
"""

from django.db import migrations

WITH_PG_TRGM = """
CREATE OR REPLACE FUNCTION eccar_word_similarity(query text, target text) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT word_similarity(query, target) $$;
"""

WITHOUT_PG_TRGM = """
CREATE OR REPLACE FUNCTION eccar_trigrams(word text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(padded, i, 3)), '{}')
    FROM (SELECT '  ' || lower(word) || ' ' AS padded) p, generate_series(1, length(padded) - 2) AS i
$$;
CREATE OR REPLACE FUNCTION eccar_word_similarity(query text, target text) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(max(
        (SELECT count(*) FROM unnest(eccar_trigrams(query)) t WHERE t = ANY (eccar_trigrams(w)))::real
        / nullif(cardinality(ARRAY(SELECT DISTINCT unnest(eccar_trigrams(query) || eccar_trigrams(w)))), 0)
    ), 0)
    FROM regexp_split_to_table(target, '[^[:alnum:]]+') AS w
    WHERE w <> ''
$$;
"""

BACKWARD = """
DROP FUNCTION IF EXISTS eccar_word_similarity(text, text);
DROP FUNCTION IF EXISTS eccar_trigrams(text);
"""


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        available = cursor.fetchone() is not None
        if available:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(WITH_PG_TRGM if available else WITHOUT_PG_TRGM)


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("members", "0009_field_labels")]
    operations = [migrations.RunPython(forward, backward)]
