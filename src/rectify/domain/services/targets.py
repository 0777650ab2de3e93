"""Performance targets (绩效目标): declare, revise, note another version, read.

Roles: `permissions.TARGET_PERMISSIONS` (BUREAU, or a DEPARTMENT for its own targets;
another version of a target as a report states it: BUREAU or EVALUATOR). Default
dates come from the house clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rectify.domain.application import RectifyApp
from rectify.domain.clock import Clock
from rectify.domain.errors import NotAllowed
from rectify.domain.identity import current_principal
from rectify.domain.permissions import TARGET_PERMISSIONS, require
from rectify.domain.targets import Targets, parse_target, targets_key


class TargetService:
    def __init__(self, app: RectifyApp, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    def _require(self, action: str, department_code: str, missing: str) -> None:
        """Another department's targets read as missing (`missing`: the command's words)."""
        require(
            TARGET_PERMISSIONS[action],
            current_principal(),
            department=department_code,
            parent_of=self.app.parent_of,
            missing=missing,
        )

    def find_targets(
        self, department_code: str, fiscal_year: int, project_code: str | None = None
    ) -> Targets | None:
        return self.app.find(Targets.create_id(department_code, fiscal_year, project_code), Targets)

    def get_targets(
        self, department_code: str, fiscal_year: int, project_code: str | None = None
    ) -> Targets:
        return self.app.load(
            Targets.create_id(department_code, fiscal_year, project_code),
            Targets,
            _not_declared(department_code, fiscal_year, project_code),
        )

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
        self._require("declare_targets", department_code, f"部门 {department_code} 不存在")
        self.app.get_department(department_code)
        if self.find_targets(department_code, fiscal_year, project_code) is not None:
            key = targets_key(department_code, fiscal_year, project_code)
            raise NotAllowed(
                f"绩效目标 {key} 已申报；修改请用 `rectify targets revise`（须说明理由）"
            )
        targets = [parse_target(row, f"{where}[{i}]") for i, row in enumerate(rows)]
        Targets.validate_new(targets)
        aggregate = Targets(
            department_code=department_code,
            fiscal_year=fiscal_year,
            project_code=project_code,
            targets=[t.as_dict() for t in targets],
            effective=effective or self.clock.today(),
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
        self._require(
            "revise_target",
            department_code,
            _not_declared(department_code, fiscal_year, project_code),
        )
        aggregate = self.get_targets(department_code, fiscal_year, project_code)
        aggregate.revise(code, changes, reason=reason, effective=effective or self.clock.today())
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
        self._require(
            "note_target_version",
            department_code,
            _not_declared(department_code, fiscal_year, project_code),
        )
        aggregate = self.get_targets(department_code, fiscal_year, project_code)
        target = parse_target(row, f"指标 {row.get('code')}")
        aggregate.note_version(target, effective=effective or aggregate.declared_on())
        self.app.save_all(aggregate)
        return aggregate


def _not_declared(department_code: str, fiscal_year: int, project_code: str | None) -> str:
    return f"绩效目标 {targets_key(department_code, fiscal_year, project_code)} 尚未申报"
