"""Read models of monitoring: periods with their due dates and status (what the
scheduler scans: owed / filed / overdue), the values reported, and the warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    String,
    Table,
    Text,
    select,
    update,
)

from rectify.domain.identity import Principal, Role
from rectify.projections.metadata import DecimalText, metadata
from rectify.projections.projector import Handler, Projector

monitoring_periods = Table(
    "monitoring_periods",
    metadata,
    Column("department_code", String(64), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("period", String(32), primary_key=True),
    Column("monitoring_id", String(36), nullable=False, index=True),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("due", Date, nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # monitoring / self_evaluation
    Column("status", String(16), nullable=False),  # owed / filed / overdue
    Column("filed_on", Date, nullable=True),
    Column("late", Boolean, nullable=True),
    Column("execution_rate", DecimalText, nullable=True),
    Column("time_elapsed", DecimalText, nullable=True),
)

monitoring_values = Table(
    "monitoring_values",
    metadata,
    Column("department_code", String(64), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("period", String(32), primary_key=True),
    Column("code", String(64), primary_key=True),
    Column("target", Text, nullable=False),
    Column("reached", DecimalText, nullable=True),
    Column("expected", DecimalText, nullable=True),
    Column("deviation", DecimalText, nullable=True),
    Column("cause", Text, nullable=True),
    Column("measure", Text, nullable=True),
)

monitoring_warnings = Table(
    "monitoring_warnings",
    metadata,
    Column("warning_id", String(160), primary_key=True),
    Column("department_code", String(64), nullable=False, index=True),
    Column("fiscal_year", Integer, nullable=False),
    Column("period", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("code", String(64), nullable=True),
    Column("message", Text, nullable=False),
    Column("finding_ref", String(160), nullable=True),
)


class MonitoringProjector(Projector):
    name = "monitoring"
    tables = (monitoring_periods, monitoring_values, monitoring_warnings)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "rectify/Monitoring.Planned": self.planned,
            "rectify/Monitoring.ReportFiled": self.filed,
            "rectify/Monitoring.SelfEvaluationSubmitted": self.self_evaluation,
            "rectify/Monitoring.WarningRaised": self.warning,
            "rectify/Monitoring.WarningConverted": self.converted,
            "rectify/Monitoring.ReportOverdue": self.overdue,
        }

    def planned(self, conn: Connection, event: Any) -> None:
        conn.execute(
            monitoring_periods.insert(),
            [
                {
                    "department_code": event.department_code,
                    "fiscal_year": event.fiscal_year,
                    "period": p["name"],
                    "monitoring_id": str(event.originator_id),
                    "start": p["start"],
                    "end": p["end"],
                    "due": p["due"],
                    "kind": p.get("kind", "monitoring"),
                    "status": "owed",
                }
                for p in event.periods
            ],
        )

    @staticmethod
    def _where(event: Any, period: str) -> Any:
        return (monitoring_periods.c.monitoring_id == str(event.originator_id)) & (
            monitoring_periods.c.period == period
        )

    def _head(self, conn: Connection, event: Any) -> Any:
        return conn.execute(
            select(monitoring_periods.c.department_code, monitoring_periods.c.fiscal_year)
            .where(monitoring_periods.c.monitoring_id == str(event.originator_id))
            .limit(1)
        ).one()

    def filed(self, conn: Connection, event: Any) -> None:
        conn.execute(
            update(monitoring_periods)
            .where(self._where(event, event.period))
            .values(
                status="filed",
                filed_on=event.filed_on,
                late=event.late,
                execution_rate=event.execution_rate,
                time_elapsed=event.time_elapsed,
            )
        )
        head = self._head(conn, event)
        if event.values:
            conn.execute(
                monitoring_values.insert(),
                [
                    {
                        "department_code": head.department_code,
                        "fiscal_year": head.fiscal_year,
                        "period": event.period,
                        "code": v["code"],
                        "target": v["target"],
                        "reached": v.get("reached"),
                        "expected": v.get("expected"),
                        "deviation": v.get("deviation"),
                        "cause": v.get("cause"),
                        "measure": v.get("measure"),
                    }
                    for v in event.values
                ],
            )

    def self_evaluation(self, conn: Connection, event: Any) -> None:
        conn.execute(
            update(monitoring_periods)
            .where(self._where(event, event.period))
            .values(status="filed", filed_on=event.filed_on, late=event.late)
        )

    def warning(self, conn: Connection, event: Any) -> None:
        head = self._head(conn, event)
        conn.execute(
            monitoring_warnings.insert().values(
                warning_id=event.warning_id,
                department_code=head.department_code,
                fiscal_year=head.fiscal_year,
                period=event.period,
                kind=event.kind,
                code=event.code,
                message=event.message,
            )
        )

    def converted(self, conn: Connection, event: Any) -> None:
        conn.execute(
            update(monitoring_warnings)
            .where(monitoring_warnings.c.warning_id == event.warning_id)
            .values(finding_ref=event.finding_ref)
        )

    def overdue(self, conn: Connection, event: Any) -> None:
        conn.execute(
            update(monitoring_periods)
            .where(self._where(event, event.period))
            .values(status="overdue")
        )


@dataclass(frozen=True)
class PeriodView:
    period: str
    kind: str
    start: date
    end: date
    due: date
    status: str
    filed_on: date | None
    late: bool | None
    execution_rate: Decimal | None
    time_elapsed: Decimal | None
    values: tuple[dict[str, Any], ...]
    warnings: tuple[dict[str, Any], ...]


def _out_of_scope(principal: Principal, department_code: str) -> bool:
    return principal.role is Role.DEPARTMENT and principal.department != department_code


def monitoring_view(
    conn: Connection, department_code: str, fiscal_year: int, *, principal: Principal
) -> list[PeriodView]:
    if _out_of_scope(principal, department_code):
        return []  # another department's monitoring reads as no plan: reveals nothing
    key = (monitoring_periods.c.department_code == department_code) & (
        monitoring_periods.c.fiscal_year == fiscal_year
    )
    periods = conn.execute(
        select(monitoring_periods).where(key).order_by(monitoring_periods.c.start)
    ).all()
    values = conn.execute(
        select(monitoring_values)
        .where(
            (monitoring_values.c.department_code == department_code)
            & (monitoring_values.c.fiscal_year == fiscal_year)
        )
        .order_by(monitoring_values.c.code)
    ).all()
    warnings = conn.execute(
        select(monitoring_warnings)
        .where(
            (monitoring_warnings.c.department_code == department_code)
            & (monitoring_warnings.c.fiscal_year == fiscal_year)
        )
        .order_by(monitoring_warnings.c.warning_id)
    ).all()
    return [
        PeriodView(
            p.period,
            p.kind,
            p.start,
            p.end,
            p.due,
            p.status,
            p.filed_on,
            p.late,
            p.execution_rate,
            p.time_elapsed,
            tuple(
                {
                    k: getattr(v, k)
                    for k in (
                        "code",
                        "target",
                        "reached",
                        "expected",
                        "deviation",
                        "cause",
                        "measure",
                    )
                }
                for v in values
                if v.period == p.period
            ),
            tuple(
                {k: getattr(w, k) for k in ("warning_id", "kind", "code", "message", "finding_ref")}
                for w in warnings
                if w.period == p.period
            ),
        )
        for p in periods
    ]


def owed_periods(conn: Connection, today: date) -> list[Any]:
    """Rows (department_code, fiscal_year, period, kind, due) of reports still owed after
    their due date, earliest due first (the index on `due`)."""
    return list(
        conn.execute(
            select(
                monitoring_periods.c.department_code,
                monitoring_periods.c.fiscal_year,
                monitoring_periods.c.period,
                monitoring_periods.c.kind,
                monitoring_periods.c.due,
            )
            .where((monitoring_periods.c.status == "owed") & (monitoring_periods.c.due < today))
            .order_by(
                monitoring_periods.c.due,
                monitoring_periods.c.department_code,
                monitoring_periods.c.period,
            )
        ).all()
    )


def owed_until(conn: Connection, until: date) -> list[Any]:
    """Rows (department_code, fiscal_year, period, kind, due) of reports still owed and
    due by `until`: what the scan's reminders before a due date are planned from."""
    c = monitoring_periods.c
    return list(
        conn.execute(
            select(c.department_code, c.fiscal_year, c.period, c.kind, c.due)
            .where((c.status == "owed") & (c.due <= until))
            .order_by(c.due, c.department_code, c.period)
        ).all()
    )


def owed_reports(conn: Connection, today: date) -> list[tuple[str, int, str]]:
    """(department, year, period) of reports still owed after their due date: what the
    scheduler's scan hands to `House.monitoring.mark_monitoring_overdue`."""
    return [(r.department_code, r.fiscal_year, r.period) for r in owed_periods(conn, today)]
