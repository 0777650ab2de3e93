"""The text filter's index (migration 0012_tuiperf) during a full rebuild.

SQLite keeps its FTS5 trigram table `findings_text` by triggers on `findings`, a row
at a time. A rebuild writes every finding again, so in its first transaction it drops
the triggers and empties the table, and the batch that reaches the head fills the
table once from `findings` (one INSERT … SELECT) and creates the triggers again
(`restore`). PostgreSQL's pg_trgm GIN indexes are left as they are: dropping them for
the rebuild and creating them at the end was not shown to pay (docs/benchmarks.md).

A rebuild killed in between leaves the read models behind the head, without the
triggers. The rule "the table exists, so its triggers exist" lets the next runner see
it: the batch that brings it to the head restores them (projections/runner.py), so a
store at the head always has its text index.
"""

from __future__ import annotations

from sqlalchemy import Connection

TABLE = "findings_text"
FILL = (
    f"INSERT INTO {TABLE} (rowid, ref, title, description) "
    "SELECT rowid, ref, title, description FROM findings"
)
TRIGGERS = {
    "findings_text_insert": "CREATE TRIGGER findings_text_insert AFTER INSERT ON findings "
    f"BEGIN INSERT INTO {TABLE} (rowid, ref, title, description) "
    "VALUES (new.rowid, new.ref, new.title, new.description); END",
    "findings_text_delete": "CREATE TRIGGER findings_text_delete AFTER DELETE ON findings "
    f"BEGIN DELETE FROM {TABLE} WHERE rowid = old.rowid; END",
    # Title and description are fixed once recorded, but the projector rewrites whole
    # rows: only a real change touches the index.
    "findings_text_update": "CREATE TRIGGER findings_text_update AFTER UPDATE ON findings "
    "WHEN old.title IS NOT new.title OR old.description IS NOT new.description "
    "OR old.ref IS NOT new.ref BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = old.rowid; "
    f"INSERT INTO {TABLE} (rowid, ref, title, description) "
    "VALUES (new.rowid, new.ref, new.title, new.description); END",
}


def _names(conn: Connection, kind: str, names: tuple[str, ...]) -> set[str]:
    marks = ", ".join("?" for _ in names)
    rows = conn.exec_driver_sql(
        f"SELECT name FROM sqlite_master WHERE type = ? AND name IN ({marks})", (kind, *names)
    )
    return {name for (name,) in rows}


def has_table(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite" and bool(_names(conn, "table", (TABLE,)))


def suspend(conn: Connection) -> None:
    """Stop keeping the index row by row and empty it (in the rebuild's transaction)."""
    if not has_table(conn):
        return
    for name in TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")


def restore(conn: Connection) -> None:
    """If the index has lost its triggers, fill it from the findings and create them."""
    if not has_table(conn) or len(_names(conn, "trigger", tuple(TRIGGERS))) == len(TRIGGERS):
        return
    for name in TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")
    conn.exec_driver_sql(FILL)
    conn.exec_driver_sql(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
    for sql in TRIGGERS.values():
        conn.exec_driver_sql(sql)
