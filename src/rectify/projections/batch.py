"""Per-batch row buffers: read what a batch touches once, write it back in bulk.

A projector's handlers change plain dicts in memory; at the end of the batch each
table gets one executemany per kind of statement (insert / update / delete), so the
cost per event is Python work on a dict, not a SQL round trip. Each statement is
compiled once per dialect and its rows go to the driver's executemany as plain
tuples: SQLAlchemy's per-row parameter handling cost more than SQLite's own work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Connection, Select, Table, bindparam, delete, select, update
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

Row = dict[str, Any]

# Bound parameters per IN (...) list: well under SQLite's and PostgreSQL's limits.
_IN_CHUNK = 500


def chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_Compiled = tuple[str, tuple[str, ...], tuple[Callable[[Any], Any] | None, ...], bool]


class Bulk:
    """One DML statement run as a driver executemany, compiled once per dialect and
    column set. Bound values still go through the columns' types (dates and Decimal
    as text on SQLite): the compiled statement's own bind processors are applied."""

    def __init__(self, statement: UpdateBase) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def _compile(self, conn: Connection, keys: tuple[str, ...]) -> _Compiled:
        entry = self._compiled.get((conn.dialect.name, keys))
        if entry is None:
            compiled = self.statement.compile(dialect=conn.dialect, column_keys=list(keys))
            names = tuple(compiled.positiontup or ()) if compiled.positional else keys
            # SQLAlchemy's per-type bind processors (private in name, stable across 2.x).
            processors = compiled._bind_processors
            single = tuple(processors.get(name) for name in names)
            assert all(p is None or callable(p) for p in single), "no tuple-typed columns"
            entry = (str(compiled), names, cast(Any, single), compiled.positional)
            self._compiled[(conn.dialect.name, keys)] = entry
        return entry

    def _values(
        self, conn: Connection, rows: Sequence[Row]
    ) -> tuple[str, tuple[str, ...], list[Any], bool]:
        """The rows as tuples in the statement's parameter order, through the types."""
        sql, names, processors, positional = self._compile(conn, tuple(rows[0]))
        values = itemgetter(*names)
        converted = [(i, p) for i, p in enumerate(processors) if p is not None]
        params: list[Any]
        if len(names) == 1:
            params = [(values(row),) for row in rows]
        else:
            params = [values(row) for row in rows]
        if converted:
            changed = [list(param) for param in params]
            for param in changed:
                for i, process in converted:
                    param[i] = process(param[i])
            params = [tuple(param) for param in changed]
        return sql, names, params, positional

    def run(self, conn: Connection, rows: Sequence[Row]) -> None:
        """Execute once per row, in one executemany; every row has the first's keys."""
        if not rows:
            return
        sql, names, params, positional = self._values(conn, rows)
        if not positional:
            params = [dict(zip(names, param, strict=True)) for param in params]
        conn.exec_driver_sql(sql, params)

    def copy_into(self, conn: Connection, table: Table, rows: Sequence[Row]) -> None:
        """PostgreSQL: the rows of an INSERT through COPY (one stream instead of a
        statement per row; psycopg writes each value as text for its column)."""
        if not rows:
            return
        _, names, params, _ = self._values(conn, rows)
        quote = conn.dialect.identifier_preparer
        columns = ", ".join(quote.quote(name) for name in names)
        raw = conn.connection.driver_connection
        assert raw is not None
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {quote.format_table(table)} ({columns}) FROM STDIN") as copy,
        ):
            for param in params:
                copy.write_row(param)


class DriverQuery:
    """A SELECT compiled once per dialect and run on the driver: rows come back as the
    driver's values (no per-row type processing), for the loops that read the log."""

    def __init__(self, query: Select[Any]) -> None:
        self.query = query
        self._compiled: dict[str, SQLCompiler] = {}

    def rows(self, conn: Connection, **params: Any) -> Sequence[Any]:
        compiled = self._compiled.get(conn.dialect.name)
        if compiled is None:
            made = self.query.compile(dialect=conn.dialect)
            assert isinstance(made, SQLCompiler)
            compiled = self._compiled[conn.dialect.name] = made
        values = compiled.construct_params(params)
        if compiled.positional:
            ordered = tuple(values[key] for key in compiled.positiontup or ())
            result = conn.exec_driver_sql(str(compiled), ordered)
        else:
            result = conn.exec_driver_sql(str(compiled), values)
        # The driver's own tuples: building a SQLAlchemy Row per event cost more than the read.
        rows: Sequence[Any] = result.cursor.fetchall()
        result.close()
        return rows


_INSERTS: dict[Table, Bulk] = {}
_DELETES: dict[tuple[Table, str], Bulk] = {}


def insert_many(conn: Connection, table: Table, rows: Sequence[Row]) -> None:
    """INSERT every row (all with the same keys) in one executemany."""
    bulk = _INSERTS.get(table)
    if bulk is None:
        bulk = _INSERTS[table] = Bulk(table.insert())
    if conn.dialect.name == "postgresql":
        bulk.copy_into(conn, table, rows)
    else:
        bulk.run(conn, rows)


class RowCache:
    """The rows of one table that a batch touches, keyed by one unique column."""

    def __init__(self, table: Table, key: str) -> None:
        self.table = table
        self.key = key
        self._new: dict[Any, Row] = {}
        self._loaded: dict[Any, Row] = {}
        columns = [c.name for c in table.columns if c.name != key]
        self._update = Bulk(
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

    def rows(self) -> Iterable[Row]:
        """Every row this batch holds, new and loaded."""
        yield from self._new.values()
        yield from self._loaded.values()

    def find(self, key: Any) -> Row | None:
        return self._new.get(key) or self._loaded.get(key)

    def flush(self, conn: Connection) -> None:
        insert_many(conn, self.table, list(self._new.values()))
        if self._loaded and conn.dialect.name == "postgresql":
            # A statement per row costs a round trip's worth of Python in psycopg's
            # pipeline; replacing the rows (one DELETE per chunk, then COPY) does not.
            # No read-model table references another, and the batch holds the rows'
            # every column.
            column = self.table.c[self.key]
            for part in chunks(list(self._loaded)):
                conn.execute(delete(self.table).where(column.in_(part)))
            insert_many(conn, self.table, list(self._loaded.values()))
        elif self._loaded:
            self._update.run(
                conn,
                [
                    {"k_" + name: value for name, value in row.items()}
                    for row in self._loaded.values()
                ],
            )
        self.begin()


def replace_groups(
    conn: Connection, table: Table, column: str, groups: dict[Any, list[Row]]
) -> None:
    """Replace every row whose `column` is one of the groups' keys with the groups' rows."""
    if not groups:
        return
    bulk = _DELETES.get((table, column))
    if bulk is None:
        bulk = _DELETES[table, column] = Bulk(
            delete(table).where(table.c[column] == bindparam("g_" + column))
        )
    bulk.run(conn, [{"g_" + column: key} for key in groups])
    insert_many(conn, table, [row for group in groups.values() for row in group])
