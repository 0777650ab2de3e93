"""The result-application service (结果应用): set the policy, decide per evaluation.
Roles: `permissions.RESULT_PERMISSIONS` (BUREAU only)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rectify.domain.application import RectifyApp
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound
from rectify.domain.identity import current_principal
from rectify.domain.permissions import RESULT_PERMISSIONS, require
from rectify.domain.results import CONSEQUENCES, Band, ResultDecision, ResultPolicy
from rectify.domain.services.evaluations import EvaluationService

POLICY = "default"


class ResultService:
    def __init__(self, app: RectifyApp, evaluations: EvaluationService) -> None:
        self.app = app
        self.evaluations = evaluations

    @staticmethod
    def _check(action: str) -> None:
        require(RESULT_PERMISSIONS[action], current_principal())

    def get_policy(self) -> ResultPolicy:
        found = self.app.find(ResultPolicy.create_id(POLICY), ResultPolicy)
        if found is None or not found.bands:
            raise NotFound("尚未设定结果应用政策：请先 `rectify results policy`")
        return found

    def set_policy(self, bands: Sequence[Band], reason: str) -> ResultPolicy:
        self._check("set_policy")
        found = self.app.find(ResultPolicy.create_id(POLICY), ResultPolicy)
        policy = found if found is not None else ResultPolicy(name=POLICY)
        policy.set(bands, reason)
        self.app.save_all(policy)
        return policy

    def decide(
        self,
        key: str,
        *,
        reason: str,
        consequence: str | None = None,
        share: Decimal | None = None,
        budget_year: int | None = None,
    ) -> ResultDecision:
        """The decision for one evaluation: the policy's consequence for its total,
        unless the bureau departs from it (with the reason)."""
        self._check("decide")
        if not reason or not reason.strip():
            raise InvalidInput("结果应用决定须说明理由")
        if self.app.find(ResultDecision.create_id(key), ResultDecision) is not None:
            raise NotAllowed(f"评价 {key} 的结果应用已决定")
        evaluation = self.evaluations.get_evaluation(key)
        card = self.evaluations.scorecard(key)
        band = self.get_policy().band_for(card.total)
        if band is None:
            raise InvalidInput(f"结果应用政策没有覆盖总分 {card.total} 的等级")
        chosen = consequence or band.consequence
        if chosen not in CONSEQUENCES:
            raise InvalidInput(f"后果 {chosen!r} 未知（应为 {'、'.join(CONSEQUENCES)}）")
        cut = share if share is not None else (band.share if chosen == band.consequence else None)
        if chosen == "cut" and (cut is None or not 0 < cut <= 100):
            raise InvalidInput("核减须给出比例 --share（0～100，%）")
        project = evaluation.project or {}
        decision = ResultDecision(
            evaluation_key=key,
            department_code=evaluation.department_code,
            project_code=project.get("code"),
            fiscal_year=evaluation.fiscal_year,
            budget_year=budget_year or evaluation.fiscal_year + 1,
            total=card.total,
            grade=card.grade or band.grade,
            consequence=chosen,
            share=cut if chosen == "cut" else None,
            reason=reason.strip(),
        )
        self.app.save_all(decision)
        return decision
