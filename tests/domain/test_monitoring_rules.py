"""Monitoring arithmetic without a store: 偏差度 per operator, time elapsed, plan checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rectify.domain.errors import InvalidInput
from rectify.domain.monitoring import (
    SELF_EVALUATION,
    Monitoring,
    Period,
    WarningRules,
    deviation_percent,
    elapsed_percent,
)
from rectify.domain.targets import Target, parse_target


def target(op: str, value: str, unit: str | None = "%") -> Target:
    return parse_target(
        {
            "code": "T",
            "name": "n",
            "category": "quality",
            "operator": op,
            "value": value,
            "unit": unit,
        },
        "t",
    )


@pytest.mark.parametrize(
    ("op", "value", "expected", "deviation"),
    [
        ("≥", "40", "30", "25.00"),  # short of a floor
        ("≥", "40", "45", "0.00"),  # over a floor: no deviation
        ("≤", "10", "12", "20.00"),  # over a ceiling
        ("≤", "10", "8", "0.00"),
        ("=", "100", "97", "3.00"),
        (">", "90", "90", "0.00"),
    ],
)
def test_deviation_per_operator(op: str, value: str, expected: str, deviation: str) -> None:
    assert deviation_percent(target(op, value), Decimal(expected)) == Decimal(deviation)


def test_a_qualitative_or_zero_target_has_no_deviation() -> None:
    assert deviation_percent(target("定性", "持续改善", None), Decimal(1)) is None
    assert deviation_percent(target("≥", "0"), Decimal(1)) is None


def test_time_elapsed_counts_days_of_the_year() -> None:
    h1 = Period("H1", date(2024, 1, 1), date(2024, 6, 30), date(2024, 7, 15))
    assert elapsed_percent(h1, 2024) == Decimal("49.73")  # 182 of 366 days (leap year)
    year = Period("Y", date(2023, 1, 1), date(2023, 12, 31), date(2024, 1, 15))
    assert elapsed_percent(year, 2023) == Decimal("100.00")


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([], "至少须有一个期间"),
        (
            [Period("H1", date(2023, 12, 1), date(2024, 6, 30), date(2024, 7, 15))],
            "须在 2024 年度内",
        ),
        ([Period("H1", date(2024, 1, 1), date(2024, 6, 30), date(2024, 6, 1))], "早于期间结束日"),
        ([Period("H1", date(2024, 1, 1), date(2024, 6, 30), date(2024, 7, 1))] * 2, "期间 H1 重复"),
        (
            [
                Period(n, date(2024, 1, 1), date(2024, 12, 31), date(2025, 3, 31), SELF_EVALUATION)
                for n in ("a", "b")
            ],
            "只有一份自评报告",
        ),
    ],
)
def test_plan_checks(periods: list[Period], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Monitoring.validate_plan(2024, periods, WarningRules())
    with pytest.raises(InvalidInput, match="阈值不能为负"):
        Monitoring.validate_plan(
            2024,
            [Period("H1", date(2024, 1, 1), date(2024, 6, 30), date(2024, 7, 1))],
            WarningRules(Decimal(-1), Decimal(10)),
        )
