"""The rule engine: what a written rule gives for its inputs, as an exact range.

Pure functions over plain values. Inputs are a mapping of names to Decimal, bool,
None (undisclosed) or, for `results`/`cases`/`items`, lists. Measures the tool
computes (`budget.*`, `staffing.*`, `survey.*`) come from a lookup that returns the
(already rounded) value or None when the figures are missing; then `inputs.stated`
stands in, else the value is unknown and the rule yields a range.

Every kind is built from the same primitives (a value lookup, a fraction range per
item, a veto state), so other regions' combinations of kinds need no special cases.

Size: every rule kind is built from the same private primitives (value lookup,
fraction ranges, veto state); keeping them in one module keeps those primitives private.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import Enum
from typing import Any

from rectify.domain.scoring.numbers import ONE, ZERO, Interval, Rounding
from rectify.domain.scoring.rules import (
    ChecklistRule,
    CompositeRule,
    Condition,
    DeviationRule,
    GradeMapRule,
    ManualRule,
    PerCaseRule,
    RatioRule,
    Rule,
    ThresholdRule,
    Tier,
    TiersRule,
    measure_input,
)
from rectify.domain.scoring.tree import DEFAULT_GRADE_BANDS, GradeBand, grade_for

MeasureLookup = Callable[[str], Decimal | None]
INF = Decimal("Infinity")
NEG_INF = Decimal("-Infinity")


def no_measures(_: str) -> Decimal | None:
    return None


class Veto(Enum):
    NONE = 0
    MAYBE = 1
    CERTAIN = 2

    def join(self, other: Veto) -> Veto:
        return self if self.value >= other.value else other


@dataclass(frozen=True)
class Outcome:
    """A rule's raw result: range in points (before veto and rounding) and veto state."""

    range: Interval
    veto: Veto = Veto.NONE


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def _num(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return None


def lookup_value(
    measure: str, inputs: Mapping[str, object], measures: MeasureLookup
) -> Decimal | None:
    """The value a measure names, or None when it is unknown."""
    name = measure_input(measure)
    if name is not None:
        return _num(inputs.get(name))
    value = measures(measure)
    if value is None:
        value = _num(inputs.get("stated"))
    return value


# ------------------------------------------------------------------ numeric primitives


def ratio_points(value: Decimal, weight: Decimal, target: Decimal, cap: Decimal) -> Decimal:
    score = weight * min(value / target, cap)
    return min(max(score, ZERO), weight)


def band_distance(
    value: Decimal,
    band: tuple[Decimal | None, Decimal | None],
    inclusive: tuple[bool, bool] = (True, True),
) -> Decimal | None:
    """Distance to the violated band edge; None when the value is inside the band.

    A value on an excluded edge is outside at distance 0.
    """
    lo, hi = band
    if lo is not None and (value < lo or (value == lo and not inclusive[0])):
        return lo - value
    if hi is not None and (value > hi or (value == hi and not inclusive[1])):
        return value - hi
    return None


def count_steps(distance: Decimal, step: Decimal, mode: str) -> Decimal:
    exact = distance / step
    if mode == "ceil":
        return max(ONE, exact.to_integral_value(rounding=ROUND_CEILING))
    if mode == "floor":
        return exact.to_integral_value(rounding=ROUND_FLOOR)
    return exact


def deviation_points(rule: DeviationRule, weight: Decimal, value: Decimal) -> Decimal:
    distance = band_distance(value, rule.band, rule.band_inclusive)
    if distance is None:
        return weight
    if rule.zero_beyond is not None and distance > rule.zero_beyond:
        return ZERO
    per_step = _per_step(rule, weight)
    deduction = count_steps(distance, rule.step, rule.step_mode) * per_step
    return min(max(weight - deduction, ZERO), weight)


def _per_step(rule: DeviationRule, weight: Decimal) -> Decimal:
    if rule.deduct.fraction_of_weight is not None:
        return rule.deduct.fraction_of_weight * weight
    return rule.deduct.points if rule.deduct.points is not None else ZERO


def _tier_matches(tier: Tier, value: Decimal) -> bool:
    if tier.min is not None and (
        value < tier.min or (value == tier.min and not tier.min_inclusive)
    ):
        return False
    return not (
        tier.max is not None
        and (value > tier.max or (value == tier.max and not tier.max_inclusive))
    )


def _tier_points(tier: Tier, weight: Decimal) -> Decimal:
    if tier.fraction is not None:
        value = tier.fraction * weight
    else:
        value = tier.points if tier.points is not None else ZERO
    return min(max(value, ZERO), weight)


def tier_points(tiers: Sequence[Tier], weight: Decimal, value: Decimal) -> Decimal | None:
    """Points of the first tier that holds the value; None when no tier does."""
    for tier in tiers:
        if _tier_matches(tier, value):
            return _tier_points(tier, weight)
    return None


def tiers_cover(
    tiers: Sequence[Tier],
    lo: Decimal = NEG_INF,
    hi: Decimal = INF,
    lo_inclusive: bool = True,
    hi_inclusive: bool = True,
) -> bool:
    """True when every value in the range [lo, hi] lies in some tier."""
    spans = []
    for t in tiers:
        a = t.min if t.min is not None else NEG_INF
        b = t.max if t.max is not None else INF
        a_inc = t.min_inclusive and t.min is not None
        b_inc = t.max_inclusive and t.max is not None
        if a < b or (a == b and a_inc and b_inc):
            spans.append((a, not a_inc, b, b_inc))
    spans.sort()
    # Everything in the target below `reach` is covered; `reach_inc`: reach itself too.
    reach, reach_inc = lo, (not lo_inclusive) or lo.is_infinite()

    def done() -> bool:
        return reach > hi or (reach == hi and (reach_inc or not hi_inclusive or hi.is_infinite()))

    for a, a_exc, b, b_inc in spans:
        if done():
            return True
        a_inc = not a_exc
        if a > reach or (a == reach and not reach_inc and not a_inc):
            return False
        if b > reach:
            reach, reach_inc = b, b_inc
        elif b == reach and b_inc:
            reach_inc = True
    return done()


def _compare(value: Decimal, op: str, target: Decimal) -> bool:
    return {
        "<=": value <= target,
        ">=": value >= target,
        "==": value == target,
        "<": value < target,
        ">": value > target,
    }[op]


# ------------------------------------------------------------------ per kind


def _manual(rule: ManualRule, weight: Decimal, inputs: Mapping[str, object]) -> Outcome:
    level = _num(inputs.get("level"))
    if level is not None:
        return Outcome(Interval.point(weight * level))
    if rule.levels:
        return Outcome(Interval(weight * min(rule.levels), weight * max(rule.levels)))
    return Outcome(Interval(ZERO, weight))


def result_fraction(
    result: object, result_tiers: Mapping[str, tuple[Decimal, Decimal]] | None
) -> Interval:
    """A checklist result as a fraction range: true/false, a fraction, a tier label, null."""
    if result is True:
        return Interval.point(ONE)
    if result is False:
        return Interval.point(ZERO)
    number = _num(result)
    if number is not None:
        return Interval.point(min(max(number, ZERO), ONE))
    if isinstance(result, str) and result_tiers and result in result_tiers:
        lo, hi = result_tiers[result]
        return Interval(lo, hi)
    return Interval(ZERO, ONE)


def checklist_item_points(rule: ChecklistRule, weight: Decimal) -> list[Decimal]:
    """Points each item is worth: its share of the weight, its points, or an equal split."""
    explicit = ZERO
    defaults = 0
    for item in rule.items:
        if item.share is not None:
            explicit += item.share * weight
        elif item.points is not None:
            explicit += item.points
        else:
            defaults += 1
    rest = max(weight - explicit, ZERO) / defaults if defaults else ZERO
    out = []
    for item in rule.items:
        if item.share is not None:
            out.append(item.share * weight)
        elif item.points is not None:
            out.append(item.points)
        else:
            out.append(rest)
    return out


def _checklist(rule: ChecklistRule, weight: Decimal, inputs: Mapping[str, object]) -> Outcome:
    raw = inputs.get("results")
    results: list[object] = list(raw) if isinstance(raw, list | tuple) else []
    points = checklist_item_points(rule, weight)
    veto = Veto.NONE
    total = Interval.point(ZERO)
    gates = Interval.point(ZERO)
    gate_may_fail = gate_fails = False
    for i, item in enumerate(rule.items):
        frac = result_fraction(results[i] if i < len(results) else None, rule.result_tiers)
        part = frac.scale(points[i])
        total = total + part
        if item.gate:
            gates = gates + part
            gate_may_fail |= frac.lo == 0
            gate_fails |= frac.hi == 0
        if item.veto:
            if frac.hi == 0:
                veto = veto.join(Veto.CERTAIN)
            elif frac.lo == 0:
                veto = veto.join(Veto.MAYBE)
    if gate_fails:
        total = gates
    elif gate_may_fail:
        total = Interval(gates.lo, total.hi)
    return Outcome(total, veto)


def _ratio(rule: RatioRule, weight: Decimal, value: Decimal | None) -> Outcome:
    if value is None:
        return Outcome(Interval(ZERO, min(weight * max(rule.cap, ZERO), weight)))
    return Outcome(Interval.point(ratio_points(value, weight, rule.target, rule.cap)))


def _deviation(rule: DeviationRule, weight: Decimal, value: Decimal | None) -> Outcome:
    if value is not None:
        return Outcome(Interval.point(deviation_points(rule, weight, value)))
    if rule.band == (None, None) and rule.band_inclusive == (True, True):
        return Outcome(Interval.point(weight))
    can_reach_zero = rule.zero_beyond is not None or _per_step(rule, weight) > 0
    return Outcome(Interval(ZERO if can_reach_zero else weight, weight))


def _tiers(rule: TiersRule, weight: Decimal, value: Decimal | None) -> Outcome:
    if value is not None:
        if rule.of is not None:
            value = abs(value - rule.of.distance_from)
        got = tier_points(rule.tiers, weight, value)
        return Outcome(Interval.point(got) if got is not None else Interval(ZERO, weight))
    if not rule.tiers:
        return Outcome(Interval(ZERO, weight))
    values = [_tier_points(t, weight) for t in rule.tiers]
    span = Interval(min(values), max(values))
    covered = tiers_cover(rule.tiers, ZERO if rule.of is not None else NEG_INF)
    return Outcome(span if covered else span.hull(Interval(ZERO, weight)))


def _threshold(
    rule: ThresholdRule, weight: Decimal, inputs: Mapping[str, object], measures: MeasureLookup
) -> Outcome:
    unknown = False
    for cond in rule.conditions():
        value = lookup_value(cond.measure, inputs, measures)
        if value is None:
            unknown = True
        elif not _compare(value, cond.op, cond.value):
            return Outcome(Interval.point(ZERO))
    return Outcome(Interval(ZERO, weight) if unknown else Interval.point(weight))


def condition_holds(
    cond: Condition, inputs: Mapping[str, object], measures: MeasureLookup
) -> bool | None:
    value = lookup_value(cond.measure, inputs, measures)
    return None if value is None else _compare(value, cond.op, cond.value)


def _per_case(rule: PerCaseRule, weight: Decimal, inputs: Mapping[str, object]) -> Outcome:
    cap = rule.cap if rule.cap is not None else weight
    cases = inputs.get("cases")
    count = _num(cases)
    if count is not None:
        deduction = count * rule.points
    elif isinstance(cases, list | tuple):
        deduction = ZERO
        for case in cases:
            own = _num(_get(case, "points"))
            deduction += own if own is not None else rule.points
    else:
        return Outcome(Interval(max(weight - cap, ZERO), weight))
    deduction = min(max(deduction, ZERO), cap)
    return Outcome(Interval.point(max(weight - deduction, ZERO)))


def _grade_map(
    rule: GradeMapRule, weight: Decimal, inputs: Mapping[str, object], bands: Sequence[GradeBand]
) -> Outcome:
    raw = inputs.get("items")
    items: list[object] = list(raw) if isinstance(raw, list | tuple) else []
    fracs = list(rule.fractions.values()) or [ZERO, ONE]
    if not items:
        return Outcome(Interval(ZERO, weight))
    share = weight / len(items)
    total = Interval.point(ZERO)
    for item in items:
        grade = item_grade(item, bands)
        if grade is not None and grade in rule.fractions:
            frac = Interval.point(rule.fractions[grade])
        else:
            frac = Interval(min(fracs), max(fracs))
        total = total + frac.scale(share)
    return Outcome(total)


def item_grade(item: object, bands: Sequence[GradeBand]) -> str | None:
    """A grade_map item's grade: its `grade` wins over the band of its `score`."""
    grade = _get(item, "grade")
    if isinstance(grade, str):
        return grade
    score = _num(_get(item, "score"))
    return grade_for(score, bands) if score is not None else None


def _veto_clauses(rule: Rule, inputs: Mapping[str, object]) -> Veto:
    state = Veto.NONE
    for clause in rule.veto:
        value = inputs.get(clause.input)
        if value is True:
            state = state.join(Veto.CERTAIN)
        elif value is None:
            state = state.join(Veto.MAYBE)
    return state


def outcome(
    rule: Rule,
    weight: Decimal,
    inputs: Mapping[str, object],
    measures: MeasureLookup = no_measures,
    bands: Sequence[GradeBand] = DEFAULT_GRADE_BANDS,
) -> Outcome:
    """A rule's raw outcome (range before veto and rounding, clamped to 0..weight)."""
    result: Outcome
    if isinstance(rule, ManualRule):
        result = _manual(rule, weight, inputs)
    elif isinstance(rule, ChecklistRule):
        result = _checklist(rule, weight, inputs)
    elif isinstance(rule, RatioRule):
        result = _ratio(rule, weight, lookup_value(rule.measure, inputs, measures))
    elif isinstance(rule, DeviationRule):
        result = _deviation(rule, weight, lookup_value(rule.measure, inputs, measures))
    elif isinstance(rule, TiersRule):
        result = _tiers(rule, weight, lookup_value(rule.measure, inputs, measures))
    elif isinstance(rule, ThresholdRule):
        result = _threshold(rule, weight, inputs, measures)
    elif isinstance(rule, PerCaseRule):
        result = _per_case(rule, weight, inputs)
    elif isinstance(rule, CompositeRule):
        total = Interval.point(ZERO)
        veto = Veto.NONE
        for part in rule.parts:
            sub = outcome(part.rule, part.points, part.inputs, measures, bands)
            total = total + sub.range
            veto = veto.join(sub.veto)
        result = Outcome(total, veto)
    elif isinstance(rule, GradeMapRule):
        result = _grade_map(rule, weight, inputs, bands)
    else:  # pragma: no cover - the union is closed
        raise TypeError(f"unknown rule {rule!r}")
    veto = result.veto.join(_veto_clauses(rule, inputs))
    return Outcome(result.range.clamp(ZERO, weight), veto)


def evaluate_rule(
    rule: Rule,
    weight: Decimal,
    inputs: Mapping[str, object],
    measures: MeasureLookup = no_measures,
    bands: Sequence[GradeBand] = DEFAULT_GRADE_BANDS,
    rounding: Rounding | None = None,
) -> Interval:
    """The score range the written rule gives, veto applied, within 0..weight.

    With `rounding`, both ends are rounded (the result is compared rounded).
    """
    got = outcome(rule, weight, inputs, measures, bands)
    span = got.range
    if got.veto is Veto.CERTAIN:
        span = Interval.point(ZERO)
    elif got.veto is Veto.MAYBE:
        span = Interval(ZERO, span.hi)
    span = span.clamp(ZERO, weight)
    return span.rounded(rounding) if rounding is not None else span


__all__ = [
    "MeasureLookup",
    "Outcome",
    "Veto",
    "band_distance",
    "checklist_item_points",
    "condition_holds",
    "count_steps",
    "deviation_points",
    "evaluate_rule",
    "item_grade",
    "lookup_value",
    "no_measures",
    "outcome",
    "ratio_points",
    "result_fraction",
    "tier_points",
    "tiers_cover",
]
