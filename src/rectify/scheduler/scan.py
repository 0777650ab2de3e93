"""One deadline scan at a given date: plan the due rows, record what is new, as `system`;
remind before monitoring/self-evaluation reports fall due (`monitoring_reminder`), then
mark those owed past their due date (`monitoring_overdue`).

Every plan is computed before anything is written, so an input the plan cannot handle
(a working-day deadline in a year without holiday data) records nothing. Occurrences
are then saved in batches; a clash with an earlier writer counts as already recorded
(item by item), which makes a re-run after a crash, or a second scheduler, harmless.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from rectify.bootstrap import House
from rectify.domain.deadlines import HolidayCalendar
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.occurrence import Due
from rectify.domain.schedule import Plan, plan
from rectify.domain.services.schedule import OccurrenceContext
from rectify.domain.vocabulary import OWED_REPORT_LABELS
from rectify.projections.deadline_queries import advance, due_rows, facts_of
from rectify.scheduler.monitoring_overdue import KIND as MONITORING_OVERDUE
from rectify.scheduler.monitoring_overdue import mark_owed_reports
from rectify.scheduler.monitoring_reminders import report_reminders

SYSTEM = Principal("system", Role.SYSTEM)
# Occurrences saved per transaction; a batch with any already-recorded one is retried item by item.
BATCH = 200
log = logging.getLogger("rectify.scheduler")


@dataclass(frozen=True)
class RecordedItem:
    kind: str
    ref: str
    for_date: str
    about: str | None
    department_code: str
    title: str


def scan(house: House, today: date, calendar: HolidayCalendar | None = None) -> list[RecordedItem]:
    calendar = calendar or HolidayCalendar()
    store = house.store
    store.catch_up()
    policy = house.schedule.policy()
    with store.engine.connect() as conn:
        rows = due_rows(conn, today)
    plans: list[tuple[Any, Plan]] = [
        (row, plan(facts_of(row), policy, calendar, today)) for row in rows
    ]
    pending: list[tuple[Due, OccurrenceContext]] = []
    for row, planned in plans:
        context = OccurrenceContext(row.department_code, row.unit_code, row.title, policy.version)
        pending += [
            (due, context)
            for due in planned.due
            if row.watched_until is None or due.for_date > row.watched_until
        ]
    pending += report_reminders(house, policy, today)
    recorded: list[RecordedItem] = []
    with acting_as(SYSTEM):
        for start in range(0, len(pending), BATCH):
            batch = pending[start : start + BATCH]
            for (due, context), new in zip(
                batch, house.schedule.record_occurrences(batch), strict=True
            ):
                if new:
                    recorded.append(
                        RecordedItem(
                            kind=due.kind.value,
                            ref=due.ref,
                            for_date=due.for_date.isoformat(),
                            about=due.about.isoformat() if due.about else None,
                            department_code=context.department_code,
                            title=context.title,
                        )
                    )
        recorded += [
            RecordedItem(
                kind=MONITORING_OVERDUE,
                ref=report.ref,
                for_date=report.for_date.isoformat(),
                about=report.due.isoformat(),
                department_code=report.department_code,
                title=OWED_REPORT_LABELS[report.kind],
            )
            for report in mark_owed_reports(house, today)
        ]
    advance(store.engine, [(row, planned.next_on) for row, planned in plans], today)
    store.catch_up()
    log.info("扫描 %s：查看 %d 个问题，新记录 %d 项", today.isoformat(), len(rows), len(recorded))
    return sorted(recorded, key=lambda r: (r.for_date, r.ref, r.kind))
