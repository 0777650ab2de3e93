"""Evaluation and budget commands, as a mixin for RectifyApp.

Roles (the application layer checks them, so every entry point obeys the same rules):
- scores: the Evaluation aggregate checks them (EVALUATOR and BUREAU score every stage;
  DEPARTMENT only its own self-evaluation);
- budget facts: BUREAU, or DEPARTMENT for its own department (`DEPARTMENT` bound to
  the budget's department code); EVALUATOR and AUDITOR may not.

States in the past (`as_of` a date, or `version` N) are rebuilt from the events up to
that point, never from the read models.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from rectify.domain.budget import Budget
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound
from rectify.domain.evaluation import Evaluation, Scorecard, ScoreStage, survey_figures
from rectify.domain.identity import Role, current_principal
from rectify.domain.scoring import MeasureLookup, Rounding, rounded_lookup, survey_measures

if TYPE_CHECKING:
    from eventsourcing.application import Repository
    from eventsourcing.domain import Aggregate

    class _AppBase:
        repository: Repository[UUID]

        def save_all(self, *aggregates: Aggregate) -> None: ...
        def get_or_none(self, aggregate_id: UUID) -> Any: ...

else:
    _AppBase = object

# Dates typed by users are Chinese calendar days.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
BUDGET_ROLES = frozenset({Role.BUREAU, Role.DEPARTMENT})


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in China time: events before it are 'as of' day."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)


def measure_lookup(
    evaluation: Evaluation, budget: Budget | None, rounding: Rounding | None = None
) -> MeasureLookup:
    """Computed measures for rules: budget, staffing and survey figures, rounded to
    the evaluation's places (rules read rates as printed)."""
    values: dict[str, Decimal | None] = dict(budget.measures()) if budget is not None else {}
    values.update(survey_measures([survey_figures(s) for s in evaluation.surveys]))
    return rounded_lookup(values, rounding or evaluation.rounding_policy)


class EvaluationCommands(_AppBase):
    """Mixed into RectifyApp; relies on its save_all/get_or_none/repository."""

    # -- loading ------------------------------------------------------------------

    def get_evaluation(self, key: str) -> Evaluation:
        evaluation = self.get_or_none(Evaluation.create_id(key))
        if not isinstance(evaluation, Evaluation):
            raise NotFound(f"评价 {key} 不存在")
        return evaluation

    def get_budget(self, department_code: str, fiscal_year: int) -> Budget:
        budget = self.get_or_none(Budget.create_id(department_code, fiscal_year))
        if not isinstance(budget, Budget):
            raise NotFound(f"部门 {department_code} {fiscal_year} 年度的预算不存在")
        return budget

    def version_as_of(self, aggregate_id: UUID, moment: datetime) -> int | None:
        """The aggregate's last version recorded before `moment` (None: not yet created)."""
        last: int | None = None
        for stored in self.repository.event_store.get(aggregate_id):
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
        if as_of is not None:
            found = self.version_as_of(current.id, end_of_day(as_of))
            if found is None:
                raise NotFound(f"评价 {key} 在 {as_of.isoformat()} 尚未登记")
            version = found
        if version is None:
            return current
        if not 1 <= version <= current.version:
            raise InvalidInput(f"评价 {key} 的版本应在 1～{current.version} 之间（{version}）")
        past: Any = self.repository.get(current.id, version=version)
        assert isinstance(past, Evaluation)
        return past

    def budget_at(
        self, department_code: str, fiscal_year: int, as_of: date | None = None
    ) -> Budget | None:
        budget = self.get_or_none(Budget.create_id(department_code, fiscal_year))
        if not isinstance(budget, Budget) or as_of is None:
            return budget if isinstance(budget, Budget) else None
        found = self.version_as_of(budget.id, end_of_day(as_of))
        if found is None:
            return None
        past: Any = self.repository.get(budget.id, version=found)
        assert isinstance(past, Budget)
        return past

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
        changed = evaluation.set_score(
            code, stage, value, reason=reason, inputs=inputs, narrative=narrative
        )
        if changed:
            self.save_all(evaluation)
        return changed

    # -- budget ---------------------------------------------------------------------

    def check_budget_role(self, department_code: str) -> None:
        principal = current_principal()
        if principal.role is Role.BUREAU:
            return
        if principal.role is Role.DEPARTMENT and principal.department == department_code:
            return
        raise NotAllowed(
            f"用户 {principal.name}（{principal.role.value}）不能记录部门 {department_code} 的预算"
            "（只有财政局与本部门可以）"
        )

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
        self.check_budget_role(department_code)
        budget = self.get_budget(department_code, fiscal_year)
        budget.adjust(line, amount, reason=reason, on=on, document=document)
        self.save_all(budget)
        return budget
