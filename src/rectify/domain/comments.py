"""The comment round (征求意见) on a draft evaluation: one round per evaluation.

The bureau or the evaluator sends the draft (its scores and findings) to the department
with a reply deadline (`Opened`). The department answers per finding or per score —
agrees, or disagrees with reasons and evidence (`ReplyRecorded`); a reply after the
deadline is recorded as late, not refused, unless the round is closed. The evaluator
responds to each reply (`ResponseRecorded`): accepted → the score is revised or the
finding withdrawn with that reason (saved together with this event); not accepted →
the reason is kept. Closing the round (`Closed`) fixes the final stage: every leaf's
counted score is entered at stage `final` in the Evaluation.

Who may do what: `rectify.domain.permissions.COMMENT_PERMISSIONS`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound

__all__ = ["SUBJECTS", "CommentRound"]


SUBJECTS = {"finding": "问题", "score": "得分"}


class CommentRound(RectifyAggregate):
    TOPIC = "rectify/CommentRound"

    @staticmethod
    def create_id(evaluation_key: str) -> UUID:
        return derived_id("comment-round", evaluation_key)

    @event("Opened", topic="rectify/CommentRound.Opened")
    def __init__(
        self, evaluation_key: str, department_code: str, sent_on: date, deadline: date
    ) -> None:
        self.evaluation_key = evaluation_key
        self.department_code = department_code
        self.sent_on = sent_on
        self.deadline = deadline
        self.replies: dict[str, dict[str, Any]] = {}
        self.closed_on: date | None = None

    @staticmethod
    def validate_open(sent_on: date, deadline: date) -> None:
        if deadline < sent_on:
            raise InvalidInput(f"回复期限 {deadline} 早于发送日期 {sent_on}")

    # -- commands ---------------------------------------------------------------------

    def reply(
        self,
        kind: str,
        subject: str,
        agrees: bool,
        reasons: str | None,
        evidence: list[str],
        replied_on: date,
        proposed: Decimal | None = None,
    ) -> str:
        if self.closed_on is not None:
            raise NotAllowed(
                f"评价 {self.evaluation_key} 的征求意见已于 {self.closed_on} 结束，不再接收回复"
            )
        if kind not in SUBJECTS:
            raise InvalidInput(f"回复对象应为 finding 或 score（{kind!r}）")
        if not agrees and not (reasons or "").strip():
            raise InvalidInput(f"对{SUBJECTS[kind]} {subject} 有异议须说明理由")
        if any(r["kind"] == kind and r["subject"] == subject for r in self.replies.values()):
            raise InvalidInput(f"已回复过{SUBJECTS[kind]} {subject}")
        reply_id = f"R{len(self.replies) + 1}"
        self._reply_recorded(
            reply_id=reply_id,
            kind=kind,
            subject=subject,
            agrees=agrees,
            reasons=(reasons or "").strip() or None,
            evidence=evidence,
            proposed=proposed,
            replied_on=replied_on,
            late=replied_on > self.deadline,
        )
        return reply_id

    def respond(self, reply_id: str, accepted: bool, reason: str) -> dict[str, Any]:
        reply = self.replies.get(reply_id)
        if reply is None:
            raise NotFound(
                f"征求意见回复 {reply_id} 不存在（已有：{'、'.join(self.replies) or '无'}）"
            )
        if reply["response"] is not None:
            raise InvalidInput(f"回复 {reply_id} 已答复")
        if not reason or not reason.strip():
            raise InvalidInput(f"答复 {reply_id} 须说明理由（采纳或不采纳的依据）")
        self._response_recorded(reply_id=reply_id, accepted=accepted, reason=reason.strip())
        return reply

    def close(self, closed_on: date) -> None:
        if self.closed_on is not None:
            raise InvalidInput(f"征求意见已于 {self.closed_on} 结束")
        open_ = [r for r, v in self.replies.items() if not v["agrees"] and v["response"] is None]
        if open_:
            raise InvalidInput(f"尚有异议未答复：{'、'.join(open_)}")
        self._closed(closed_on=closed_on)

    # -- events -----------------------------------------------------------------------

    @event("ReplyRecorded", topic="rectify/CommentRound.ReplyRecorded")
    def _reply_recorded(
        self,
        reply_id: str,
        kind: str,
        subject: str,
        agrees: bool,
        reasons: str | None,
        evidence: list[str],
        proposed: Decimal | None,
        replied_on: date,
        late: bool,
    ) -> None:
        self.replies[reply_id] = {
            "id": reply_id,
            "kind": kind,
            "subject": subject,
            "agrees": agrees,
            "reasons": reasons,
            "evidence": evidence,
            "proposed": proposed,
            "replied_on": replied_on,
            "late": late,
            "response": None,
        }

    @event("ResponseRecorded", topic="rectify/CommentRound.ResponseRecorded")
    def _response_recorded(self, reply_id: str, accepted: bool, reason: str) -> None:
        self.replies[reply_id]["response"] = {"accepted": accepted, "reason": reason}

    @event("Closed", topic="rectify/CommentRound.Closed")
    def _closed(self, closed_on: date) -> None:
        self.closed_on = closed_on
