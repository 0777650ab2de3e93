"""Fresh planner statistics once a rebuild has rewritten every read model."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, Table


def refresh(engine: Engine, tables: Iterable[Table]) -> None:
    """PostgreSQL: ANALYZE the rebuilt tables.

    A rebuild empties and refills them in one go; until autovacuum gets to them the
    planner estimates from statistics of another size (at 1.7M events the year filter
    estimated 377 of 13,012 rows and took 38 ms, 15 ms once analysed). It costs ~2 s
    there. SQLite keeps no statistics unless asked, and its plans here do not use them."""
    if engine.dialect.name != "postgresql":
        return
    names = sorted({table.name for table in tables})
    if not names:
        return
    with engine.begin() as conn:
        quote = conn.dialect.identifier_preparer.quote
        conn.exec_driver_sql("ANALYZE " + ", ".join(quote(name) for name in names))
