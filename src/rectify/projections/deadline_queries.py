"""The scan's reads and cursor writes on the deadline watch (an index range, no full scan)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from rectify.domain.finding import RectificationClass
from rectify.domain.schedule import WatchFacts
from rectify.projections.deadline_watch import deadline_cursor, deadline_watch, parse_dates


def due_rows(conn: Connection, today: date) -> Sequence[Any]:
    """Rows whose next look is due by `today` (uses ix_deadline_watch_next_on), each
    with its cursor `watched_until` (None: never scanned)."""
    cursor = deadline_cursor.c
    return conn.execute(
        select(deadline_watch, cursor.watched_until)
        .outerjoin(deadline_cursor, cursor.finding_id == deadline_watch.c.finding_id)
        .where(deadline_watch.c.next_on <= today)
        .order_by(deadline_watch.c.next_on, deadline_watch.c.ref)
    ).all()


def facts_of(row: Any) -> WatchFacts:
    cls = row.rectification_class
    return WatchFacts(
        ref=row.ref,
        status=row.status,
        rectification_class=RectificationClass(cls) if cls else None,
        issued_on=row.issued_on,
        due=row.due,
        re_review_on=row.re_review_on,
        report_dates=parse_dates(row.report_dates),
    )


def advance(engine: Engine, planned: Sequence[tuple[Any, date | None]], today: date) -> None:
    """Note that each (row, next_on) is planned through `today`, unless it changed meanwhile.

    One transaction for the whole scan: losing it (a crash) only makes the next scan
    re-plan those rows, whose occurrences then clash as already recorded.

    `next_on` is guarded by the version read (a newer change keeps its re-plan mark);
    the cursor only ever moves forward (a slower scan at an earlier date never moves
    it back). Upserted in the dialect's own `ON CONFLICT` form, so two scanners
    racing on a new row do not fail each other.
    """
    if not planned:
        return
    c = deadline_watch.c
    watch = (
        update(deadline_watch)
        .where(c.finding_id == bindparam("b_id"), c.version == bindparam("b_version"))
        .values(next_on=bindparam("b_next"))
    )
    upsert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    cursor = upsert(deadline_cursor).values(finding_id=bindparam("b_id"), watched_until=today)
    cursor = cursor.on_conflict_do_update(
        index_elements=[deadline_cursor.c.finding_id],
        set_={"watched_until": today},
        where=deadline_cursor.c.watched_until < today,
    )
    params = [{"b_id": r.finding_id, "b_version": r.version, "b_next": n} for r, n in planned]
    with engine.begin() as conn:
        conn.execute(watch, params)
        conn.execute(cursor, [{"b_id": p["b_id"]} for p in params])
