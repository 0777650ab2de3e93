"""The monitoring service (绩效监控): plan periods, file reports, turn a warning into a
finding, mark overdue (the scheduler's hook). Roles: `permissions.MONITORING_PERMISSIONS`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rectify.domain.application import RectifyApp
from rectify.domain.clock import Clock
from rectify.domain.errors import NotAllowed
from rectify.domain.identity import current_principal
from rectify.domain.monitoring import Monitoring, Period, WarningRules
from rectify.domain.permissions import MONITORING_PERMISSIONS, require
from rectify.domain.services.findings import FindingService
from rectify.domain.services.targets import TargetService


class MonitoringService:
    def __init__(
        self, app: RectifyApp, clock: Clock, targets: TargetService, findings: FindingService
    ) -> None:
        self.app = app
        self.clock = clock
        self.targets = targets
        self.findings = findings

    def _check(self, action: str, department_code: str, fiscal_year: int | None = None) -> None:
        """With the year, another department's plan reads as missing (reveals nothing)."""
        require(
            MONITORING_PERMISSIONS[action],
            current_principal(),
            department=department_code,
            parent_of=self.app.parent_of,
            missing=None if fiscal_year is None else _no_plan(department_code, fiscal_year),
        )

    def get_monitoring(self, department_code: str, fiscal_year: int) -> Monitoring:
        return self.app.load(
            Monitoring.create_id(department_code, fiscal_year),
            Monitoring,
            _no_plan(department_code, fiscal_year),
        )

    def plan_monitoring(
        self,
        department_code: str,
        fiscal_year: int,
        periods: Sequence[Period],
        rules: WarningRules | None = None,
    ) -> Monitoring:
        self._check("plan_monitoring", department_code)
        self.app.get_department(department_code)
        if (
            self.app.find(Monitoring.create_id(department_code, fiscal_year), Monitoring)
            is not None
        ):
            raise NotAllowed(f"部门 {department_code} {fiscal_year} 年度已有监控计划")
        rules = rules or WarningRules()
        Monitoring.validate_plan(fiscal_year, periods, rules)
        plan = Monitoring(
            department_code=department_code,
            fiscal_year=fiscal_year,
            periods=[
                {"name": p.name, "start": p.start, "end": p.end, "due": p.due, "kind": p.kind}
                for p in periods
            ],
            lag_points=rules.lag_points,
            miss_percent=rules.miss_percent,
        )
        self.app.save_all(plan)
        return plan

    def file_monitoring_report(
        self,
        department_code: str,
        fiscal_year: int,
        period: str,
        values: Sequence[Mapping[str, Any]],
        execution: Mapping[str, Any],
        filed_on: date | None = None,
        where: str = "values",
    ) -> list[dict[str, Any]]:
        """File a period's report (late is recorded, not refused); return the warnings raised."""
        self._check("file_monitoring_report", department_code, fiscal_year)
        plan = self.get_monitoring(department_code, fiscal_year)
        end = plan.period(period).end
        targets = self.targets.get_targets(department_code, fiscal_year).in_force(end)
        warnings = plan.file_report(
            period, values, execution, targets, filed_on or self.clock.today(), where
        )
        self.app.save_all(plan)
        return warnings

    def submit_self_evaluation(
        self, department_code: str, fiscal_year: int, filed_on: date | None = None
    ) -> Period:
        """The department's 自评 is complete: the owed self-evaluation report is filed
        (late is recorded, not refused)."""
        self._check("submit_self_evaluation", department_code, fiscal_year)
        plan = self.get_monitoring(department_code, fiscal_year)
        period = plan.submit_self_evaluation(filed_on or self.clock.today())
        self.app.save_all(plan)
        return period

    def convert_warning(
        self, department_code: str, fiscal_year: int, warning_id: str, *, title: str | None = None
    ) -> str:
        """One action: the warning becomes a recorded finding; both saved together."""
        self._check("convert_warning", department_code)
        plan = self.get_monitoring(department_code, fiscal_year)
        ref = f"{warning_id.replace('/W', '/预警')}"
        warning = plan.convert_warning(warning_id, ref)
        finding = self.findings.new_finding(
            ref=ref,
            department_code=department_code,
            fiscal_year=fiscal_year,
            category="绩效监控预警",
            title=title or warning["message"][:60],
            description=warning["message"],
            indicator_codes=(warning["code"],) if warning["code"] else (),
        )
        self.app.save_all(plan, finding)
        return ref

    def mark_monitoring_overdue(
        self, department_code: str, fiscal_year: int, period: str, today: date
    ) -> bool:
        self._check("mark_monitoring_overdue", department_code)
        plan = self.get_monitoring(department_code, fiscal_year)
        if not plan.mark_overdue(period, today):
            return False
        self.app.save_all(plan)
        return True


def _no_plan(department_code: str, fiscal_year: int) -> str:
    return f"部门 {department_code} {fiscal_year} 年度尚无监控计划"
