"""Performance monitoring (绩效监控): one department's monitoring plan and reports for a year.

The bureau plans the periods (e.g. H1: 2024-01-01 → 06-30, report due 07-15), the
self-evaluation report's due date (a period of kind `self_evaluation`, submitted with
`SelfEvaluationSubmitted` once the department has entered its 自评 scores) and the
warning rules (`Planned`); the department files one report per period (`ReportFiled`):
per target the value reached so far, the expected full-year value, the cause of a
deviation (偏差原因) and the corrective measure, and budget execution to date. Filing
raises the warnings the rules give (`WarningRaised`), computed against the targets in
force at the period's end. The bureau turns a warning into a finding with one action
(`WarningConverted`, saved with the new Finding). A period whose report is owed after
its due date is marked overdue by the scheduler (`ReportOverdue`): the due dates are
data (`monitoring_periods` read model) the scheduler scans.

Who may do what: `rectify.domain.permissions.MONITORING_PERMISSIONS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound
from rectify.domain.targets import Target

__all__ = ["SELF_EVALUATION", "Monitoring", "Period", "WarningRules", "deviation_percent"]


SELF_EVALUATION = "self_evaluation"  # the period of the year-end self-evaluation report (自评)


@dataclass(frozen=True)
class Period:
    name: str
    start: date
    end: date
    due: date
    kind: str = "monitoring"  # or SELF_EVALUATION


@dataclass(frozen=True)
class WarningRules:
    """Warn when execution lags time elapsed by more than `lag_points` percentage points,
    or a target is expected to miss by more than `miss_percent` % of its value."""

    lag_points: Decimal = Decimal(10)
    miss_percent: Decimal = Decimal(10)


CENT = Decimal("0.01")


def _pct(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def deviation_percent(target: Target, expected: Decimal) -> Decimal | None:
    """偏差度: how far the expected full-year value falls short of the target, in % of
    the target (positive = short; 0 when on target or better). None: not measurable."""
    if not isinstance(target.value, Decimal) or target.value == 0:
        return None
    gap = {
        ">=": target.value - expected,
        ">": target.value - expected,
        "<=": expected - target.value,
        "<": expected - target.value,
        "=": abs(expected - target.value),
    }.get(target.operator)
    if gap is None:
        return None
    return _pct(max(gap, Decimal(0)) * 100 / abs(target.value))


def elapsed_percent(period: Period, fiscal_year: int) -> Decimal:
    first, last = date(fiscal_year, 1, 1), date(fiscal_year, 12, 31)
    return _pct(Decimal((period.end - first).days + 1) * 100 / Decimal((last - first).days + 1))


class Monitoring(RectifyAggregate):
    TOPIC = "rectify/Monitoring"

    @staticmethod
    def create_id(department_code: str, fiscal_year: int) -> UUID:
        return derived_id("monitoring", f"{department_code}/{fiscal_year}")

    @event("Planned", topic="rectify/Monitoring.Planned")
    def __init__(
        self,
        department_code: str,
        fiscal_year: int,
        periods: list[dict[str, Any]],
        lag_points: Decimal,
        miss_percent: Decimal,
    ) -> None:
        self.department_code = department_code
        self.fiscal_year = fiscal_year
        self.periods = {
            p["name"]: Period(
                p["name"], p["start"], p["end"], p["due"], p.get("kind", "monitoring")
            )
            for p in periods
        }
        self.rules = WarningRules(lag_points, miss_percent)
        self.reports: dict[str, dict[str, Any]] = {}
        self.overdue: set[str] = set()
        self.warnings: dict[
            str, dict[str, Any]
        ] = {}  # id -> warning (with finding_ref once converted)

    @staticmethod
    def validate_plan(fiscal_year: int, periods: Sequence[Period], rules: WarningRules) -> None:
        names = [p.name for p in periods]
        if not periods:
            raise InvalidInput("监控计划至少须有一个期间")
        if sum(p.kind == SELF_EVALUATION for p in periods) > 1:
            raise InvalidInput("一个年度只有一份自评报告")
        for p in periods:
            if names.count(p.name) > 1:
                raise InvalidInput(f"期间 {p.name} 重复")
            if not (date(fiscal_year, 1, 1) <= p.start <= p.end <= date(fiscal_year, 12, 31)):
                raise InvalidInput(
                    f"期间 {p.name}（{p.start}～{p.end}）须在 {fiscal_year} 年度内且起止有序"
                )
            if p.due < p.end:
                raise InvalidInput(f"期间 {p.name} 的报送期限 {p.due} 早于期间结束日 {p.end}")
        if rules.lag_points < 0 or rules.miss_percent < 0:
            raise InvalidInput("预警阈值不能为负")

    @property
    def label(self) -> str:
        return f"{self.department_code}/{self.fiscal_year}"

    def period(self, name: str) -> Period:
        if name not in self.periods:
            raise NotFound(f"监控 {self.label} 没有期间 {name}（已有：{'、'.join(self.periods)}）")
        return self.periods[name]

    def status(self, name: str) -> str:
        if name in self.reports:
            return "filed"
        return "overdue" if name in self.overdue else "owed"

    # -- commands ---------------------------------------------------------------------

    def file_report(
        self,
        name: str,
        values: Sequence[Mapping[str, Any]],
        execution: Mapping[str, Any],
        targets: Mapping[str, Target],
        filed_on: date,
        where: str = "values",
    ) -> list[dict[str, Any]]:
        """Record a period's report and the warnings its rules raise; return the warnings."""
        period = self.period(name)
        if period.kind == SELF_EVALUATION:
            raise InvalidInput(f"{name} 是自评报告，请用 `rectify review submit` 报送")
        if name in self.reports:
            raise InvalidInput(f"监控 {self.label} 期间 {name} 的报告已报送")
        rows: list[dict[str, Any]] = []
        for i, v in enumerate(values):
            code = str(v.get("code") or "")
            if code not in targets:
                raise InvalidInput(
                    f"{where}[{i}]：指标 {code!r} 不在 {period.end} 有效的绩效目标中（有：{'、'.join(targets)}）"
                )
            target = targets[code]
            expected = v.get("expected")
            dev = deviation_percent(target, expected) if isinstance(expected, Decimal) else None
            if dev is not None and dev > 0 and not str(v.get("cause") or "").strip():
                raise InvalidInput(
                    f"{where}[{i}]：指标 {code} 预计偏差 {dev}%，须填写偏差原因 cause"
                )
            rows.append(
                {
                    "code": code,
                    "reached": v.get("reached"),
                    "expected": expected,
                    "deviation": dev,
                    "cause": v.get("cause"),
                    "measure": v.get("measure"),
                    "target": target.shown,
                }
            )
        budget, spent = execution.get("budget"), execution.get("spent")
        if (
            not isinstance(budget, Decimal)
            or not isinstance(spent, Decimal)
            or budget <= 0
            or spent < 0
        ):
            raise InvalidInput("execution：须给出预算数 budget（>0）与截至期末的支出数 spent（≥0）")
        rate = _pct(spent * 100 / budget)
        elapsed = elapsed_percent(period, self.fiscal_year)
        late = filed_on > period.due
        self._report_filed(
            period=name,
            values=rows,
            budget=budget,
            spent=spent,
            execution_rate=rate,
            time_elapsed=elapsed,
            filed_on=filed_on,
            late=late,
        )
        raised: list[dict[str, str | None]] = []
        if elapsed - rate > self.rules.lag_points:
            raised.append(
                {
                    "kind": "execution_lag",
                    "code": None,
                    "message": f"{name} 预算执行率 {rate}% 落后时间进度 {elapsed}% 超过 {self.rules.lag_points} 个百分点",
                }
            )
        for row in rows:
            if row["deviation"] is not None and row["deviation"] > self.rules.miss_percent:
                raised.append(
                    {
                        "kind": "target_miss",
                        "code": row["code"],
                        "message": f"{name} 指标 {row['code']} 预计全年 {row['expected']}，目标 {row['target']}，偏差 {row['deviation']}% 超过 {self.rules.miss_percent}%",
                    }
                )
        for n, w in enumerate(raised, start=1):
            self._warning_raised(
                warning_id=f"{self.label}/{name}/W{n}",
                period=name,
                kind=str(w["kind"]),
                code=w["code"],
                message=str(w["message"]),
            )
        return [self.warnings[f"{self.label}/{name}/W{n}"] for n in range(1, len(raised) + 1)]

    def submit_self_evaluation(self, filed_on: date) -> Period:
        period = next((p for p in self.periods.values() if p.kind == SELF_EVALUATION), None)
        if period is None:
            raise NotFound(f"{self.label} 的计划中没有自评报告期限")
        if period.name in self.reports:
            raise InvalidInput(f"{self.label} 的自评报告已报送")
        self._self_evaluation_submitted(
            period=period.name, filed_on=filed_on, late=filed_on > period.due
        )
        return period

    def convert_warning(self, warning_id: str, finding_ref: str) -> dict[str, Any]:
        warning = self.warnings.get(warning_id)
        if warning is None:
            raise NotFound(f"预警 {warning_id} 不存在")
        if warning.get("finding_ref"):
            raise NotAllowed(f"预警 {warning_id} 已转为问题 {warning['finding_ref']}")
        self._warning_converted(warning_id=warning_id, finding_ref=finding_ref)
        return warning

    def mark_overdue(self, name: str, today: date) -> bool:
        """The scheduler's hook: mark an owed report overdue once its due date passed."""
        period = self.period(name)
        if name in self.reports or name in self.overdue or today <= period.due:
            return False
        self._report_overdue(period=name, on=today)
        return True

    # -- events -----------------------------------------------------------------------

    @event("ReportFiled", topic="rectify/Monitoring.ReportFiled")
    def _report_filed(
        self,
        period: str,
        values: list[dict[str, Any]],
        budget: Decimal,
        spent: Decimal,
        execution_rate: Decimal,
        time_elapsed: Decimal,
        filed_on: date,
        late: bool,
    ) -> None:
        self.reports[period] = {
            "values": values,
            "budget": budget,
            "spent": spent,
            "execution_rate": execution_rate,
            "time_elapsed": time_elapsed,
            "filed_on": filed_on,
            "late": late,
        }

    @event("SelfEvaluationSubmitted", topic="rectify/Monitoring.SelfEvaluationSubmitted")
    def _self_evaluation_submitted(self, period: str, filed_on: date, late: bool) -> None:
        self.reports[period] = {"filed_on": filed_on, "late": late}

    @event("WarningRaised", topic="rectify/Monitoring.WarningRaised")
    def _warning_raised(
        self, warning_id: str, period: str, kind: str, code: str | None, message: str
    ) -> None:
        self.warnings[warning_id] = {
            "id": warning_id,
            "period": period,
            "kind": kind,
            "code": code,
            "message": message,
            "finding_ref": None,
        }

    @event("WarningConverted", topic="rectify/Monitoring.WarningConverted")
    def _warning_converted(self, warning_id: str, finding_ref: str) -> None:
        self.warnings[warning_id]["finding_ref"] = finding_ref

    @event("ReportOverdue", topic="rectify/Monitoring.ReportOverdue")
    def _report_overdue(self, period: str, on: date) -> None:
        self.overdue.add(period)
