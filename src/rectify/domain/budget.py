"""Budget (预算): one department's budget for one fiscal year, as a ledger of facts.

Initial lines (年初预算), adjustments (追加 positive / 调减 negative: line, date,
amount, reason, document number), final accounts (决算), carryover (结转结余),
public funds (公用经费), 三公经费 and staffing (编制/实有人数). Every figure is a
Decimal in the budget's unit (万元 or 元).

A line's adjusted figure is derived: initial + Σ its adjustments (where the initial
figure is unknown the figure the report stated stands in). An adjustment with no line
(the report did not say which) counts in the total adjustment and in the total
adjusted figure, in no line's figure. Rates use the format's
definitions through `rectify.domain.scoring.figures`, the same functions
`rectify check` uses (execution = final / adjusted,
adjustment = (adjusted − initial) / initial, carryover = carryover / adjusted,
control = actual / budget), in percent and exact; None when undefined.

Who may record: checked by the commands (`EvaluationCommands`), not here: BUREAU,
DEPARTMENT for its own department; the package importer (BUREAU or EVALUATOR)
records the figures the report states.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput

if TYPE_CHECKING:  # the scoring package (and pydantic) loads only when figures are computed,
    # so decoding budget events costs a query nothing at start-up
    from rectify.domain.scoring import BudgetFigures

__all__ = ["Adjustment", "Budget", "BudgetTotals"]

MAX_AMOUNT_YUAN = Decimal(10) ** 12  # 1 万亿元: beyond any department's budget


@dataclass(frozen=True)
class Adjustment:
    line: str | None  # None: the report did not say which line
    amount: Decimal
    on: date | None
    reason: str
    document: str | None


@dataclass(frozen=True)
class BudgetTotals:
    initial: Decimal | None
    adjusted: Decimal | None
    final: Decimal | None
    adjustment: Decimal
    carryover: Decimal | None


def _count(value: Any) -> int | None:
    return int(value) if value is not None else None


class Budget(RectifyAggregate):
    TOPIC = "rectify/Budget"

    @staticmethod
    def create_id(department_code: str, fiscal_year: int) -> UUID:
        return derived_id("budget", f"{department_code}/{fiscal_year}")

    @event("Opened", topic="rectify/Budget.Opened")
    def __init__(
        self,
        department_code: str,
        fiscal_year: int,
        unit: str,
        lines: list[dict[str, Any]],
        sources: dict[str, Any] | None,
        stated: dict[str, Any],
    ) -> None:
        self.department_code = department_code
        self.fiscal_year = fiscal_year
        self.unit = unit
        # code -> {code, name, nature, unit, initial, stated_adjusted}
        self.lines: dict[str, dict[str, Any]] = {str(ln["code"]): dict(ln) for ln in lines}
        self.sources = sources
        self.stated = stated
        self.adjustments: list[Adjustment] = []
        self.finals: dict[str, Decimal | None] = {}
        self.carryover: Decimal | None = None
        self.public_funds: dict[str, Any] | None = None
        self.three_public: dict[str, Any] | None = None
        self.staffing: list[dict[str, Any]] = []

    @staticmethod
    def validate_lines(
        department_code: str, fiscal_year: int, lines: Sequence[Mapping[str, Any]]
    ) -> None:
        seen: set[str] = set()
        for ln in lines:
            code = str(ln.get("code") or "").strip()
            if not code:
                raise InvalidInput(f"预算 {department_code}/{fiscal_year}：预算行代码不能为空")
            if code in seen:
                raise InvalidInput(f"预算 {department_code}/{fiscal_year}：预算行 {code} 重复")
            seen.add(code)

    # -- derived ----------------------------------------------------------------------

    @property
    def label(self) -> str:
        return f"{self.department_code}/{self.fiscal_year}"

    def adjusted_of(self, code: str) -> Decimal | None:
        line = self.lines[code]
        moved = sum((a.amount for a in self.adjustments if a.line == code), Decimal(0))
        if line.get("initial") is not None:
            return Decimal(line["initial"]) + moved
        stated = line.get("stated_adjusted")
        return Decimal(stated) + moved if stated is not None else None

    def unassigned(self) -> Decimal:
        """Σ adjustments whose line the report did not name."""
        return sum((a.amount for a in self.adjustments if a.line is None), Decimal(0))

    def totals(self) -> BudgetTotals:
        from rectify.domain.scoring import line_sum

        codes = list(self.lines)
        initial = line_sum([self.lines[c].get("initial") for c in codes])
        adjusted = line_sum([self.adjusted_of(c) for c in codes])
        if adjusted is not None:
            adjusted += self.unassigned()
        final = line_sum([self.finals.get(c) for c in codes])
        stated = self.stated or {}
        if initial is None:
            initial = stated.get("initial")
        if adjusted is None:
            adjusted = stated.get("adjusted")
        if final is None:
            final = stated.get("final")
        carry = self.carryover if self.carryover is not None else stated.get("carryover")
        return BudgetTotals(
            initial=initial,
            adjusted=adjusted,
            final=final,
            adjustment=sum((a.amount for a in self.adjustments), Decimal(0)),
            carryover=carry,
        )

    def figures(self) -> BudgetFigures:
        """This budget as the typed figures `rectify check` also computes from."""
        from rectify.domain.scoring import BudgetFigures, StaffCount

        t = self.totals()
        pf = self.public_funds or {}
        tp = self.three_public or {}
        return BudgetFigures(
            initial=t.initial,
            adjusted=t.adjusted,
            final=t.final,
            carryover=t.carryover,
            public_funds_actual=pf.get("actual"),
            public_funds_budget=pf.get("budget"),
            three_public_actual=tp.get("actual"),
            three_public_initial=tp.get("initial"),
            three_public_adjusted=tp.get("adjusted"),
            staffing=tuple(
                StaffCount(str(s["unit"]), _count(s.get("authorized")), _count(s.get("actual")))
                for s in self.staffing
            ),
        )

    def rates(self) -> dict[str, Decimal | None]:
        from rectify.domain.scoring import budget_rates

        return budget_rates(self.figures())

    def measures(self) -> dict[str, Decimal | None]:
        """Exact values of the `budget.*` and `staffing.*` measures rules may name."""
        from rectify.domain.scoring import budget_measures

        return budget_measures(self.figures())

    # -- commands ---------------------------------------------------------------------

    def adjust(
        self,
        line: str | None,
        amount: Decimal,
        *,
        reason: str,
        on: date | None = None,
        document: str | None = None,
    ) -> None:
        """追加 (amount > 0) or 调减 (amount < 0) one line, or the budget (line None)."""
        if line is None and not self.lines:
            raise InvalidInput(f"预算 {self.label}：预算没有预算行，未注明预算行的调整无处计入")
        if line is not None and line not in self.lines:
            known = "、".join(self.lines) or "（无）"
            raise InvalidInput(f"预算 {self.label}：预算行 {line} 不存在（已有：{known}）")
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount == 0:
            raise InvalidInput(f"预算 {self.label}：调整金额应为非零数字（{amount!r}）")
        if not reason or not reason.strip():
            raise InvalidInput(f"预算 {self.label}：预算调整须说明理由")
        self._check_plausible(line, amount, on)
        self._adjusted(
            line=line,
            amount=amount,
            on=on,
            document=(document or "").strip() or None,
            reason=reason.strip(),
        )

    def _check_plausible(self, line: str | None, amount: Decimal, on: date | None) -> None:
        """The same bounds the package import applies (reports/plausibility.py)."""
        yuan = abs(amount) * (10_000 if self.unit == "万元" else 1)
        if yuan > MAX_AMOUNT_YUAN:
            raise InvalidInput(
                f"预算 {self.label}：调整金额 {amount} {self.unit} 超出合理范围（不超过 1 万亿元）"
            )
        if on is not None and not self.fiscal_year <= on.year <= self.fiscal_year + 1:
            raise InvalidInput(
                f"预算 {self.label}：调整日期 {on.isoformat()} 不在 {self.fiscal_year} 预算年度或次年内"
            )
        # An adjustment with no line counts in no line's sum (so it cannot take one negative).
        before = None if line is None else self.adjusted_of(line)
        if before is not None and before + amount < 0:
            raise InvalidInput(
                f"预算 {self.label}：调整后预算行 {line} 为负（{before} → {before + amount}）"
            )

    def record_final_accounts(
        self,
        finals: Mapping[str, Decimal | None],
        carryover: Decimal | None,
        reason: str | None = None,
    ) -> bool:
        unknown = [c for c in finals if c not in self.lines]
        if unknown:
            raise InvalidInput(f"预算 {self.label}：预算行 {'、'.join(unknown)} 不存在")
        for code, value in finals.items():
            if value is not None and value < 0:
                raise InvalidInput(f"预算 {self.label}：预算行 {code} 的决算数不能为负（{value}）")
        merged = {**self.finals, **dict(finals)}
        if merged == self.finals and carryover == self.carryover:
            return False
        self._final_accounts_recorded(finals=dict(finals), carryover=carryover, reason=reason)
        return True

    def record_controls(
        self,
        public_funds: Mapping[str, Any] | None,
        three_public: Mapping[str, Any] | None,
        reason: str | None = None,
    ) -> bool:
        pf = dict(public_funds) if public_funds is not None else None
        tp = dict(three_public) if three_public is not None else None
        if pf == self.public_funds and tp == self.three_public:
            return False
        self._controls_recorded(public_funds=pf, three_public=tp, reason=reason)
        return True

    def record_staffing(
        self, staffing: Sequence[Mapping[str, Any]], reason: str | None = None
    ) -> bool:
        rows = [dict(s) for s in staffing]
        for s in rows:
            if any(s.get(k) is not None and int(s[k]) < 0 for k in ("authorized", "actual")):
                raise InvalidInput(f"预算 {self.label}：单位 {s['unit']} 的人数不能为负")
        if rows == self.staffing:
            return False
        self._staffing_recorded(staffing=rows, reason=reason)
        return True

    def restate(
        self,
        lines: Sequence[Mapping[str, Any]],
        sources: Mapping[str, Any] | None,
        stated: Mapping[str, Any],
        reason: str,
    ) -> bool:
        """Correct the initial lines / sources / stated figures (e.g. on re-import)."""
        self.validate_lines(self.department_code, self.fiscal_year, lines)
        new_lines = {str(ln["code"]): dict(ln) for ln in lines}
        src = dict(sources) if sources is not None else None
        if new_lines == self.lines and src == self.sources and dict(stated) == self.stated:
            return False
        removed = set(self.lines) - set(new_lines)
        used = {a.line for a in self.adjustments} | {
            c for c, v in self.finals.items() if v is not None
        }
        if removed & used:
            raise InvalidInput(
                f"预算 {self.label}：预算行 {'、'.join(sorted(removed & used))} 已有调整或决算，不能删除"
            )
        self._restated(
            lines=list(new_lines.values()), sources=src, stated=dict(stated), reason=reason
        )
        return True

    # -- events -----------------------------------------------------------------------

    @event("Adjusted", topic="rectify/Budget.Adjusted")
    def _adjusted(
        self, line: str | None, amount: Decimal, on: date | None, document: str | None, reason: str
    ) -> None:
        self.adjustments.append(Adjustment(line, amount, on, reason, document))

    @event("FinalAccountsRecorded", topic="rectify/Budget.FinalAccountsRecorded")
    def _final_accounts_recorded(
        self, finals: dict[str, Decimal | None], carryover: Decimal | None, reason: str | None
    ) -> None:
        self.finals.update(finals)
        self.carryover = carryover

    @event("ControlsRecorded", topic="rectify/Budget.ControlsRecorded")
    def _controls_recorded(
        self,
        public_funds: dict[str, Any] | None,
        three_public: dict[str, Any] | None,
        reason: str | None,
    ) -> None:
        self.public_funds = public_funds
        self.three_public = three_public

    @event("StaffingRecorded", topic="rectify/Budget.StaffingRecorded")
    def _staffing_recorded(self, staffing: list[dict[str, Any]], reason: str | None) -> None:
        self.staffing = staffing

    @event("Restated", topic="rectify/Budget.Restated")
    def _restated(
        self,
        lines: list[dict[str, Any]],
        sources: dict[str, Any] | None,
        stated: dict[str, Any],
        reason: str | None,
    ) -> None:
        self.lines = {str(ln["code"]): dict(ln) for ln in lines}
        self.sources = sources
        self.stated = stated
