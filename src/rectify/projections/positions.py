"""Each projector's tracked position (last applied notification id), kept with its rows."""

from __future__ import annotations

import zlib

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    String,
    Table,
    bindparam,
    select,
    text,
    update,
)

from rectify.projections.metadata import metadata

# Every projector's name, in the catalog's order (tests/projections/test_store.py keeps
# them equal): checking that nothing is left to apply needs no projector module.
PROJECTOR_NAMES = (
    "departments",
    "findings",
    "finding_timeline",
    "evaluations",
    "budgets",
    "deadline_watch",
    "targets",
    "monitoring",
    "inbox",
    "comments",
    "results",
    "figures",
)
RUNNER_LOCK_KEY = 0x72656374  # "rect": with a projector's key, the advisory lock of its runner


def projector_lock_key(name: str) -> int:
    """The second half of a projector's advisory lock (PostgreSQL): a runner locks the
    projectors it applies, so runners of disjoint projectors (a parallel rebuild's
    groups) work at once, and any two that share one wait for each other."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


projection_positions = Table(
    "projection_positions",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)


def lock_positions(
    conn: Connection, names: list[str], *, wait: bool = True
) -> dict[str, int] | None:
    """Lock the positions for this transaction and return them, creating missing ones.

    The no-op UPDATE takes SQLite's write lock and PostgreSQL's row locks, so two
    runners (two processes) never apply the same events twice: the second waits and
    then reads the first one's committed positions. With `wait=False` (PostgreSQL)
    None is returned at once when another runner holds one of these projectors.
    """
    if conn.dialect.name == "postgresql":
        # The projectors' advisory locks, in one order for every runner and before any
        # row lock: row locks taken in heap order by two runners could otherwise deadlock.
        # One round trip: the subquery hands the keys over in order.
        take = (
            "count(pg_advisory_xact_lock(:key, k)) > 0"
            if wait
            else ("bool_and(pg_try_advisory_xact_lock(:key, k))")
        )
        taken = conn.execute(
            text(
                f"SELECT {take} "
                "FROM (SELECT unnest(CAST(:keys AS int[])) AS k ORDER BY 1) AS ordered"
            ),
            {"key": RUNNER_LOCK_KEY, "keys": sorted({projector_lock_key(n) for n in names})},
        ).scalar_one()
        if not taken:
            return None
    conn.execute(
        update(projection_positions)
        .where(projection_positions.c.name.in_(names))
        .values(position=projection_positions.c.position)
    )
    rows = read_positions(conn)
    missing = [name for name in names if name not in rows]
    if missing:
        conn.execute(projection_positions.insert(), [{"name": n, "position": 0} for n in missing])
        rows.update({n: 0 for n in missing})
    return {name: int(rows[name]) for name in names}


def save_positions(conn: Connection, positions: dict[str, int]) -> None:
    """Every position in one executemany (one statement, compiled once): a catch-up
    after a command moves a dozen projectors, and a statement each was its largest cost."""
    if not positions:
        return
    conn.execute(
        update(projection_positions)
        .where(projection_positions.c.name == bindparam("b_name"))
        .values(position=bindparam("b_position")),
        [{"b_name": name, "b_position": position} for name, position in positions.items()],
    )


def read_positions(conn: Connection) -> dict[str, int]:
    """Every stored position, without locking (positions only grow)."""
    rows = conn.execute(select(projection_positions.c.name, projection_positions.c.position))
    return {name: int(position) for name, position in rows.tuples()}
