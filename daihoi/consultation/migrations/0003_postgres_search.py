"""Full-text and trigram search of comments on PostgreSQL (nothing on SQLite, which searches
the folded `search_text` column instead).

`consultation_fold(text)` is lower(unaccent(text)) declared immutable (unaccent itself is only
stable, because its dictionary could change), so that it can be indexed: a GIN index of its
`simple` text-search vector answers word searches, a trigram GIN index answers phrase
(substring) searches.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE OR REPLACE FUNCTION consultation_fold(value text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$""",
    """CREATE INDEX IF NOT EXISTS consultation_comment_fts ON consultation_comment
       USING gin (to_tsvector('simple'::regconfig, consultation_fold(text)))""",
    """CREATE INDEX IF NOT EXISTS consultation_comment_trgm ON consultation_comment
       USING gin (consultation_fold(text) gin_trgm_ops)""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS consultation_comment_trgm",
    "DROP INDEX IF EXISTS consultation_comment_fts",
    "DROP FUNCTION IF EXISTS consultation_fold(text)",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("consultation", "0002_search_keyset_bulk_moderation")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
