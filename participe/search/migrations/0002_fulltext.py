"""The full-text part of the index, which differs by database.

PostgreSQL: the ``unaccent`` extension, a ``french_unaccent`` text search configuration (French stemming after
removing accents, so "écoles" and "ECOLE" meet), a generated ``tsvector`` column (title weighted above the text)
and its GIN index. SQLite: an FTS5 table whose rowid is the entry's id; the text stored in it is normalised in
Python (lowercase, no accents, French plurals folded: see ``participe.search.text``) because FTS5 has no French
stemmer.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END
    $$
    """,
    """
    ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('french_unaccent'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('french_unaccent'::regconfig, coalesce(body, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX search_vector_gin ON search_searchentry USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_vector_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
    # The configuration and the extension may be used by others: they stay.
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
    # Entries also disappear by cascade (a space deleted with its news): their full-text rows go with them.
    """
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry
    BEGIN
        DELETE FROM search_fts WHERE rowid = old.id;
    END
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS search_fts_delete", "DROP TABLE IF EXISTS search_fts"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
