"""`rectify check`: recompute a package and report where the report contradicts itself.

Nothing is written. Every check compares a figure the report states with the figure
the tool computes from the package's own data; a difference smaller than half of the
last rounding place is not reported. Messages are Chinese, paths follow the format
(`indicators[B1.2]`, `budget.stated.adjustment_rate`, `surveys[enterprise].questions[3]`).

Size: every check reads the same recomputed package (tree, budget, surveys, grades)
in one pass; split by check kind, each part would need that shared state passed around.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rectify.domain import formatting
from rectify.domain.scoring import (
    BudgetFigures,
    Interval,
    QuestionFigures,
    Rounding,
    StaffCount,
    SurveyFigures,
    TreeNode,
    budget_measures,
    budget_rates,
    compute_scores,
    evaluate_rule,
    grade_for,
    line_sum,
    question_composites,
    rounded_lookup,
    survey_measures,
    survey_overall_value,
)
from rectify.domain.scoring.engine import MeasureLookup
from rectify.domain.scoring.rules import GradeMapRule, rule_measures
from rectify.reports.package import Budget, Indicator, Package, Staffing, Survey

Value = Decimal | str | Interval | None

KINDS = (
    "weight_sum",
    "score_sum",
    "rule_mismatch",
    "rate_mismatch",
    "budget_sum",
    "total_mismatch",
    "grade_mismatch",
    "duplicate_code",
    "survey_mismatch",
    "uncovered_deduction",
    "score_range",
)

KIND_LABELS = {
    "weight_sum": "权重合计",
    "score_sum": "得分合计",
    "rule_mismatch": "评分与规则不符",
    "rate_mismatch": "比率不符",
    "budget_sum": "预算合计",
    "total_mismatch": "总分不符",
    "grade_mismatch": "等级不符",
    "duplicate_code": "指标编号重复",
    "survey_mismatch": "问卷数据不符",
    "uncovered_deduction": "扣分无对应问题",
    "score_range": "得分越界",
}


# One formatting for CLI, TUI and documents (domain/formatting.py).
fmt = formatting.decimal_text


def value_json(value: Value) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Interval):
        return formatting.interval_json(value)
    return fmt(value)


def value_text(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Interval) or value is None:
        return formatting.interval(value)
    return fmt(value)


@dataclass(frozen=True)
class Check:
    kind: str
    path: str
    stated: Value
    computed: Value
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "stated": value_json(self.stated),
            "computed": value_json(self.computed),
            "message": self.message,
        }


@dataclass(frozen=True)
class Unchecked:
    """A check the package's nulls did not allow, and why (the report left it unsaid)."""

    path: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True)
class CheckReport:
    total: Decimal
    grade: str
    checks: list[Check] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "total": fmt(self.total),
            "grade": self.grade,
            "checks": [c.to_json() for c in self.checks],
            "unchecked": [u.to_json() for u in self.unchecked],
        }


# ------------------------------------------------------------------------ measures


def _sum_figure(budget: Budget, attr: str) -> Decimal | None:
    """Σ lines of a figure; None when no line or some line leaves it null."""
    return line_sum([getattr(line, attr) for line in budget.lines])


def budget_figures(budget: Budget, staffing: Sequence[Staffing] = ()) -> BudgetFigures:
    """The package's budget as the typed figures the Budget aggregate also computes from:
    totals are Σ lines, else the stated total stands in."""
    totals = {
        attr: summed
        if (summed := _sum_figure(budget, attr)) is not None
        else getattr(budget.stated, attr)
        for attr in ("initial", "adjusted", "final")
    }
    pf, tp = budget.public_funds, budget.three_public
    return BudgetFigures(
        initial=totals["initial"],
        adjusted=totals["adjusted"],
        final=totals["final"],
        carryover=budget.carryover if budget.carryover is not None else budget.stated.carryover,
        public_funds_actual=pf.actual if pf is not None else None,
        public_funds_budget=pf.budget if pf is not None else None,
        three_public_actual=tp.actual if tp is not None else None,
        three_public_initial=tp.initial if tp is not None else None,
        three_public_adjusted=tp.adjusted if tp is not None else None,
        staffing=tuple(StaffCount(s.unit, s.authorized, s.actual) for s in staffing),
    )


def survey_figures(survey: Survey) -> SurveyFigures:
    """A package survey as the typed figures the Evaluation aggregate also computes from."""
    return SurveyFigures(
        id=survey.id,
        valid=survey.valid,
        scale=tuple(survey.scale) if survey.scale is not None else None,
        aggregate=survey.aggregate,
        questions=tuple(
            QuestionFigures(tuple(q.counts) if q.counts is not None else None, q.stated)
            for q in survey.questions
        ),
    )


def measure_lookup(pkg: Package, rounding: Rounding) -> MeasureLookup:
    """Computed measures, rounded to the evaluation's places (None when unknown)."""
    # Without a budget every budget.* rate is None (unknown), as in the aggregate.
    values = budget_measures(budget_figures(pkg.budget or Budget(), pkg.staffing))
    values.update(survey_measures([survey_figures(s) for s in pkg.surveys]))
    return rounded_lookup(values, rounding)


# ------------------------------------------------------------------------ the checker


class _Checker:
    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.ev = pkg.evaluation
        self.rounding = self.ev.rounding.policy()
        self.bands = self.ev.bands()
        self.checks: list[Check] = []
        self.unchecked: list[Unchecked] = []
        self.measures = measure_lookup(pkg, self.rounding)
        self.by_code = {i.code: i for i in pkg.indicators}
        self.children: dict[str | None, list[Indicator]] = {}
        for ind in pkg.indicators:
            self.children.setdefault(ind.parent, []).append(ind)

    def add(self, kind: str, path: str, stated: Value, computed: Value, message: str) -> None:
        self.checks.append(Check(kind, path, self.shown(stated), self.shown(computed), message))

    def skip(self, path: str, message: str) -> None:
        self.unchecked.append(Unchecked(path, message))

    def shown(self, value: Value) -> Value:
        """Pad Decimals to the rounding places (never drops digits): 1.5 → 1.50."""
        if isinstance(value, Decimal):
            exponent = value.as_tuple().exponent
            if isinstance(exponent, int) and exponent > -self.rounding.places:
                return value.quantize(self.rounding.unit)
            return value
        if isinstance(value, Interval):
            lo, hi = self.shown(value.lo), self.shown(value.hi)
            assert isinstance(lo, Decimal) and isinstance(hi, Decimal)
            return Interval(lo, hi)
        return value

    def r(self, value: Decimal) -> Decimal:
        return self.rounding.round(value)

    def differs(self, a: Decimal, b: Decimal) -> bool:
        return self.rounding.differs(a, b)

    # -- tree ------------------------------------------------------------------------

    def run(self) -> CheckReport:
        nodes = [TreeNode(i.code, i.parent, i.weight, i.awarded) for i in self.pkg.indicators]
        tree = compute_scores(nodes, self.rounding)
        self.scores = tree.scores
        self.check_duplicates()
        self.check_weights()
        self.check_leaves()
        self.check_subtotals()
        self.check_budget()
        self.check_surveys()
        total = tree.total
        grade = grade_for(total, self.bands) or ""
        self.check_total(total, grade)
        self.check_uncovered()
        self.check_undisclosed()
        return CheckReport(total=total, grade=grade, checks=self.checks, unchecked=self.unchecked)

    def check_duplicates(self) -> None:
        seen: dict[str, str] = {}
        for ind in self.pkg.indicators:
            printed = ind.shown_code
            if printed in seen:
                self.add(
                    "duplicate_code",
                    f"indicators[{ind.code}]",
                    printed,
                    None,
                    f"指标“{ind.name}”（{ind.code}）印刷编号 {printed} 与指标 {seen[printed]} 重复",
                )
            else:
                seen[printed] = ind.code

    def check_weights(self) -> None:
        total_weight = self.ev.stated.total_weight
        roots = self.children.get(None, [])
        got = sum((i.weight for i in roots), Decimal(0))
        if self.differs(got, total_weight):
            self.add(
                "weight_sum",
                "indicators",
                total_weight,
                got,
                f"一级指标权重合计 {fmt(got)}，应为总权重 {fmt(total_weight)}",
            )
        for ind in self.pkg.indicators:
            kids = self.children.get(ind.code)
            if not kids:
                continue
            got = sum((k.weight for k in kids), Decimal(0))
            if self.differs(got, ind.weight):
                self.add(
                    "weight_sum",
                    f"indicators[{ind.code}]",
                    ind.weight,
                    got,
                    f"指标 {ind.code}“{ind.name}”权重 {fmt(ind.weight)}，下级权重合计 {fmt(got)}",
                )

    def check_leaves(self) -> None:
        for ind in self.pkg.indicators:
            if self.children.get(ind.code) or ind.awarded is None:
                continue
            path = f"indicators[{ind.code}]"
            awarded = ind.awarded
            if awarded < 0 or awarded > ind.weight:
                self.add(
                    "score_range",
                    path,
                    awarded,
                    Interval(Decimal(0), ind.weight),
                    f"指标 {ind.code}“{ind.name}”得分 {fmt(awarded)} 超出 0 至权重 {fmt(ind.weight)} 的范围",
                )
            elif ind.rule is not None:
                self.check_rule(ind, awarded, path)
            if ind.rule is not None:
                self.check_stated_measure(ind, path)
                if isinstance(ind.rule, GradeMapRule):
                    self.check_grade_items(ind, path)

    def check_rule(self, ind: Indicator, awarded: Decimal, path: str) -> None:
        assert ind.rule is not None
        span = evaluate_rule(
            ind.rule, ind.weight, ind.inputs or {}, self.measures, self.bands, self.rounding
        )
        if not self.differs(span.distance(awarded), Decimal(0)):
            return
        if span.is_point:
            detail = f"按书面规则应得 {fmt(span.lo)}"
        else:
            detail = f"按书面规则（部分输入未披露）应在 {formatting.interval(span)} 之间"
        self.add(
            "rule_mismatch",
            path,
            awarded,
            span,
            f"指标 {ind.code}“{ind.name}”评价得分 {fmt(awarded)}，{detail}",
        )

    def check_stated_measure(self, ind: Indicator, path: str) -> None:
        assert ind.rule is not None
        stated = (ind.inputs or {}).get("stated")
        if not isinstance(stated, Decimal):
            return
        for measure in rule_measures(ind.rule):
            computed = self.measures(measure)
            if computed is not None and self.differs(stated, computed):
                self.add(
                    "rate_mismatch",
                    f"{path}.inputs.stated",
                    stated,
                    computed,
                    f"指标 {ind.code}“{ind.name}”报告值 {fmt(stated)}，按包内数据计算 {measure} 为 {fmt(computed)}",
                )

    def check_grade_items(self, ind: Indicator, path: str) -> None:
        items = (ind.inputs or {}).get("items")
        if not isinstance(items, list):
            return
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            score, stated = item.get("score"), item.get("stated_grade")
            if isinstance(score, Decimal) and isinstance(stated, str):
                band = grade_for(score, self.bands)
                if band != stated:
                    self.add(
                        "grade_mismatch",
                        f"{path}.inputs.items[{i}]",
                        stated,
                        band,
                        f"指标 {ind.code} 第 {i + 1} 项“{item.get('name')}”得分 {fmt(score)} 应为等级 {band}，报告写 {stated}",
                    )

    def check_subtotals(self) -> None:
        for ind in self.pkg.indicators:
            kids = self.children.get(ind.code)
            if not kids or ind.awarded is None:
                continue
            parts = [k.awarded if k.awarded is not None else self.scores[k.code] for k in kids]
            if self.rounding.aggregate == "sum_of_rounded":
                parts = [self.r(p) for p in parts]
            got = self.r(sum(parts, Decimal(0)))
            if self.differs(ind.awarded, got):
                self.add(
                    "score_sum",
                    f"indicators[{ind.code}]",
                    ind.awarded,
                    got,
                    f"指标 {ind.code}“{ind.name}”小计 {fmt(ind.awarded)}，下级得分合计 {fmt(got)}",
                )

    # -- budget ----------------------------------------------------------------------

    def check_budget(self) -> None:
        budget = self.pkg.budget
        if budget is None:
            return
        names = {"initial": "年初预算", "adjusted": "调整后预算", "final": "决算（执行数）"}
        for attr, label in names.items():
            stated = getattr(budget.stated, attr)
            summed = _sum_figure(budget, attr)
            if stated is not None and summed is not None and self.differs(stated, summed):
                self.add(
                    "budget_sum",
                    f"budget.stated.{attr}",
                    stated,
                    summed,
                    f"报告{label}合计 {fmt(stated)}，各预算行合计 {fmt(summed)}",
                )
        totals = budget_figures(budget)
        if (
            budget.stated.adjustment is not None
            and totals.initial is not None
            and totals.adjusted is not None
        ):
            diff = totals.adjusted - totals.initial
            if self.differs(budget.stated.adjustment, diff):
                self.add(
                    "budget_sum",
                    "budget.stated.adjustment",
                    budget.stated.adjustment,
                    diff,
                    f"报告预算调整数 {fmt(budget.stated.adjustment)}，调整后减年初为 {fmt(diff)}",
                )
        if (
            budget.stated.carryover is not None
            and budget.carryover is not None
            and self.differs(budget.stated.carryover, budget.carryover)
        ):
            self.add(
                "budget_sum",
                "budget.stated.carryover",
                budget.stated.carryover,
                budget.carryover,
                f"报告结转结余 {fmt(budget.stated.carryover)}，包内结转结余为 {fmt(budget.carryover)}",
            )
        unassigned = [a.amount for a in budget.adjustments if a.line is None]
        if unassigned:
            self.check_unassigned(budget, sum(unassigned, Decimal(0)))
        for line in budget.lines if not unassigned else ():
            amounts = [a.amount for a in budget.adjustments if a.line == line.code]
            if not amounts or line.initial is None or line.adjusted is None:
                continue
            expected = line.initial + sum(amounts, Decimal(0))
            if self.differs(expected, line.adjusted):
                self.add(
                    "budget_sum",
                    f"budget.lines[{line.code}]",
                    line.adjusted,
                    expected,
                    f"预算行 {line.code}“{line.name}”年初 {fmt(line.initial)} 加调整合计 {fmt(sum(amounts, Decimal(0)))} 为 {fmt(expected)}，调整后数为 {fmt(line.adjusted)}",
                )
        if budget.sources is not None:
            for attr, label in names.items():
                src = getattr(budget.sources, attr)
                figure = _sum_figure(budget, attr)
                if figure is None:
                    figure = getattr(budget.stated, attr)
                if src and figure is not None:
                    summed = sum(src.values(), Decimal(0))
                    if self.differs(summed, figure):
                        self.add(
                            "budget_sum",
                            f"budget.sources.{attr}",
                            summed,
                            figure,
                            f"资金来源（{label}）合计 {fmt(summed)}，预算合计为 {fmt(figure)}",
                        )
        rates = budget_rates(totals)
        labels = {
            "execution_rate": "预算执行率",
            "adjustment_rate": "预算调整率",
            "carryover_rate": "结转结余率",
            "public_funds_control_rate": "公用经费控制率",
            "three_public_control_rate": "“三公经费”控制率",
        }
        for name, label in labels.items():
            stated = getattr(budget.stated, name)
            exact = rates[name]
            if stated is None or exact is None:
                continue
            computed = self.r(exact)
            if self.differs(stated, computed):
                self.add(
                    "rate_mismatch",
                    f"budget.stated.{name}",
                    stated,
                    computed,
                    f"报告{label} {fmt(stated)}%，按包内数据及格式定义计算为 {fmt(computed)}%",
                )

    def check_unassigned(self, budget: Budget, unassigned: Decimal) -> None:
        """Adjustments with no line: the lines' unexplained gaps must add up to them."""
        lines = budget.lines
        if not lines or any(ln.initial is None or ln.adjusted is None for ln in lines):
            return
        gaps = Decimal(0)
        for ln in lines:
            own = sum((a.amount for a in budget.adjustments if a.line == ln.code), Decimal(0))
            assert ln.adjusted is not None and ln.initial is not None
            gaps += ln.adjusted - ln.initial - own
        if self.differs(gaps, unassigned):
            self.add(
                "budget_sum",
                "budget.adjustments",
                unassigned,
                gaps,
                f"未注明预算行的调整合计 {fmt(unassigned)}，各预算行调整后减年初及本行调整之差合计 {fmt(gaps)}",
            )

    # -- what the report left unsaid -------------------------------------------------

    def check_undisclosed(self) -> None:
        """Say which checks the package's nulls made impossible."""
        budget = self.pkg.budget
        if budget is not None:
            for i, adj in enumerate(budget.adjustments):
                if adj.line is None:
                    self.skip(
                        f"budget.adjustments[{i}]",
                        f"调整 {fmt(adj.amount)} 未注明预算行：只计入合计，不逐行核对“年初+调整=调整后”",
                    )
            for attr, label in (
                ("initial", "年初预算"),
                ("adjusted", "调整后预算"),
                ("final", "决算"),
            ):
                stated = getattr(budget.stated, attr)
                if budget.lines and stated is not None and _sum_figure(budget, attr) is None:
                    self.skip(
                        f"budget.stated.{attr}",
                        f"有预算行未披露{label}数：报告合计 {fmt(stated)} 直接采用，未核对",
                    )
            rates = budget_rates(budget_figures(budget))
            for name, value in rates.items():
                if getattr(budget.stated, name) is not None and value is None:
                    self.skip(f"budget.stated.{name}", "计算该比率所需的数据未披露：报告值未复算")
        for i, staff in enumerate(self.pkg.staffing):
            if staff.authorized is None or staff.actual is None:
                self.skip(
                    f"staffing[{i}]",
                    f"单位 {staff.unit} 编制数或实有人数未披露：人员控制率无法计算",
                )
        for survey in self.pkg.surveys:
            base = f"surveys[{survey.id}]"
            if survey.valid is None:
                self.skip(f"{base}.valid", "有效问卷数未披露：各题人数合计未核对，各题得分按报告值")
            elif survey.scale is None:
                self.skip(f"{base}.scale", "分值未披露：各题得分按报告值，未按人数复算")

    # -- surveys ---------------------------------------------------------------------

    def check_surveys(self) -> None:
        for survey in self.pkg.surveys:
            base = f"surveys[{survey.id}]"
            figures = survey_figures(survey)
            composites = question_composites(figures)
            for i, q in enumerate(survey.questions):
                path = f"{base}.questions[{i}]"
                if (
                    q.counts is not None
                    and survey.valid is not None
                    and sum(q.counts) != survey.valid
                ):
                    self.add(
                        "survey_mismatch",
                        path,
                        Decimal(survey.valid),
                        Decimal(sum(q.counts)),
                        f"问卷“{survey.title or survey.id}”第 {i + 1} 题各选项人数合计 {sum(q.counts)}，有效问卷 {survey.valid}",
                    )
                    continue
                got = composites[i]
                if survey.scale is not None and q.stated is not None and got is not None:
                    got = self.r(got)
                    if self.differs(q.stated, got):
                        self.add(
                            "survey_mismatch",
                            path,
                            q.stated,
                            got,
                            f"问卷“{survey.title or survey.id}”第 {i + 1} 题报告得分 {fmt(q.stated)}，按人数计算为 {fmt(got)}",
                        )
            overall = survey_overall_value(figures)
            if survey.stated_overall is not None and overall is not None:
                got = self.r(overall)
                if self.differs(survey.stated_overall, got):
                    self.add(
                        "survey_mismatch",
                        f"{base}.stated_overall",
                        survey.stated_overall,
                        got,
                        f"问卷“{survey.title or survey.id}”报告总体满意度 {fmt(survey.stated_overall)}，计算为 {fmt(got)}",
                    )

    # -- total, grade, findings -----------------------------------------------------

    def check_total(self, total: Decimal, grade: str) -> None:
        stated = self.ev.stated
        if stated.total is not None and self.differs(stated.total, total):
            self.add(
                "total_mismatch",
                "evaluation.stated.total",
                stated.total,
                total,
                f"报告总分 {fmt(stated.total)}，按末级得分计算为 {fmt(total)}",
            )
        if stated.grade is None:
            return
        if stated.total is not None:
            band = grade_for(stated.total, self.bands)
            if band != stated.grade:
                self.add(
                    "grade_mismatch",
                    "evaluation.stated.grade",
                    stated.grade,
                    band,
                    f"报告等级“{stated.grade}”，但报告总分 {fmt(stated.total)} 对应等级“{band}”",
                )
                return
        if grade != stated.grade:
            self.add(
                "grade_mismatch",
                "evaluation.stated.grade",
                stated.grade,
                grade,
                f"报告等级“{stated.grade}”，按计算总分 {fmt(total)} 应为“{grade}”",
            )

    def check_uncovered(self) -> None:
        named: set[str] = set()
        for f in self.pkg.findings:
            named.update(f.indicator_codes)

        def covered(ind: Indicator) -> bool:
            node: Indicator | None = ind
            while node is not None:
                if node.code in named or (
                    node.printed_code is not None and node.printed_code in named
                ):
                    return True
                node = self.by_code.get(node.parent) if node.parent is not None else None
            return False

        for ind in self.pkg.indicators:
            if self.children.get(ind.code) or ind.awarded is None:
                continue
            lost = ind.weight - ind.awarded
            if self.differs(lost, Decimal(0)) and lost > 0 and not covered(ind):
                self.add(
                    "uncovered_deduction",
                    f"indicators[{ind.code}]",
                    ind.awarded,
                    ind.weight,
                    f"指标 {ind.code}“{ind.name}”失分 {fmt(lost)}（得 {fmt(ind.awarded)}/{fmt(ind.weight)}），问题清单中没有问题指向它或其上级指标",
                )


def check_package(pkg: Package) -> CheckReport:
    """Recompute the package from its leaves and figures; list every contradiction."""
    return _Checker(pkg).run()


__all__ = [
    "KINDS",
    "KIND_LABELS",
    "Check",
    "CheckReport",
    "Unchecked",
    "check_package",
    "value_text",
]
