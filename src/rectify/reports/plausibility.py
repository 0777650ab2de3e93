"""Budget figures a package may not carry: errors of the package, not findings.

`check` reports where a report contradicts itself (a stated total that does not add
up); these are figures no report can mean, refused by `check` and `import` alike
(exit 2, nothing written): a negative line, an adjustment that takes a line below
zero, an amount beyond 1 万亿元, a rate beyond ±1000 %, an adjustment dated outside
the fiscal year and the next.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from rectify.domain.budget import MAX_AMOUNT_YUAN

if TYPE_CHECKING:
    from rectify.reports.package import Budget, Package

RATE_RANGE = (Decimal(-100), Decimal(1000))  # percent
_RATES = (
    "execution_rate",
    "adjustment_rate",
    "carryover_rate",
    "public_funds_control_rate",
    "three_public_control_rate",
)
_FIGURES = ("initial", "adjusted", "final")


def plausibility_errors(pkg: Package) -> list[tuple[str, str]]:
    budget = pkg.budget
    if budget is None:
        return []
    unit = budget.unit or pkg.evaluation.amount_unit
    scale = Decimal(10_000) if unit == "万元" else Decimal(1)
    out: list[tuple[str, str]] = []

    def amount(path: str, value: Decimal | None) -> None:
        if value is not None and abs(value) * scale > MAX_AMOUNT_YUAN:
            out.append((path, f"金额 {value} {unit} 超出合理范围（不超过 1 万亿元）"))

    for i, line in enumerate(budget.lines):
        for attr in _FIGURES:
            value = getattr(line, attr)
            amount(f"$.budget.lines[{i}].{attr}", value)
            if value is not None and value < 0:
                out.append((f"$.budget.lines[{i}].{attr}", f"预算数不能为负：{value}"))
    for attr in (*_FIGURES, "adjustment", "carryover"):
        amount(f"$.budget.stated.{attr}", getattr(budget.stated, attr))
    amount("$.budget.carryover", budget.carryover)
    for attr in _RATES:
        rate = getattr(budget.stated, attr)
        if rate is not None and not RATE_RANGE[0] <= rate <= RATE_RANGE[1]:
            out.append((f"$.budget.stated.{attr}", f"比率 {rate}% 超出合理范围（-100% 至 1000%）"))
    _adjustments(pkg, budget, amount, out)
    return out


def _adjustments(
    pkg: Package,
    budget: Budget,
    amount: Callable[[str, Decimal | None], None],
    out: list[tuple[str, str]],
) -> None:
    year = pkg.evaluation.fiscal_year
    running = {ln.code: ln.initial for ln in budget.lines}
    for i, adj in enumerate(budget.adjustments):
        base = f"$.budget.adjustments[{i}]"
        amount(f"{base}.amount", adj.amount)
        if adj.date is not None and not year <= adj.date.year <= year + 1:
            out.append((f"{base}.date", f"调整日期 {adj.date} 不在 {year} 预算年度或次年内"))
        # An adjustment with no line counts in the totals, in no line (evaluation-format.md).
        before = None if adj.line is None else running.get(adj.line)
        if adj.line is None or before is None:
            continue
        after = before + adj.amount
        running[adj.line] = after
        if after < 0:
            out.append((f"{base}.amount", f"调整后预算行 {adj.line} 为负（{before} → {after}）"))
    initial = sum((ln.initial for ln in budget.lines if ln.initial is not None), Decimal(0))
    change = sum((a.amount for a in budget.adjustments), Decimal(0))
    if initial > 0 and not RATE_RANGE[0] <= change / initial * 100 <= RATE_RANGE[1]:
        out.append(
            (
                "$.budget.adjustments",
                f"调整率 {(change / initial * 100):.2f}% 超出合理范围（-100% 至 1000%）",
            )
        )
