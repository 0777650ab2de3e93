"""The rate by amount taken in integers (projections/figures.py) has every digit of
`percent` over the same Decimal amounts, on the rounding boundaries too."""

from __future__ import annotations

import random
from decimal import Decimal

from rectify.projections.figures import _amounts, percent

MICROS = Decimal(1_000_000)


def _by_percent(closed: int, total: int) -> tuple[Decimal, Decimal, Decimal | None]:
    amount_total, amount_closed = Decimal(total) / MICROS, Decimal(closed) / MICROS
    return amount_total, amount_closed, percent(amount_closed, amount_total)


def _pairs() -> list[tuple[int, int]]:
    draw = random.Random(8)
    pairs = []
    for _ in range(20_000):
        total = draw.randint(1, 10 ** draw.randint(1, 17))
        pairs.append((draw.randint(0, total), total))
    # Exactly half a hundredth of a percent: 100·closed/total = odd/200, rounded up.
    for scale in (1, 7, 10**6, 123_456_789):
        pairs += [(odd * scale, 20_000 * scale) for odd in range(1, 20_000, 2)]
    # Beside the boundaries (one millionth either side) and past the integer range.
    pairs += [(10_001 + d, 20_000_000 + d) for d in (-1, 1)]
    pairs += [(10**18 + 1, 3 * 10**18), (5, -10), (-3, 10), (11, 10)]
    return pairs


def test_the_rate_by_amount_has_percents_digits() -> None:
    for closed, total in _pairs():
        assert repr(_amounts(closed, total)) == repr(_by_percent(closed, total)), (closed, total)
