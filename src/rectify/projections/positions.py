"""Each projector's tracked position (last applied notification id), kept with its rows."""

from __future__ import annotations

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
RUNNER_LOCK_KEY = 0x72656374  # "rect": the advisory lock every projection runner takes

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
    None is returned at once when another runner holds the lock.
    """
    if conn.dialect.name == "postgresql":
        # One runner at a time, taken before any row lock: row locks taken in heap order
        # by two runners (a catch-up and a rebuild) could otherwise deadlock.
        if wait:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RUNNER_LOCK_KEY})
        elif not conn.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": RUNNER_LOCK_KEY}
        ).scalar_one():
            return None
    conn.execute(update(projection_positions).values(position=projection_positions.c.position))
    rows = dict(
        conn.execute(select(projection_positions.c.name, projection_positions.c.position))
        .tuples()
        .all()
    )
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
