"""The problem list's text filter: a substring of the title or the description.

`LIKE '%text%'` is the meaning. Walked in the list's order it stops at the page, so a
text found in many findings is fast; a text found in few made it walk every finding.
Migration 0012_tuiperf adds an index for those: PostgreSQL's planner uses its pg_trgm
GIN indexes for the LIKE by itself; SQLite's FTS5 trigram table (`findings_text`)
must be asked, so here a text of 3+ characters (trigrams) is first counted there:
found in at most TEXT_LIST_AT findings, the page's refs come from the index; in more,
the walk is the faster way. `%` and `_` keep their LIKE meaning (no index then).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, column, func, or_, select, table

from rectify.projections.findings import findings

TEXT_LIST_AT = 2000  # matches up to which SQLite takes the page from the trigram index
# Made by migration 0012_tuiperf outside the models (alembic's check leaves them alone).
INDEX_TABLE = "findings_text"
INDEX_OBJECTS = (INDEX_TABLE, "ix_findings_title_trgm", "ix_findings_description_trgm")

_text = table(INDEX_TABLE, column("ref"), column(INDEX_TABLE))


def like_clause(text: str) -> ColumnElement[bool]:
    """The words in the title or the description (both fixed once recorded)."""
    pattern = f"%{text}%"
    return or_(findings.c.title.like(pattern), findings.c.description.like(pattern))


def is_index_object(name: str | None) -> bool:
    """A table or index of the text index (FTS5 adds findings_text_data, _idx, …)."""
    return name is not None and name.startswith(INDEX_OBJECTS)


def text_clause(conn: Connection, text: str) -> ColumnElement[bool]:
    """`text` in the title or the description, the cheaper way for this text."""
    if conn.dialect.name != "sqlite" or len(text) < 3 or "%" in text or "_" in text:
        return like_clause(text)
    if not _has_index(conn):
        return like_clause(text)
    phrase = '"' + text.replace('"', '""') + '"'
    matches = _text.c[INDEX_TABLE].op("MATCH")(phrase)
    found = conn.execute(select(func.count()).select_from(_text).where(matches)).scalar_one()
    if int(found) > TEXT_LIST_AT:
        return like_clause(text)
    return findings.c.ref.in_(select(_text.c.ref).where(matches))


def _has_index(conn: Connection) -> bool:
    """Asked each time (a lookup in the schema, ~50 µs): a cache could outlive a downgrade."""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (INDEX_TABLE,)
    ).first()
    return found is not None
