"""Exact numbers for scoring: the `Num` input type, score intervals and rounding.

Everything here is Decimal. A JSON number must arrive as `int` or `Decimal` (load JSON
with `parse_float=Decimal`); a float is accepted only through its shortest repr, a
string or a boolean never passes as a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def to_decimal(value: object) -> Decimal:
    """Strictly turn a JSON number into a Decimal; raise ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("应为数字，不能是布尔值")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("应为有限数字")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raise ValueError(f"应为数字，实为 {type(value).__name__}")


Num = Annotated[Decimal, BeforeValidator(to_decimal)]
"""A Decimal field that accepts only JSON numbers (int or Decimal)."""

RoundingMode = Literal["half_up", "half_even"]
Aggregate = Literal["sum_of_rounded", "round_of_sum"]


@dataclass(frozen=True)
class Rounding:
    """How an evaluation rounds scores: places, mode and how subtotals are formed."""

    places: int = 2
    mode: RoundingMode = "half_up"
    aggregate: Aggregate = "sum_of_rounded"

    @property
    def unit(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    @property
    def half_unit(self) -> Decimal:
        """Differences smaller than this are not reported."""
        return self.unit / 2

    def round(self, value: Decimal) -> Decimal:
        rounding = ROUND_HALF_UP if self.mode == "half_up" else ROUND_HALF_EVEN
        return value.quantize(self.unit, rounding=rounding)

    def differs(self, a: Decimal, b: Decimal) -> bool:
        """True when the difference is at least half of the last place."""
        return abs(a - b) >= self.half_unit


@dataclass(frozen=True)
class Interval:
    """A closed range of possible scores [lo, hi]; lo == hi for a known score."""

    lo: Decimal
    hi: Decimal

    @staticmethod
    def point(value: Decimal) -> Interval:
        return Interval(value, value)

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def scale(self, factor: Decimal) -> Interval:
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    def hull(self, other: Interval) -> Interval:
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))

    def clamp(self, lo: Decimal, hi: Decimal) -> Interval:
        return Interval(min(max(self.lo, lo), hi), min(max(self.hi, lo), hi))

    def rounded(self, rounding: Rounding) -> Interval:
        return Interval(rounding.round(self.lo), rounding.round(self.hi))

    def contains(self, value: Decimal, tolerance: Decimal = ZERO) -> bool:
        return self.lo - tolerance < value < self.hi + tolerance or self.lo <= value <= self.hi

    def distance(self, value: Decimal) -> Decimal:
        """How far `value` lies outside the range (0 inside)."""
        if value < self.lo:
            return self.lo - value
        if value > self.hi:
            return value - self.hi
        return ZERO
