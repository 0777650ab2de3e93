"""The scan's reads and cursor writes on the deadline watch (an index range, no full scan)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, or_, select, update

from rectify.domain.finding import RectificationClass
from rectify.domain.schedule import WatchFacts
from rectify.projections.deadline_watch import deadline_watch, parse_dates


def due_rows(conn: Connection, today: date) -> Sequence[Any]:
    """Rows whose next look is due by `today` (uses ix_deadline_watch_next_on)."""
    return conn.execute(
        select(deadline_watch)
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

    Guarded by the version read (a newer change keeps its re-plan mark) and by
    `watched_until` (a slower scan at an earlier date never moves the cursor back).
    """
    if not planned:
        return
    c = deadline_watch.c
    statement = (
        update(deadline_watch)
        .where(c.finding_id == bindparam("b_id"), c.version == bindparam("b_version"))
        .where(or_(c.watched_until.is_(None), c.watched_until < today))
        .values(watched_until=today, next_on=bindparam("b_next"))
    )
    with engine.begin() as conn:
        conn.execute(
            statement,
            [{"b_id": r.finding_id, "b_version": r.version, "b_next": n} for r, n in planned],
        )
