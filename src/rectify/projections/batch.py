"""Per-batch row buffers: read what a batch touches once, write it back in bulk.

A projector's handlers change plain dicts in memory; at the end of the batch each
table gets one executemany per kind of statement (insert / update / delete), so the
cost per event is Python work on a dict, not a SQL round trip. SQLAlchemy caches the
compiled statements, so each is compiled once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, select, update

Row = dict[str, Any]

# Bound parameters per IN (...) list: well under SQLite's and PostgreSQL's limits.
_IN_CHUNK = 500


def chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RowCache:
    """The rows of one table that a batch touches, keyed by one unique column."""

    def __init__(self, table: Table, key: str) -> None:
        self.table = table
        self.key = key
        self._new: dict[Any, Row] = {}
        self._loaded: dict[Any, Row] = {}
        columns = [c.name for c in table.columns if c.name != key]
        self._update = (
            update(table)
            .where(table.c[key] == bindparam("k_" + key))
            .values({name: bindparam("k_" + name) for name in columns})
        )

    def begin(self) -> None:
        self._new.clear()
        self._loaded.clear()

    def load(self, conn: Connection, keys: Iterable[Any]) -> None:
        """Read in one query per chunk every row among `keys` not yet in memory."""
        wanted = sorted({k for k in keys if k not in self._new and k not in self._loaded})
        column = self.table.c[self.key]
        for part in chunks(wanted):
            for row in conn.execute(select(self.table).where(column.in_(part))).mappings():
                self._loaded[row[self.key]] = dict(row)

    def add(self, row: Row) -> None:
        self._new[row[self.key]] = row

    def get(self, key: Any) -> Row:
        """The row as it stands in this batch; a missing row is a bug in the log order."""
        row = self._new.get(key)
        if row is None:
            row = self._loaded.get(key)
        if row is None:
            raise LookupError(f"{self.table.name}: no row with {self.key}={key!r}")
        return row

    def find(self, key: Any) -> Row | None:
        return self._new.get(key) or self._loaded.get(key)

    def flush(self, conn: Connection) -> None:
        if self._new:
            conn.execute(self.table.insert(), list(self._new.values()))
        if self._loaded:
            conn.execute(
                self._update,
                [{"k_" + name: value for name, value in row.items()} for row in self._loaded.values()],
            )
        self.begin()


def replace_groups(conn: Connection, table: Table, column: str, groups: dict[Any, list[Row]]) -> None:
    """Replace every row whose `column` is one of the groups' keys with the groups' rows."""
    if not groups:
        return
    conn.execute(
        delete(table).where(table.c[column] == bindparam("g_" + column)),
        [{"g_" + column: key} for key in groups],
    )
    rows = [row for group in groups.values() for row in group]
    if rows:
        conn.execute(table.insert(), rows)
