"""problem list: an index for the text filter (substring of title or description)

Revision ID: 0012_tuiperf
Revises: 0009_figures
Create Date: 2026-11-26 20:00:00

`LIKE '%text%'` cannot use a B-tree: a text found in few findings made the list walk
all 100k of them (~150 ms on SQLite). SQLite gets an FTS5 trigram table,
`findings_text` (rowid = the finding row's rowid, `ref` stored alongside), kept by
triggers on `findings`; PostgreSQL gets pg_trgm GIN indexes on title and description,
which its planner uses for LIKE by itself. Where neither is available (an SQLite
without the trigram tokenizer, a PostgreSQL role that may not create the extension)
nothing is created and the filter stays a scan (projections/text_search.py checks).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from rectify.projections import text_index

revision = "0012_tuiperf"
down_revision = "0009_figures"
branch_labels = None
depends_on = None

SQLITE_UP = (
    "CREATE VIRTUAL TABLE findings_text USING fts5("
    "ref UNINDEXED, title, description, tokenize = 'trigram')",
    text_index.FILL,
    # A full rebuild drops and re-creates the same triggers (projections/text_index.py).
    *text_index.TRIGGERS.values(),
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS findings_text_update",
    "DROP TRIGGER IF EXISTS findings_text_delete",
    "DROP TRIGGER IF EXISTS findings_text_insert",
    "DROP TABLE IF EXISTS findings_text",
)
POSTGRES_INDEXES = ("title", "description")


def _sqlite_has_trigram(conn: sa.Connection) -> bool:
    try:
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize = 'trigram')"
        )
    except sa.exc.OperationalError:
        return False
    conn.exec_driver_sql("DROP TABLE temp.trigram_probe")
    return True


def _postgres_has_trigram(conn: sa.Connection) -> bool:
    savepoint = conn.begin_nested()
    try:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        if _sqlite_has_trigram(conn):
            for statement in SQLITE_UP:
                conn.exec_driver_sql(statement)
        return
    if _postgres_has_trigram(conn):
        for column in POSTGRES_INDEXES:
            conn.exec_driver_sql(
                f"CREATE INDEX ix_findings_{column}_trgm ON findings "
                f"USING gin ({column} gin_trgm_ops)"
            )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            conn.exec_driver_sql(statement)
        return
    for column in POSTGRES_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_findings_{column}_trgm")
