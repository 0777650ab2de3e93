"""Read model of comment rounds (征求意见): the round per evaluation and each reply with
the evaluator's response."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Date, String, Table, Text, select, update

from rectify.domain.errors import NotFound
from rectify.domain.identity import Principal, Role
from rectify.projections.metadata import DecimalText, metadata
from rectify.projections.projector import Handler, Projector

comment_rounds = Table(
    "comment_rounds",
    metadata,
    Column("evaluation_key", String(200), primary_key=True),
    Column("round_id", String(36), nullable=False, unique=True),
    Column("department_code", String(64), nullable=False, index=True),
    Column("sent_on", Date, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("closed_on", Date, nullable=True),
)

comment_replies = Table(
    "comment_replies",
    metadata,
    Column("evaluation_key", String(200), primary_key=True),
    Column("reply_id", String(16), primary_key=True),
    Column("kind", String(16), nullable=False),  # finding / score
    Column("subject", String(160), nullable=False),
    Column("agrees", Boolean, nullable=False),
    Column("reasons", Text, nullable=True),
    Column("evidence", Text, nullable=False),  # ids joined by ","
    Column("proposed", DecimalText, nullable=True),
    Column("replied_on", Date, nullable=False),
    Column("late", Boolean, nullable=False),
    Column("replied_by", Text, nullable=False),
    Column("accepted", Boolean, nullable=True),
    Column("response", Text, nullable=True),
    Column("responded_by", Text, nullable=True),
)


class CommentsProjector(Projector):
    name = "comments"
    tables = (comment_rounds, comment_replies)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "rectify/CommentRound.Opened": self.opened,
            "rectify/CommentRound.ReplyRecorded": self.replied,
            "rectify/CommentRound.ResponseRecorded": self.responded,
            "rectify/CommentRound.Closed": self.closed,
        }

    @staticmethod
    def _key(conn: Connection, event: Any) -> str:
        return str(
            conn.execute(
                select(comment_rounds.c.evaluation_key).where(
                    comment_rounds.c.round_id == str(event.originator_id)
                )
            ).scalar_one()
        )

    def opened(self, conn: Connection, event: Any) -> None:
        conn.execute(
            comment_rounds.insert().values(
                evaluation_key=event.evaluation_key,
                round_id=str(event.originator_id),
                department_code=event.department_code,
                sent_on=event.sent_on,
                deadline=event.deadline,
            )
        )

    def replied(self, conn: Connection, event: Any) -> None:
        conn.execute(
            comment_replies.insert().values(
                evaluation_key=self._key(conn, event),
                reply_id=event.reply_id,
                kind=event.kind,
                subject=event.subject,
                agrees=event.agrees,
                reasons=event.reasons,
                evidence=",".join(event.evidence),
                proposed=event.proposed,
                replied_on=event.replied_on,
                late=event.late,
                replied_by=event.actor,
            )
        )

    def responded(self, conn: Connection, event: Any) -> None:
        key = self._key(conn, event)
        conn.execute(
            update(comment_replies)
            .where(
                (comment_replies.c.evaluation_key == key)
                & (comment_replies.c.reply_id == event.reply_id)
            )
            .values(accepted=event.accepted, response=event.reason, responded_by=event.actor)
        )

    def closed(self, conn: Connection, event: Any) -> None:
        conn.execute(
            update(comment_rounds)
            .where(comment_rounds.c.round_id == str(event.originator_id))
            .values(closed_on=event.closed_on)
        )


@dataclass(frozen=True)
class RoundView:
    evaluation_key: str
    department_code: str
    sent_on: date
    deadline: date
    closed_on: date | None
    replies: tuple[dict[str, Any], ...]


def comment_round(conn: Connection, key: str, *, principal: Principal) -> RoundView:
    row = conn.execute(select(comment_rounds).where(comment_rounds.c.evaluation_key == key)).first()
    hidden = row is not None and (
        principal.role is Role.DEPARTMENT and principal.department != row.department_code
    )
    if row is None or hidden:  # another department's round reads as none
        raise NotFound(f"评价 {key} 尚未征求意见")
    replies = conn.execute(
        select(comment_replies)
        .where(comment_replies.c.evaluation_key == key)
        .order_by(comment_replies.c.replied_on, comment_replies.c.reply_id)
    ).all()
    keys = (
        "reply_id",
        "kind",
        "subject",
        "agrees",
        "reasons",
        "proposed",
        "replied_on",
        "late",
        "replied_by",
        "accepted",
        "response",
        "responded_by",
    )
    return RoundView(
        row.evaluation_key,
        row.department_code,
        row.sent_on,
        row.deadline,
        row.closed_on,
        tuple(
            {
                **{k: getattr(r, k) for k in keys},
                "evidence": [e for e in r.evidence.split(",") if e],
            }
            for r in replies
        ),
    )
