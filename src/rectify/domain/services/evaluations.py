"""Evaluations and budgets: scores, scorecards at a point in time, budget adjustments.

Roles are declared in `rectify.domain.permissions` (EVALUATION_PERMISSIONS,
BUDGET_PERMISSIONS); which stage a role may score is the Evaluation's own rule
(EVALUATOR and BUREAU every stage, DEPARTMENT only its self-evaluation). A budget
adjustment needs BUREAU, or DEPARTMENT for its own department, whether typed
(`adjust_budget`) or arriving in a package (`check_budget_role`, used by the importer).

States in the past (`as_of` a date, or `version` N) are rebuilt from the events up to
that point, never from the read models.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from rectify.domain.application import RectifyApp
from rectify.domain.budget import MAX_AMOUNT_YUAN, Budget
from rectify.domain.clock import BEIJING
from rectify.domain.errors import InvalidInput, NotFound
from rectify.domain.evaluation import Evaluation, Scorecard, ScoreStage, survey_figures
from rectify.domain.identity import current_principal
from rectify.domain.permissions import BUDGET_PERMISSIONS, EVALUATION_PERMISSIONS, in_scope, require

# Dates typed by users are Chinese calendar days.
LOCAL_TZ = BEIJING


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in China time: events before it are 'as of' day."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)


if TYPE_CHECKING:  # the scoring engine loads when a scorecard is computed, not at start-up
    from rectify.domain.scoring import MeasureLookup, Rounding


def measure_lookup(
    evaluation: Evaluation, budget: Budget | None, rounding: Rounding | None = None
) -> MeasureLookup:
    """Computed measures for rules: budget, staffing and survey figures, rounded to
    the evaluation's places (rules read rates as printed)."""
    from rectify.domain.scoring import rounded_lookup, survey_measures

    values: dict[str, Decimal | None] = dict(budget.measures()) if budget is not None else {}
    values.update(survey_measures([survey_figures(s) for s in evaluation.surveys]))
    return rounded_lookup(values, rounding or evaluation.rounding_policy)


# A budget's unit and its size in 元 (the upper bound is MAX_AMOUNT_YUAN).
BUDGET_UNITS: Mapping[str, Decimal] = {"万元": Decimal(10000), "元": Decimal(1)}


class EvaluationService:
    def __init__(self, app: RectifyApp) -> None:
        self.app = app

    # -- loading ------------------------------------------------------------------

    def get_evaluation(self, key: str) -> Evaluation:
        return self.app.load(Evaluation.create_id(key), Evaluation, f"评价 {key} 不存在")

    def _check_readable(self, evaluation: Evaluation) -> None:
        """Out of the principal's scope reads exactly like missing (a refusal reveals nothing)."""
        principal = current_principal()
        permission = EVALUATION_PERMISSIONS["read_evaluation"]
        require(permission, principal)
        if principal.role in permission.own and not in_scope(
            principal, evaluation.department_code, None, self.app.parent_of
        ):
            raise NotFound(f"评价 {evaluation.key} 不存在")

    def find_evaluation(self, key: str) -> Evaluation | None:
        return self.app.find(Evaluation.create_id(key), Evaluation)

    def get_budget(self, department_code: str, fiscal_year: int) -> Budget:
        return self.app.load(
            Budget.create_id(department_code, fiscal_year),
            Budget,
            _budget_missing(department_code, fiscal_year),
        )

    def find_budget(self, department_code: str, fiscal_year: int) -> Budget | None:
        return self.app.find(Budget.create_id(department_code, fiscal_year), Budget)

    def version_as_of(self, aggregate_id: UUID, moment: datetime) -> int | None:
        """The aggregate's last version recorded before `moment` (None: not yet created)."""
        last: int | None = None
        for stored in self.app.repository.event_store.get(aggregate_id):
            if getattr(stored, "timestamp") >= moment:  # noqa: B009
                break
            last = stored.originator_version
        return last

    def evaluation_at(
        self, key: str, *, version: int | None = None, as_of: date | None = None
    ) -> Evaluation:
        """The evaluation as it was at `version` or at the end of day `as_of`."""
        if version is not None and as_of is not None:
            raise InvalidInput("--version 与 --as-of 只能给一个")
        current = self.get_evaluation(key)
        self._check_readable(current)
        if as_of is not None:
            found = self.version_as_of(current.id, end_of_day(as_of))
            if found is None:
                raise NotFound(f"评价 {key} 在 {as_of.isoformat()} 尚未登记")
            version = found
        if version is None:
            return current
        if not 1 <= version <= current.version:
            raise InvalidInput(f"评价 {key} 的版本应在 1～{current.version} 之间（{version}）")
        past = self.app.find(current.id, Evaluation, version=version)
        if past is None:
            raise NotFound(f"评价 {key} 没有版本 {version}")
        return past

    def budget_at(
        self, department_code: str, fiscal_year: int, as_of: date | None = None
    ) -> Budget | None:
        budget = self.find_budget(department_code, fiscal_year)
        if budget is None or as_of is None:
            return budget
        found = self.version_as_of(budget.id, end_of_day(as_of))
        if found is None:
            return None
        return self.app.find(budget.id, Budget, version=found)

    def scorecard(
        self,
        key: str,
        *,
        version: int | None = None,
        as_of: date | None = None,
        stage: ScoreStage | None = None,
    ) -> Scorecard:
        """The evaluation's tree, scores, rule ranges, total and grade — at a point in time."""
        evaluation = self.evaluation_at(key, version=version, as_of=as_of)
        budget = self.budget_at(evaluation.department_code, evaluation.fiscal_year, as_of)
        return evaluation.scorecard(measure_lookup(evaluation, budget), stage)

    # -- scores ---------------------------------------------------------------------

    def set_score(
        self,
        key: str,
        code: str,
        value: Decimal,
        *,
        stage: ScoreStage,
        reason: str | None,
        inputs: Mapping[str, Any] | None = None,
        narrative: str | None = None,
    ) -> bool:
        """Enter or revise a leaf's score at a stage (a revision needs a reason)."""
        evaluation = self.get_evaluation(key)
        require(
            EVALUATION_PERMISSIONS["set_score"],
            current_principal(),
            department=evaluation.department_code,
            parent_of=self.app.parent_of,
            subject=f"（评价 {key}）",
            missing=f"评价 {key} 不存在",
        )
        changed = evaluation.set_score(
            code, stage, value, reason=reason, inputs=inputs, narrative=narrative
        )
        if changed:
            self.app.save_all(evaluation)
        return changed

    # -- budget ---------------------------------------------------------------------

    def check_budget_role(
        self,
        department_code: str,
        what: str = "",
        permission: str = "adjust_budget",
        fiscal_year: int | None = None,
    ) -> None:
        """May the acting principal adjust (or open) this department's budget? (NotAllowed if
        not; with the year, another department's budget reads as missing)"""
        require(
            BUDGET_PERMISSIONS[permission],
            current_principal(),
            department=department_code,
            parent_of=self.app.parent_of,
            subject=f" {department_code} 的预算{what}",
            missing=None if fiscal_year is None else _budget_missing(department_code, fiscal_year),
        )

    def open_budget(
        self, department_code: str, fiscal_year: int, *, unit: str, lines: list[dict[str, Any]]
    ) -> Budget:
        """年初预算 of a year not yet recorded (BUREAU): lines of code, name, initial."""
        self.check_budget_role(department_code, f"（{fiscal_year} 年度）", "open_budget")
        where = f"预算 {department_code}/{fiscal_year}"
        self.app.get_department(department_code)
        if self.find_budget(department_code, fiscal_year) is not None:
            raise InvalidInput(f"{where} 已登记：调整请用 rectify budget adjust")
        if unit not in BUDGET_UNITS:
            raise InvalidInput(f"{where}：金额单位 {unit!r} 应为 {'或'.join(BUDGET_UNITS)}")
        if not lines:
            raise InvalidInput(f"{where}：至少要有一个预算行")
        Budget.validate_lines(department_code, fiscal_year, lines)
        for ln in lines:
            if not str(ln.get("name") or "").strip():
                raise InvalidInput(f"{where}：预算行 {ln['code']} 没有名称")
            if ln["initial"] < 0 or ln["initial"] * BUDGET_UNITS[unit] > MAX_AMOUNT_YUAN:
                raise InvalidInput(f"{where}：预算行 {ln['code']} 的金额 {ln['initial']} 超出范围")
        budget = Budget(
            department_code=department_code,
            fiscal_year=fiscal_year,
            unit=unit,
            lines=lines,
            sources=None,
            stated={},
        )
        self.app.save_all(budget)
        return budget

    def adjust_budget(
        self,
        department_code: str,
        fiscal_year: int,
        *,
        line: str,
        amount: Decimal,
        reason: str,
        on: date | None = None,
        document: str | None = None,
    ) -> Budget:
        """追加/调减 one budget line (BUREAU, or the department itself)."""
        self.check_budget_role(department_code, fiscal_year=fiscal_year)
        budget = self.get_budget(department_code, fiscal_year)
        budget.adjust(line, amount, reason=reason, on=on, document=document)
        self.app.save_all(budget)
        return budget


def _budget_missing(department_code: str, fiscal_year: int) -> str:
    return f"部门 {department_code} {fiscal_year} 年度的预算不存在"
