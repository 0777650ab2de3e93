"""The performance-targets service (绩效目标): declare, revise, note another version, read.

One service per context, sharing the one Application: it holds the app and uses its
repository and `save_all`; who may act is `targets.TARGET_RULES`. Default dates come
from the app's clock (the house clock).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rectify.domain.application import RectifyApp
from rectify.domain.errors import NotAllowed, NotFound
from rectify.domain.evaluation_commands import end_of_day
from rectify.domain.identity import current_principal
from rectify.domain.targets import (
    TargetAction,
    Targets,
    may,
    parse_target,
    targets_key,
)
from rectify.domain.vocabulary import ROLE_LABELS

ACTION_WORDS = {
    TargetAction.DECLARE: "申报绩效目标",
    TargetAction.REVISE: "调整绩效目标",
    TargetAction.NOTE_VERSION: "记录目标的另一版本",
}


class TargetService:
    def __init__(self, app: RectifyApp) -> None:
        self.app = app

    def _check(self, action: TargetAction, department_code: str) -> None:
        who = current_principal()
        own = who.department == department_code
        if not may(action, who.role, own):
            limit = f"（只能操作本部门 {who.department}）" if who.department else ""
            raise NotAllowed(
                f"{ROLE_LABELS[who.role]}用户 {who.name} 不能为部门 {department_code} {ACTION_WORDS[action]}{limit}"
            )

    def get_targets(self, department_code: str, fiscal_year: int, project_code: str | None = None) -> Targets:
        key = targets_key(department_code, fiscal_year, project_code)
        found = self.app.get_or_none(Targets.create_id(department_code, fiscal_year, project_code))
        if not isinstance(found, Targets):
            raise NotFound(f"绩效目标 {key} 尚未申报")
        return found

    def declare_targets(
        self,
        department_code: str,
        fiscal_year: int,
        rows: Sequence[Mapping[str, Any]],
        *,
        project_code: str | None = None,
        effective: date | None = None,
        where: str = "目标表",
    ) -> Targets:
        self._check(TargetAction.DECLARE, department_code)
        self.app.get_department(department_code)
        key = targets_key(department_code, fiscal_year, project_code)
        if self.app.get_or_none(Targets.create_id(department_code, fiscal_year, project_code)) is not None:
            raise NotAllowed(f"绩效目标 {key} 已申报；修改请用 `rectify targets revise`（须说明理由）")
        targets = [parse_target(row, f"{where}[{i}]") for i, row in enumerate(rows)]
        Targets.validate_new(targets)
        aggregate = Targets(
            department_code=department_code,
            fiscal_year=fiscal_year,
            project_code=project_code,
            targets=[t.as_dict() for t in targets],
            effective=effective or self.app.clock.today(),
        )
        self.app.save_all(aggregate)
        return aggregate

    def revise_target(
        self,
        department_code: str,
        fiscal_year: int,
        code: str,
        changes: Mapping[str, Any],
        *,
        reason: str,
        project_code: str | None = None,
        effective: date | None = None,
    ) -> Targets:
        self._check(TargetAction.REVISE, department_code)
        aggregate = self.get_targets(department_code, fiscal_year, project_code)
        aggregate.revise(code, changes, reason=reason, effective=effective or self.app.clock.today())
        self.app.save_all(aggregate)
        return aggregate

    def note_target_version(
        self,
        department_code: str,
        fiscal_year: int,
        row: Mapping[str, Any],
        *,
        project_code: str | None = None,
        effective: date | None = None,
    ) -> Targets:
        self._check(TargetAction.NOTE_VERSION, department_code)
        aggregate = self.get_targets(department_code, fiscal_year, project_code)
        target = parse_target(row, f"指标 {row.get('code')}")
        aggregate.note_version(target, effective=effective or aggregate.declared_on())
        self.app.save_all(aggregate)
        return aggregate

    def targets_recorded_by(
        self, department_code: str, fiscal_year: int, day: date, project_code: str | None = None
    ) -> Targets | None:
        """The aggregate as recorded by the end of `day` (what the store knew then)."""
        current = self.get_targets(department_code, fiscal_year, project_code)
        version = self.app.version_as_of(current.id, end_of_day(day))
        if version is None:
            return None
        past: Any = self.app.repository.get(current.id, version=version)
        assert isinstance(past, Targets)
        return past
