"""The scan's monitoring hook: mark each monitoring or self-evaluation report still owed
after its due date as overdue (`Monitoring.ReportOverdue`), as the `system` user.

Recorded for the day after the due date — the day it became overdue, never the day a
scan ran — so daily scans and one jump after downtime record the same thing. The
aggregate refuses a second mark, and a second scheduler racing on the same plan hits
the event store's version constraint: both read as "already marked".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rectify.bootstrap import House
from rectify.domain.errors import ConcurrencyConflict
from rectify.projections.monitoring import owed_periods

KIND = "monitoring_overdue"


@dataclass(frozen=True)
class MarkedReport:
    department_code: str
    fiscal_year: int
    period: str
    kind: str  # the period's kind: monitoring / self_evaluation
    due: date

    @property
    def for_date(self) -> date:
        return self.due + timedelta(days=1)

    @property
    def ref(self) -> str:
        return f"{self.department_code}/{self.fiscal_year}/{self.period}"


def mark_owed_reports(house: House, today: date) -> list[MarkedReport]:
    """Mark what is owed as of `today` (caught-up read model); the caller acts as `system`."""
    with house.store.engine.connect() as conn:
        owed = [
            MarkedReport(r.department_code, r.fiscal_year, r.period, r.kind, r.due)
            for r in owed_periods(conn, today)
        ]
    marked = []
    for report in owed:
        try:
            new = house.monitoring.mark_monitoring_overdue(
                report.department_code, report.fiscal_year, report.period, today=report.for_date
            )
        except ConcurrencyConflict:
            new = False  # another scheduler saved the plan first
        if new:
            marked.append(report)
    return marked
