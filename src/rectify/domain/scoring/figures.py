"""The typed figures every scoring path computes from, and the one derivation of each.

`rectify check` (on a package) and the aggregates (`Budget`, `Evaluation`, on the event
log) both turn their data into these shapes and call these functions, so a rate, a
survey composite or a measure a rule reads cannot be computed two ways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rectify.domain.scoring.engine import MeasureLookup
from rectify.domain.scoring.measures import (
    adjustment_rate,
    carryover_rate,
    control_rate,
    execution_rate,
    pooled_composite,
    question_composite,
    staffing_control_rate,
    survey_overall,
)
from rectify.domain.scoring.numbers import Rounding

RATE_NAMES = (
    "execution_rate",
    "adjustment_rate",
    "carryover_rate",
    "public_funds_control_rate",
    "three_public_control_rate",
)


def line_sum(values: Sequence[Decimal | None]) -> Decimal | None:
    """Σ of a figure over budget lines; None when there is no line or one is unknown."""
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


@dataclass(frozen=True)
class StaffCount:
    unit: str
    authorized: int | None  # None: not disclosed
    actual: int | None

    @property
    def known(self) -> tuple[int, int] | None:
        if self.authorized is None or self.actual is None:
            return None
        return (self.authorized, self.actual)


@dataclass(frozen=True)
class BudgetFigures:
    """A budget's totals (Σ lines, else the stated figure) and its control figures."""

    initial: Decimal | None
    adjusted: Decimal | None
    final: Decimal | None
    carryover: Decimal | None
    public_funds_actual: Decimal | None = None
    public_funds_budget: Decimal | None = None
    three_public_actual: Decimal | None = None
    three_public_initial: Decimal | None = None
    three_public_adjusted: Decimal | None = None
    staffing: tuple[StaffCount, ...] = ()


def budget_rates(f: BudgetFigures) -> dict[str, Decimal | None]:
    """The format's rates, exact and in percent; None where undefined."""
    out: dict[str, Decimal | None] = dict.fromkeys(RATE_NAMES)
    if f.final is not None and f.adjusted is not None:
        out["execution_rate"] = execution_rate(f.final, f.adjusted)
    if f.initial is not None and f.adjusted is not None:
        out["adjustment_rate"] = adjustment_rate(f.initial, f.adjusted)
    if f.carryover is not None and f.adjusted is not None:
        out["carryover_rate"] = carryover_rate(f.carryover, f.adjusted)
    if f.public_funds_actual is not None and f.public_funds_budget is not None:
        out["public_funds_control_rate"] = control_rate(
            f.public_funds_actual, f.public_funds_budget
        )
    base = (
        f.three_public_adjusted if f.three_public_adjusted is not None else f.three_public_initial
    )
    if f.three_public_actual is not None and base is not None:
        out["three_public_control_rate"] = control_rate(f.three_public_actual, base)
    return out


def budget_measures(f: BudgetFigures) -> dict[str, Decimal | None]:
    """Exact values of the `budget.*` and `staffing.*` measures a rule may name."""
    values: dict[str, Decimal | None] = {f"budget.{k}": v for k, v in budget_rates(f).items()}
    if f.staffing:
        # A unit that did not disclose its numbers makes the overall rate unknown too.
        pairs = [s.known for s in f.staffing]
        values["staffing.control_rate"] = (
            None
            if any(p is None for p in pairs)
            else staffing_control_rate([p for p in pairs if p is not None])
        )
        for s in f.staffing:
            pair = s.known
            values[f"staffing[{s.unit}].control_rate"] = (
                staffing_control_rate([pair]) if pair is not None else None
            )
    return values


@dataclass(frozen=True)
class QuestionFigures:
    counts: tuple[int, ...] | None
    stated: Decimal | None


@dataclass(frozen=True)
class SurveyFigures:
    id: str
    valid: int | None  # None: not disclosed; composites are taken as stated
    scale: tuple[Decimal, ...] | None
    aggregate: str  # "mean_of_questions" or "pooled"
    questions: tuple[QuestionFigures, ...]


def question_composites(s: SurveyFigures) -> list[Decimal | None]:
    """Each question's composite: from counts and scale, else as stated."""
    return [
        question_composite(q.counts, s.scale, s.valid)
        if s.scale is not None and q.counts is not None and s.valid is not None
        else q.stated
        for q in s.questions
    ]


def survey_overall_value(s: SurveyFigures) -> Decimal | None:
    """The overall satisfaction by the format's definitions (pooled or mean)."""
    counts = [q.counts for q in s.questions]
    known = s.scale is not None and s.valid is not None and all(c is not None for c in counts)
    if s.aggregate == "pooled" and known and s.scale is not None and s.valid is not None:
        return pooled_composite([c for c in counts if c is not None], s.scale, s.valid)
    composites = question_composites(s)
    if composites and all(c is not None for c in composites):
        return survey_overall([c for c in composites if c is not None])
    return None


def survey_measures(surveys: Sequence[SurveyFigures]) -> dict[str, Decimal | None]:
    return {f"survey.{s.id}.overall": survey_overall_value(s) for s in surveys}


def rounded_lookup(values: Mapping[str, Decimal | None], rounding: Rounding) -> MeasureLookup:
    """Measures as rules read them: rounded to the evaluation's places (None: unknown)."""

    def lookup(measure: str) -> Decimal | None:
        value = values.get(measure)
        return rounding.round(value) if value is not None else None

    return lookup
