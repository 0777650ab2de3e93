"""The monitoring service (绩效监控): plan periods, file reports, turn a warning into a
finding, mark overdue (the scheduler's hook). One service on the one Application."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rectify.domain.application import RectifyApp, finding_fields
from rectify.domain.errors import NotAllowed, NotFound
from rectify.domain.identity import current_principal
from rectify.domain.monitoring import Monitoring, MonitoringAction, Period, WarningRules, may
from rectify.domain.target_commands import TargetService
from rectify.domain.vocabulary import ROLE_LABELS

ACTION_WORDS = {
    MonitoringAction.PLAN: "制定监控计划",
    MonitoringAction.FILE: "报送监控报告",
    MonitoringAction.CONVERT_WARNING: "将预警转为问题",
    MonitoringAction.MARK_OVERDUE: "标记监控报告逾期",
    MonitoringAction.SUBMIT_SELF_EVALUATION: "报送自评报告",
}


class MonitoringService:
    def __init__(self, app: RectifyApp, targets: TargetService) -> None:
        self.app = app
        self.targets = targets

    def _check(self, action: MonitoringAction, department_code: str) -> None:
        who = current_principal()
        if not may(action, who.role, who.department == department_code):
            limit = f"（只能操作本部门 {who.department}）" if who.department else ""
            raise NotAllowed(f"{ROLE_LABELS[who.role]}用户 {who.name} 不能为部门 {department_code} {ACTION_WORDS[action]}{limit}")

    def get_monitoring(self, department_code: str, fiscal_year: int) -> Monitoring:
        found = self.app.get_or_none(Monitoring.create_id(department_code, fiscal_year))
        if not isinstance(found, Monitoring):
            raise NotFound(f"部门 {department_code} {fiscal_year} 年度尚无监控计划")
        return found

    def plan_monitoring(self, department_code: str, fiscal_year: int, periods: Sequence[Period],
                        rules: WarningRules | None = None) -> Monitoring:
        self._check(MonitoringAction.PLAN, department_code)
        self.app.get_department(department_code)
        if self.app.get_or_none(Monitoring.create_id(department_code, fiscal_year)) is not None:
            raise NotAllowed(f"部门 {department_code} {fiscal_year} 年度已有监控计划")
        rules = rules or WarningRules()
        Monitoring.validate_plan(fiscal_year, periods, rules)
        plan = Monitoring(
            department_code=department_code, fiscal_year=fiscal_year,
            periods=[{"name": p.name, "start": p.start, "end": p.end, "due": p.due, "kind": p.kind} for p in periods],
            lag_points=rules.lag_points, miss_percent=rules.miss_percent,
        )
        self.app.save_all(plan)
        return plan

    def file_monitoring_report(self, department_code: str, fiscal_year: int, period: str,
                               values: Sequence[Mapping[str, Any]], execution: Mapping[str, Any],
                               filed_on: date | None = None, where: str = "values") -> list[dict[str, Any]]:
        """File a period's report (late is recorded, not refused); return the warnings raised."""
        self._check(MonitoringAction.FILE, department_code)
        plan = self.get_monitoring(department_code, fiscal_year)
        end = plan.period(period).end
        targets = self.targets.get_targets(department_code, fiscal_year).in_force(end)
        warnings = plan.file_report(period, values, execution, targets, filed_on or self.app.clock.today(), where)
        self.app.save_all(plan)
        return warnings

    def submit_self_evaluation(self, department_code: str, fiscal_year: int, filed_on: date | None = None) -> Period:
        """The department's 自评 is complete: the owed self-evaluation report is filed
        (late is recorded, not refused)."""
        self._check(MonitoringAction.SUBMIT_SELF_EVALUATION, department_code)
        plan = self.get_monitoring(department_code, fiscal_year)
        period = plan.submit_self_evaluation(filed_on or self.app.clock.today())
        self.app.save_all(plan)
        return period

    def convert_warning(self, department_code: str, fiscal_year: int, warning_id: str,
                        *, title: str | None = None) -> str:
        """One action: the warning becomes a recorded finding; both saved together."""
        self._check(MonitoringAction.CONVERT_WARNING, department_code)
        plan = self.get_monitoring(department_code, fiscal_year)
        ref = f"{warning_id.replace('/W', '/预警')}"
        warning = plan.convert_warning(warning_id, ref)
        finding = self.app.new_finding(**finding_fields(
            ref=ref, department_code=department_code, fiscal_year=fiscal_year, category="绩效监控预警",
            title=title or warning["message"][:60], description=warning["message"],
            indicator_codes=(warning["code"],) if warning["code"] else (),
        ))
        self.app.save_all(plan, finding)
        return ref

    def mark_monitoring_overdue(self, department_code: str, fiscal_year: int, period: str, today: date) -> bool:
        self._check(MonitoringAction.MARK_OVERDUE, department_code)
        plan = self.get_monitoring(department_code, fiscal_year)
        if not plan.mark_overdue(period, today):
            return False
        self.app.save_all(plan)
        return True
