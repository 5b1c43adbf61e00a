"""Typo-tolerant member names: `eccar_word_similarity(query, text)`.

With the pg_trgm extension (standard in PostgreSQL's contrib, present on production servers) the function is
pg_trgm's `word_similarity`. The embedded development server has no contrib; there the same measure is
computed in PL/pgSQL: the best trigram similarity between the query and one word of the text that
begins like a word of the query.
"""

from django.db import migrations

WITH_PG_TRGM = """
CREATE OR REPLACE FUNCTION eccar_word_similarity(query text, target text) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT word_similarity(query, target) $$;
"""

# The best trigram similarity (shared / all trigrams) between the query and one word of the target. Written in
# PL/pgSQL with simple expressions only, and only words that begin like a query word are compared: a name search
# stays cheap without the extension.
WITHOUT_PG_TRGM = r"""
CREATE OR REPLACE FUNCTION eccar_trigrams(word text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    padded text := '  ' || lower(word) || ' ';
    result text[] := '{}';
    gram text;
BEGIN
    FOR i IN 1 .. length(padded) - 2 LOOP
        gram := substr(padded, i, 3);
        IF NOT gram = ANY (result) THEN
            result := result || gram;
        END IF;
    END LOOP;
    RETURN result;
END $$;

CREATE OR REPLACE FUNCTION eccar_word_similarity(query text, target text) RETURNS real
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    q text[] := eccar_trigrams(query);
    starts text[] := ARRAY(SELECT left(lower(w), 3) FROM regexp_split_to_table(query, '[^[:alnum:]]+') AS w WHERE w <> '');
    best real := 0;
    t text[];
    shared int;
    similarity real;
    w text;
BEGIN
    FOREACH w IN ARRAY regexp_split_to_array(lower(target), '[^[:alnum:]]+') LOOP
        CONTINUE WHEN w = '' OR NOT left(w, 3) = ANY (starts);
        t := eccar_trigrams(w);
        shared := 0;
        FOR i IN 1 .. cardinality(q) LOOP
            IF q[i] = ANY (t) THEN
                shared := shared + 1;
            END IF;
        END LOOP;
        similarity := shared::real / (cardinality(q) + cardinality(t) - shared);
        IF similarity > best THEN
            best := similarity;
        END IF;
    END LOOP;
    RETURN best;
END $$;
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
