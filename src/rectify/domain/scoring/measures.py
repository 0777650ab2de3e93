"""Measures the tool computes from figures: budget rates, staffing, survey composites.

Pure functions over plain Decimals. Rates are in percent (-37.52, not -0.3752) and
exact; callers round them (rules read rates rounded to the evaluation's places).
A zero denominator gives None: the rate is undefined, not 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rectify.domain.scoring.numbers import HUNDRED, ZERO


def percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return numerator / denominator * HUNDRED


def execution_rate(final: Decimal, adjusted: Decimal) -> Decimal | None:
    """预算执行率 = final / adjusted."""
    return percent(final, adjusted)


def adjustment_rate(initial: Decimal, adjusted: Decimal) -> Decimal | None:
    """预算调整率 = (adjusted − initial) / initial."""
    return percent(adjusted - initial, initial)


def carryover_rate(carryover: Decimal, adjusted: Decimal) -> Decimal | None:
    """结转结余率 = carryover / adjusted."""
    return percent(carryover, adjusted)


def control_rate(actual: Decimal, budget: Decimal) -> Decimal | None:
    """控制率 (公用经费, 三公经费) = actual / budget."""
    return percent(actual, budget)


def staffing_control_rate(units: Sequence[tuple[int, int]]) -> Decimal | None:
    """在职人员控制率 = Σ actual / Σ authorized over (authorized, actual) pairs."""
    authorized = sum(a for a, _ in units)
    actual = sum(b for _, b in units)
    return percent(Decimal(actual), Decimal(authorized))


def question_composite(
    counts: Sequence[int], scale: Sequence[Decimal], valid: int
) -> Decimal | None:
    """A survey question's composite = Σ count × scale / valid."""
    if valid == 0:
        return None
    return sum((Decimal(c) * s for c, s in zip(counts, scale, strict=True)), ZERO) / valid


def pooled_composite(
    questions: Sequence[Sequence[int]], scale: Sequence[Decimal], valid: int
) -> Decimal | None:
    """Σ over all questions of count × scale, over valid × number of questions."""
    if valid == 0 or not questions:
        return None
    total = sum(
        (Decimal(c) * s for counts in questions for c, s in zip(counts, scale, strict=True)),
        ZERO,
    )
    return total / (valid * len(questions))


def survey_overall(composites: Sequence[Decimal]) -> Decimal | None:
    """The overall satisfaction as the mean of the question composites."""
    if not composites:
        return None
    return sum(composites, ZERO) / len(composites)
