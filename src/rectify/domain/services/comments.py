"""The comment-round service (征求意见): open, reply, respond, close. One service on the
one Application; an accepted reply changes the score or withdraws the finding in the
same save as the response, and closing fixes the final stage in the same save."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rectify.domain.application import RectifyApp
from rectify.domain.clock import Clock
from rectify.domain.comments import CommentRound
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound
from rectify.domain.evaluation import Evaluation, ScoreStage
from rectify.domain.finding import Finding
from rectify.domain.identity import current_principal
from rectify.domain.permissions import COMMENT_PERMISSIONS, require
from rectify.domain.services.evaluations import EvaluationService
from rectify.domain.services.findings import FindingService


class CommentService:
    def __init__(
        self,
        app: RectifyApp,
        clock: Clock,
        evaluations: EvaluationService,
        findings: FindingService,
    ) -> None:
        self.app = app
        self.clock = clock
        self.evaluations = evaluations
        self.findings = findings

    def _check(self, action: str, department_code: str, key: str) -> None:
        require(
            COMMENT_PERMISSIONS[action],
            current_principal(),
            department=department_code,
            parent_of=self.app.parent_of,
            missing=f"评价 {key} 尚未征求意见",  # another department's round reads as none
        )

    def get_round(self, key: str) -> CommentRound:
        return self.app.load(CommentRound.create_id(key), CommentRound, f"评价 {key} 尚未征求意见")

    def open_round(self, key: str, deadline: date, sent_on: date | None = None) -> CommentRound:
        evaluation = self.evaluations.get_evaluation(key)
        self._check("open_round", evaluation.department_code, key)
        if self.app.find(CommentRound.create_id(key), CommentRound) is not None:
            raise NotAllowed(f"评价 {key} 已发送征求意见稿")
        sent = sent_on or self.clock.today()
        CommentRound.validate_open(sent, deadline)
        round_ = CommentRound(
            evaluation_key=key,
            department_code=evaluation.department_code,
            sent_on=sent,
            deadline=deadline,
        )
        self.app.save_all(round_)
        return round_

    def reply(
        self,
        key: str,
        kind: str,
        subject: str,
        *,
        agrees: bool,
        reasons: str | None = None,
        evidence: tuple[str, ...] = (),
        proposed: Decimal | None = None,
        replied_on: date | None = None,
    ) -> str:
        round_ = self.get_round(key)
        self._check("reply", round_.department_code, key)
        evaluation = self.evaluations.get_evaluation(key)
        if kind == "score" and subject not in evaluation.leaf_codes:
            raise NotFound(f"评价 {key} 没有末级指标 {subject}")
        if kind == "finding":
            finding = self.app.find(Finding.create_id(subject), Finding)
            if finding is None or finding.evaluation_key != key:
                raise NotFound(f"评价 {key} 没有问题 {subject}")
        reply_id = round_.reply(
            kind,
            subject,
            agrees,
            reasons,
            list(evidence),
            replied_on or self.clock.today(),
            proposed,
        )
        self.app.save_all(round_)
        return reply_id

    def respond(
        self, key: str, reply_id: str, *, accepted: bool, reason: str, score: Decimal | None = None
    ) -> None:
        round_ = self.get_round(key)
        self._check("respond", round_.department_code, key)
        reply = round_.respond(reply_id, accepted, reason)
        changed: list[Evaluation | Finding] = []
        if accepted and reply["kind"] == "score":
            value = score if score is not None else reply["proposed"]
            if value is None:
                raise InvalidInput(
                    f"采纳对得分 {reply['subject']} 的意见须给出修改后的得分 --score"
                )
            evaluation = self.evaluations.get_evaluation(key)
            evaluation.set_score(
                reply["subject"],
                evaluation.stage,
                value,
                reason=f"征求意见采纳（{reply_id}）：{reason}",
            )
            changed.append(evaluation)
        elif accepted and reply["kind"] == "finding":
            finding = self.findings.get_finding(reply["subject"])
            finding.withdraw(f"征求意见采纳（{reply_id}）：{reason}")
            changed.append(finding)
        self.app.save_all(round_, *changed)

    def close_round(self, key: str, closed_on: date | None = None) -> int:
        """End the round and fix the final stage: each leaf's counted score at `final`."""
        round_ = self.get_round(key)
        self._check("close_round", round_.department_code, key)
        round_.close(closed_on or self.clock.today())
        evaluation = self.evaluations.get_evaluation(key)
        fixed = 0
        for code in evaluation.leaf_codes:
            counted = evaluation.counted(code)
            if counted is not None and counted[0] is not ScoreStage.FINAL:
                evaluation.set_score(
                    code, ScoreStage.FINAL, counted[1].value, reason="征求意见结束，定稿"
                )
                fixed += 1
        self.app.save_all(round_, evaluation)
        return fixed
