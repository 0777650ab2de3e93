"""Result application (结果应用): the bureau's policy and each department's decision.

`ResultPolicy` (one per bureau, by name) maps score bands to a budget consequence for
the next year — 优: priority, 良: keep, 中: cut by a share, 差: cut or suspend — and is
changed only by recorded events with a reason (`Set`). `ResultDecision` (one per
evaluation) records what was decided for the department or project and the budget
year it affects (`Decided`: grade, total, consequence, share, who (actor) and why
(reason)); the default comes from the policy in force, and the bureau may depart
from it with a reason.

Who may do what: `rectify.domain.permissions.RESULT_PERMISSIONS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput
from rectify.domain.vocabulary import RESULT_CONSEQUENCE_LABELS

__all__ = ["CONSEQUENCES", "Band", "ResultDecision", "ResultPolicy", "parse_bands"]

# The consequences a band may carry (stored names; labels in the vocabulary).
CONSEQUENCES: Mapping[str, str] = RESULT_CONSEQUENCE_LABELS


@dataclass(frozen=True)
class Band:
    grade: str
    min: Decimal  # inclusive
    max: Decimal | None  # exclusive; None: open
    consequence: str
    share: Decimal | None = None  # the cut in % of the next year's budget (cut only)

    def covers(self, total: Decimal) -> bool:
        return self.min <= total and (self.max is None or total < self.max)

    def as_dict(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "min": self.min,
            "max": self.max,
            "consequence": self.consequence,
            "share": self.share,
        }


def _num(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise InvalidInput(f"{where}：{value!r} 不是数字") from None
    if not number.is_finite():
        raise InvalidInput(f"{where}：{value!r} 不是数字")
    return number


def parse_bands(rows: Sequence[Mapping[str, Any]], where: str = "bands") -> list[Band]:
    """Bands from user input, checked: known consequence, a share for a cut (0–100), no overlap."""
    bands: list[Band] = []
    for i, r in enumerate(rows):
        at = f"{where}[{i}]"
        grade = str(r.get("grade") or "").strip()
        if not grade:
            raise InvalidInput(f"{at}：须有等级 grade")
        consequence = str(r.get("consequence") or "")
        if consequence not in CONSEQUENCES:
            raise InvalidInput(f"{at}：后果 {consequence!r} 未知（应为 {'、'.join(CONSEQUENCES)}）")
        low = _num(r.get("min"), f"{at}.min")
        high = _num(r["max"], f"{at}.max") if r.get("max") is not None else None
        if high is not None and high <= low:
            raise InvalidInput(f"{at}：分数段 [{low}, {high}) 为空")
        share = _num(r["share"], f"{at}.share") if r.get("share") is not None else None
        if consequence == "cut" and (share is None or not 0 < share <= 100):
            raise InvalidInput(f"{at}：核减须给出比例 share（0～100 之间，%）")
        bands.append(Band(grade, low, high, consequence, share))
    ordered = sorted(bands, key=lambda b: b.min)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.max is None or a.max > b.min:
            raise InvalidInput(
                f"{where}：等级 {a.grade} [{a.min}, {a.max or '∞'}) 与 {b.grade} [{b.min}, {b.max or '∞'}) 分数段重叠"
            )
    if not bands:
        raise InvalidInput(f"{where}：至少须有一个等级")
    return bands


class ResultPolicy(RectifyAggregate):
    TOPIC = "rectify/ResultPolicy"

    @staticmethod
    def create_id(name: str) -> UUID:
        return derived_id("result-policy", name)

    @event("Started", topic="rectify/ResultPolicy.Started")
    def __init__(self, name: str) -> None:
        self.name = name
        self.bands: list[Band] = []

    def set(self, bands: Sequence[Band], reason: str) -> None:
        if not reason or not reason.strip():
            raise InvalidInput("设定结果应用政策须说明理由（如文件号）")
        self._set(bands=[b.as_dict() for b in bands], reason=reason.strip())

    def band_for(self, total: Decimal) -> Band | None:
        return next((b for b in self.bands if b.covers(total)), None)

    @event("Set", topic="rectify/ResultPolicy.Set")
    def _set(self, bands: list[dict[str, Any]], reason: str) -> None:
        self.bands = [
            Band(b["grade"], b["min"], b["max"], b["consequence"], b["share"]) for b in bands
        ]


class ResultDecision(RectifyAggregate):
    TOPIC = "rectify/ResultDecision"

    @staticmethod
    def create_id(evaluation_key: str) -> UUID:
        return derived_id("result-decision", evaluation_key)

    @event("Decided", topic="rectify/ResultDecision.Decided")
    def __init__(
        self,
        evaluation_key: str,
        department_code: str,
        project_code: str | None,
        fiscal_year: int,
        budget_year: int,
        total: Decimal,
        grade: str,
        consequence: str,
        share: Decimal | None,
        reason: str,
    ) -> None:
        self.evaluation_key = evaluation_key
        self.department_code = department_code
        self.budget_year = budget_year
        self.grade = grade
        self.consequence = consequence
        self.share = share
