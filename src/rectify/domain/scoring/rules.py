"""Scoring rules as data: one pydantic model per `kind`, a discriminated union `Rule`.

These are the rule definitions of `rectify/evaluation@1` (see the format contract).
The package reader reuses them for `Indicator.rule`; the engine (`engine.py`) evaluates
them. `rule_problems` lists parameters that contradict themselves, and
`required_inputs` the inputs a rule (or its veto) names.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator

from rectify.domain.scoring.numbers import ONE, ZERO, Num, to_decimal

COMPUTED_MEASURE_PREFIXES = ("budget.", "staffing.", "staffing[", "survey.")
BUDGET_MEASURES = (
    "budget.execution_rate",
    "budget.adjustment_rate",
    "budget.carryover_rate",
    "budget.public_funds_control_rate",
    "budget.three_public_control_rate",
)


class RuleModel(BaseModel):
    """Strict base: unknown keys are rejected, any object may carry `note`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    note: str | None = None


class VetoClause(RuleModel):
    """一票否决: when the named boolean input is true the leaf scores 0."""

    text: str
    input: str


class _RuleBase(RuleModel):
    veto: list[VetoClause] = Field(default_factory=list)


class ManualRule(_RuleBase):
    kind: Literal["manual"]
    levels: list[Num] | None = None


class ChecklistItem(RuleModel):
    text: str
    share: Num | None = None
    points: Num | None = None
    veto: bool = False
    gate: bool = False


class ChecklistRule(_RuleBase):
    kind: Literal["checklist"]
    items: list[ChecklistItem]
    result_tiers: dict[str, tuple[Num, Num]] | None = None


class RatioRule(_RuleBase):
    kind: Literal["ratio"]
    measure: str
    target: Num = Decimal(100)
    cap: Num = ONE


class Deduct(RuleModel):
    fraction_of_weight: Num | None = None
    points: Num | None = None


class DeviationRule(_RuleBase):
    kind: Literal["deviation"]
    measure: str
    band: tuple[Num | None, Num | None]
    band_inclusive: tuple[bool, bool] = (True, True)
    step: Num = ONE
    step_mode: Literal["proportional", "ceil", "floor"] = "proportional"
    deduct: Deduct
    zero_beyond: Num | None = None


class Tier(RuleModel):
    min: Num | None = None
    max: Num | None = None
    min_inclusive: bool = True
    max_inclusive: bool = False
    fraction: Num | None = None
    points: Num | None = None


class DistanceFrom(RuleModel):
    distance_from: Num


class TiersRule(_RuleBase):
    kind: Literal["tiers"]
    measure: str
    of: DistanceFrom | None = None
    tiers: list[Tier]


Op = Literal["<=", ">=", "==", "<", ">"]


class Condition(RuleModel):
    measure: str
    op: Op
    value: Num


class ThresholdRule(_RuleBase):
    kind: Literal["threshold"]
    measure: str | None = None
    op: Op | None = None
    value: Num | None = None
    all_of: list[Condition] | None = None

    def conditions(self) -> list[Condition]:
        found = list(self.all_of or [])
        if self.measure is not None and self.op is not None and self.value is not None:
            found.insert(0, Condition(measure=self.measure, op=self.op, value=self.value))
        return found


class PerCaseRule(_RuleBase):
    kind: Literal["per_case"]
    points: Num
    cap: Num | None = None


InputScalar = Decimal | bool | None
LIST_INPUTS = ("results", "cases", "items")


def _list_element(value: object) -> object:
    if value is None or isinstance(value, bool | str | dict):
        return value
    if isinstance(value, int | Decimal | float):
        return to_decimal(value)
    raise ValueError("列表元素应为布尔值、数字、档位名称、对象或 null")


def normalize_input(value: object) -> object:
    """An input value: Decimal, bool, None, a list (results/cases/items) or text (note)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal | float):
        return to_decimal(value)
    if isinstance(value, list):
        return [_list_element(v) for v in value]
    if isinstance(value, str):
        return value  # allowed only for `note`; the package check rejects other text
    raise ValueError("输入值应为数字、布尔值或 null（列表仅用于 results、cases、items）")


InputValue = Annotated[object, PlainValidator(normalize_input)]


class Case(RuleModel):
    """One case found for a `per_case` rule; its own `points` override the rule's."""

    text: str | None = None
    points: Num | None = None


class GradedItem(RuleModel):
    """One item of a `grade_map` rule: graded by `grade`, else by `score` in the bands."""

    name: str
    score: Num | None = None
    grade: str | None = None
    stated_grade: str | None = None


class CompositePart(RuleModel):
    name: str
    points: Num
    rule: Rule
    inputs: dict[str, InputValue] = Field(default_factory=dict)


class CompositeRule(_RuleBase):
    kind: Literal["composite"]
    parts: list[CompositePart]


DEFAULT_GRADE_FRACTIONS: dict[str, Decimal] = {
    "优": ONE,
    "良": Decimal("0.75"),
    "中": Decimal("0.5"),
    "差": ZERO,
}


class GradeMapRule(_RuleBase):
    kind: Literal["grade_map"]
    fractions: dict[str, Num] = Field(default_factory=lambda: dict(DEFAULT_GRADE_FRACTIONS))


Rule = Annotated[
    ManualRule
    | ChecklistRule
    | RatioRule
    | DeviationRule
    | TiersRule
    | ThresholdRule
    | PerCaseRule
    | CompositeRule
    | GradeMapRule,
    Field(discriminator="kind"),
]

CompositePart.model_rebuild()


# --------------------------------------------------------------------------- problems


def _frac_ok(x: Decimal) -> bool:
    return ZERO <= x <= ONE


def rule_problems(rule: Rule, weight: Decimal | None = None) -> list[tuple[str, str]]:
    """Parameters that contradict themselves, as (relative path, Chinese message).

    The relative path starts with "." (e.g. ".tiers[0].min") and is appended to the
    rule's own path by the caller.
    """
    out: list[tuple[str, str]] = []
    if isinstance(rule, ManualRule):
        for i, level in enumerate(rule.levels or []):
            if not _frac_ok(level):
                out.append((f".levels[{i}]", f"等级比例 {level} 应在 0 到 1 之间"))
        if rule.levels is not None and not rule.levels:
            out.append((".levels", "levels 不能为空列表"))
    elif isinstance(rule, ChecklistRule):
        if not rule.items:
            out.append((".items", "要点列表不能为空"))
        total_share = ZERO
        total_points = ZERO
        for i, item in enumerate(rule.items):
            if item.share is not None and item.points is not None:
                out.append((f".items[{i}]", "share 与 points 只能给一个"))
            if item.share is not None:
                total_share += item.share
                if not _frac_ok(item.share):
                    out.append((f".items[{i}].share", f"份额 {item.share} 应在 0 到 1 之间"))
            if item.points is not None:
                total_points += item.points
                if item.points < 0:
                    out.append((f".items[{i}].points", f"分值 {item.points} 不能为负"))
        if total_share > ONE + Decimal("0.001"):
            out.append((".items", f"各要点份额合计 {total_share} 超过 1"))
        if weight is not None and total_points > weight + Decimal("0.001"):
            out.append((".items", f"各要点分值合计 {total_points} 超过权重 {weight}"))
        for label, (lo, hi) in (rule.result_tiers or {}).items():
            if not (_frac_ok(lo) and _frac_ok(hi)) or lo > hi:
                out.append(
                    (f".result_tiers.{label}", f"档位区间 [{lo}, {hi}] 应满足 0 ≤ 下限 ≤ 上限 ≤ 1")
                )
    elif isinstance(rule, RatioRule):
        if rule.target == 0:
            out.append((".target", "目标值不能为 0"))
        if rule.cap < 0:
            out.append((".cap", f"上限 {rule.cap} 不能为负"))
    elif isinstance(rule, DeviationRule):
        band_lo, band_hi = rule.band
        if band_lo is not None and band_hi is not None and band_lo > band_hi:
            out.append((".band", f"区间下限 {band_lo} 大于上限 {band_hi}"))
        if rule.step <= 0:
            out.append((".step", f"步长 {rule.step} 应大于 0"))
        d = rule.deduct
        if (d.fraction_of_weight is None) == (d.points is None):
            out.append((".deduct", "deduct 须且只须给 fraction_of_weight 或 points 之一"))
        if d.fraction_of_weight is not None and not _frac_ok(d.fraction_of_weight):
            out.append(
                (".deduct.fraction_of_weight", f"扣分比例 {d.fraction_of_weight} 应在 0 到 1 之间")
            )
        if d.points is not None and d.points < 0:
            out.append((".deduct.points", f"扣分 {d.points} 不能为负"))
        if rule.zero_beyond is not None and rule.zero_beyond < 0:
            out.append((".zero_beyond", f"zero_beyond {rule.zero_beyond} 不能为负"))
    elif isinstance(rule, TiersRule):
        if not rule.tiers:
            out.append((".tiers", "档位列表不能为空"))
        for i, tier in enumerate(rule.tiers):
            p = f".tiers[{i}]"
            if (
                tier.min is not None
                and tier.max is not None
                and (
                    tier.min > tier.max
                    or (tier.min == tier.max and not (tier.min_inclusive and tier.max_inclusive))
                )
            ):
                out.append((p + ".min", f"档位下限 {tier.min} 与上限 {tier.max} 构成空区间"))
            if (tier.fraction is None) == (tier.points is None):
                out.append((p, "档位须且只须给 fraction 或 points 之一"))
            if tier.fraction is not None and not _frac_ok(tier.fraction):
                out.append((p + ".fraction", f"比例 {tier.fraction} 应在 0 到 1 之间"))
            if tier.points is not None and tier.points < 0:
                out.append((p + ".points", f"分值 {tier.points} 不能为负"))
            if tier.points is not None and weight is not None and tier.points > weight:
                out.append((p + ".points", f"分值 {tier.points} 超过权重 {weight}"))
    elif isinstance(rule, ThresholdRule):
        single = (rule.measure, rule.op, rule.value)
        if any(x is not None for x in single) and any(x is None for x in single):
            out.append(("", "threshold 须同时给 measure、op、value"))
        if not rule.conditions():
            out.append(("", "threshold 须给 measure/op/value 或 all_of"))
        if rule.all_of is not None and not rule.all_of:
            out.append((".all_of", "all_of 不能为空列表"))
    elif isinstance(rule, PerCaseRule):
        if rule.points < 0:
            out.append((".points", f"每例扣分 {rule.points} 不能为负"))
        if rule.cap is not None and rule.cap < 0:
            out.append((".cap", f"扣分上限 {rule.cap} 不能为负"))
        if rule.cap is not None and weight is not None and rule.cap > weight:
            out.append((".cap", f"扣分上限 {rule.cap} 超过权重 {weight}"))
    elif isinstance(rule, CompositeRule):
        if not rule.parts:
            out.append((".parts", "组成部分不能为空"))
        total = ZERO
        for i, part in enumerate(rule.parts):
            if part.points < 0:
                out.append((f".parts[{i}].points", f"分值 {part.points} 不能为负"))
            total += part.points
            for sub, msg in rule_problems(part.rule, part.points):
                out.append((f".parts[{i}].rule{sub}", msg))
        if weight is not None and total > weight:
            out.append((".parts", f"各部分分值合计 {total} 超过权重 {weight}"))
    elif isinstance(rule, GradeMapRule):
        for grade, frac in rule.fractions.items():
            if not _frac_ok(frac):
                out.append((f".fractions.{grade}", f"比例 {frac} 应在 0 到 1 之间"))
    return out


# --------------------------------------------------------------------------- inputs


def measure_input(measure: str) -> str | None:
    """The input a measure reads (`input:NAME` → NAME), else None."""
    return measure[len("input:") :] if measure.startswith("input:") else None


def is_known_measure(measure: str) -> bool:
    if measure.startswith("input:"):
        return bool(measure[len("input:") :])
    if measure in BUDGET_MEASURES or measure == "staffing.control_rate":
        return True
    if measure.startswith("staffing[") and measure.endswith("].control_rate"):
        return True
    parts = measure.split(".")
    return len(parts) == 3 and parts[0] == "survey" and parts[2] == "overall" and bool(parts[1])


def rule_measures(rule: Rule) -> list[str]:
    """Every measure the rule (not its composite parts) reads."""
    if isinstance(rule, RatioRule | DeviationRule | TiersRule):
        return [rule.measure]
    if isinstance(rule, ThresholdRule):
        return [c.measure for c in rule.conditions()]
    return []


def required_inputs(rule: Rule) -> list[str]:
    """Inputs the rule and its veto name (a composite's parts are checked separately)."""
    names: list[str] = [v.input for v in rule.veto]
    for m in rule_measures(rule):
        name = measure_input(m)
        if name is not None:
            names.append(name)
    if isinstance(rule, ChecklistRule):
        names.append("results")
    elif isinstance(rule, PerCaseRule):
        names.append("cases")
    elif isinstance(rule, GradeMapRule):
        names.append("items")
    return names
