"""Performance targets (绩效目标): one department's (or project's) targets for one year.

Declared with the budget (`Declared`), changed only by recorded revisions with a reason
(`Revised`, 调整绩效目标). Each declaration and revision carries the date it takes
force (`effective`: the budget approval or the revision document's date, which may be
earlier than the day it was entered), so "which target was in force on a date" is
answered from the log: `in_force(day)` replays the events whose `effective` ≤ day.
Where a report states a target differently in two places (seed 004: the narrative
against the table), `VersionNoted` keeps the other version beside the one in force,
without changing it.

Who may do what: `rectify.domain.permissions.TARGET_PERMISSIONS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput, NotFound

__all__ = [
    "OPERATORS",
    "Category",
    "Target",
    "Targets",
    "parse_target",
    "targets_key",
]


class Category(Enum):
    QUANTITY = "quantity"
    QUALITY = "quality"
    TIMELINESS = "timeliness"
    COST = "cost"
    ECONOMIC = "economic"
    SOCIAL = "social"
    ECOLOGICAL = "ecological"
    SUSTAINABLE = "sustainable"
    SATISFACTION = "satisfaction"


# Operators as the targets tables print them; "qualitative" (定性) has a text value.
OPERATORS: Mapping[str, str] = {
    ">=": ">=",
    "≥": ">=",
    "<=": "<=",
    "≤": "<=",
    "=": "=",
    "＝": "=",
    ">": ">",
    "<": "<",
    "qualitative": "qualitative",
    "定性": "qualitative",
}


@dataclass(frozen=True)
class Target:
    code: str
    name: str
    category: Category
    operator: str
    value: Decimal | str  # str only for qualitative targets
    unit: str | None
    source: str | None = None  # where the report states it (目标表, 报告正文, ...)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category.value,
            "operator": self.operator,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
        }

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> Target:
        return Target(
            str(d["code"]),
            str(d["name"]),
            Category(d["category"]),
            str(d["operator"]),
            d["value"],
            d.get("unit"),
            d.get("source"),
        )

    @property
    def shown(self) -> str:
        if self.operator == "qualitative":
            return f"{self.value}（定性）"
        return f"{self.operator}{self.value}{self.unit or ''}"


def parse_target(raw: Mapping[str, Any], where: str) -> Target:
    """A target from user input; every problem names `where` (file, row or JSON path)."""
    code = str(raw.get("code") or "").strip()
    name = str(raw.get("name") or "").strip()
    if not code or not name:
        raise InvalidInput(f"{where}：绩效指标须有 code 与 name")
    try:
        category = Category(str(raw.get("category") or ""))
    except ValueError:
        known = "、".join(c.value for c in Category)
        raise InvalidInput(
            f"{where}：指标类别 {raw.get('category')!r} 未知（应为 {known}）"
        ) from None
    op_raw = str(raw.get("operator") or "").strip()
    operator = OPERATORS.get(op_raw)
    if operator is None:
        raise InvalidInput(f"{where}：运算符 {op_raw!r} 未知（应为 ≥ ≤ = > < 或 定性）")
    unit = str(raw.get("unit") or "").strip() or None
    value: Decimal | str
    if operator == "qualitative":
        value = str(raw.get("value") or "").strip()
        if not value:
            raise InvalidInput(f"{where}：定性指标须写明目标值")
    else:
        if unit is None:
            raise InvalidInput(f"{where}：定量指标须有计量单位 unit")
        try:
            value = Decimal(str(raw.get("value")))
        except InvalidOperation:
            raise InvalidInput(f"{where}：目标值 {raw.get('value')!r} 不是数字") from None
        if not value.is_finite():
            raise InvalidInput(f"{where}：目标值 {raw.get('value')!r} 不是数字")
    source = str(raw.get("source") or "").strip() or None
    return Target(code, name, category, operator, value, unit, source)


def targets_key(department_code: str, fiscal_year: int, project_code: str | None) -> str:
    return f"{department_code}/{fiscal_year}/{project_code or 'department'}"


class Targets(RectifyAggregate):
    TOPIC = "rectify/Targets"

    @staticmethod
    def create_id(department_code: str, fiscal_year: int, project_code: str | None) -> UUID:
        return derived_id("targets", targets_key(department_code, fiscal_year, project_code))

    @event("Declared", topic="rectify/Targets.Declared")
    def __init__(
        self,
        department_code: str,
        fiscal_year: int,
        project_code: str | None,
        targets: list[dict[str, Any]],
        effective: date,
    ) -> None:
        self.department_code = department_code
        self.fiscal_year = fiscal_year
        self.project_code = project_code
        # (effective, version, target) for every declaration and revision
        self.changes: list[tuple[date, int, Target]] = [
            (effective, 1, Target.from_dict(t)) for t in targets
        ]
        self.versions: list[tuple[date, int, Target]] = []  # other places' versions

    @property
    def key(self) -> str:
        return targets_key(self.department_code, self.fiscal_year, self.project_code)

    @staticmethod
    def validate_new(targets: Sequence[Target]) -> None:
        codes = [t.code for t in targets]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                raise InvalidInput(f"第 {i + 1} 个指标：代码 {code} 重复")
        if not targets:
            raise InvalidInput("绩效目标表至少须有一个指标")

    # -- derived ----------------------------------------------------------------------

    def in_force(self, day: date | None = None) -> dict[str, Target]:
        """code → the target in force at the end of `day` (None: now), from the log."""
        out: dict[str, Target] = {}
        for effective, _version, target in sorted(self.changes, key=lambda c: (c[0], c[1])):
            if day is None or effective <= day:
                out[target.code] = target
        return out

    def declared_on(self) -> date:
        return min(c[0] for c in self.changes)

    def other_versions(self, code: str) -> list[Target]:
        return [t for _d, _v, t in self.versions if t.code == code]

    # -- commands ---------------------------------------------------------------------

    def revise(
        self, code: str, changes: Mapping[str, Any], *, reason: str, effective: date
    ) -> Target:
        current = self.in_force().get(code)
        if current is None:
            raise NotFound(
                f"绩效目标 {self.key} 没有指标 {code}（已有：{'、'.join(self.in_force())}）"
            )
        if not reason or not reason.strip():
            raise InvalidInput(f"调整绩效目标 {code} 须说明理由")
        if effective < self.declared_on():
            raise InvalidInput(f"调整生效日 {effective} 早于目标申报日 {self.declared_on()}")
        merged = {**current.as_dict(), **{k: v for k, v in changes.items() if v is not None}}
        revised = parse_target(merged, f"指标 {code}")
        if revised == current:
            raise InvalidInput(f"指标 {code} 的调整与现行目标相同，未记录")
        self._revised(target=revised.as_dict(), effective=effective, reason=reason.strip())
        return revised

    def note_version(self, target: Target, *, effective: date) -> None:
        if target.code not in self.in_force():
            raise NotFound(f"绩效目标 {self.key} 没有指标 {target.code}")
        if not target.source:
            raise InvalidInput(f"指标 {target.code} 的另一版本须注明出处 source（如“报告正文”）")
        self._version_noted(target=target.as_dict(), effective=effective)

    # -- events -----------------------------------------------------------------------

    @event("Revised", topic="rectify/Targets.Revised")
    def _revised(self, target: dict[str, Any], effective: date, reason: str) -> None:
        self.changes.append((effective, self.version, Target.from_dict(target)))

    @event("VersionNoted", topic="rectify/Targets.VersionNoted")
    def _version_noted(self, target: dict[str, Any], effective: date) -> None:
        self.versions.append((effective, self.version, Target.from_dict(target)))
