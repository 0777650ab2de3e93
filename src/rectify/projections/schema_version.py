"""The schema version without Alembic: opening a store must not pay for importing it.

Alembic is imported only to migrate (`init`, `db upgrade`) or to compare models and
tables. Everyday opens only compare the `alembic_version` row with the revisions
declared in migrations/versions/*.py, read as text (tests/projections/test_store.py
checks this agrees with Alembic's own ScriptDirectory).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, text

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"
_DECLARED = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def _value(source: str) -> str | None:
    source = source.strip()
    return None if source == "None" else source.strip("'\"")


@cache
def revisions() -> dict[str, str | None]:
    """Every declared revision -> the revision it follows."""
    out: dict[str, str | None] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        found = dict(_DECLARED.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            out[str(_value(found["revision"]))] = _value(found.get("down_revision", "None"))
    return out


def known_revisions() -> set[str]:
    return set(revisions())


def script_heads() -> set[str]:
    followed = {down for down in revisions().values() if down is not None}
    return known_revisions() - followed


def table_exists(conn: Connection, name: str) -> bool:
    """Whether the table exists (in the search path), in one plain catalog query.

    SQLAlchemy's `inspect(conn).has_table` builds and compiles a reflection query first:
    on PostgreSQL about 10 ms of a command's start-up, paid up to three times."""
    if conn.dialect.name == "postgresql":
        found = conn.execute(
            text("SELECT to_regclass(CAST(:name AS text)) IS NOT NULL"), {"name": name}
        )
        return bool(found.scalar_one())
    found = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": name}
    )
    return found.first() is not None


def current_heads(conn: Connection) -> set[str]:
    if not table_exists(conn, "alembic_version"):
        return set()
    return {str(v) for v in conn.execute(text("SELECT version_num FROM alembic_version")).scalars()}
