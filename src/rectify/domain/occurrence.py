"""Occurrence: one dated thing the clock noticed about a finding (reminder, overdue...).

Idempotent by construction: an occurrence's id is derived from (finding ref, kind,
for_date), and it is a one-event aggregate. A second writer — another scheduler, or a
scan re-run after a crash — creates the same id at version 1 and hits the event
store's uniqueness constraint, which the application treats as "already recorded".
No lock, no lease, no coordination table: the event store's own constraint decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id


class OccurrenceKind(Enum):
    REMINDER = "reminder"  # 到期提醒
    OVERDUE = "overdue"  # 逾期
    RE_REVIEW_DUE = "re_review_due"  # 持续整改到期复核
    REPORT_DUE = "report_due"  # 应报送整改情况
    REPORT_OVERDUE = "report_overdue"  # 整改情况逾期未报
    # Before a monitoring or self-evaluation report's due date; its ref is the plan's
    # DEPARTMENT/YEAR/PERIOD, not a finding's (so it is not on any finding's timeline).
    MONITORING_REMINDER = "monitoring_reminder"  # 绩效监控/自评报告到期提醒


def occurrence_id(ref: str, kind: OccurrenceKind, for_date: date) -> UUID:
    return derived_id("occurrence", f"{ref}|{kind.value}|{for_date.isoformat()}")


@dataclass(frozen=True)
class Due:
    """An occurrence the plan says is due: what, for which finding, for which date.

    `about` is the date it concerns (the due date a reminder is for, the report's
    deadline...), `for_date` the day it happens — never the day a scan ran.
    """

    kind: OccurrenceKind
    ref: str
    for_date: date
    about: date | None = None


class Occurrence(RectifyAggregate):
    TOPIC = "rectify/Occurrence"

    @staticmethod
    def create_id(ref: str, kind: OccurrenceKind, for_date: date) -> UUID:
        return occurrence_id(ref, kind, for_date)

    @event("Recorded", topic="rectify/Occurrence.Recorded")
    def __init__(
        self,
        ref: str,
        kind: OccurrenceKind,
        for_date: date,
        about: date | None,
        department_code: str,
        unit_code: str | None,
        title: str,
        policy_version: int,
    ) -> None:
        self.ref = ref
        self.kind = kind
        self.for_date = for_date
        self.about = about
        self.department_code = department_code
        self.unit_code = unit_code
        self.title = title
        self.policy_version = policy_version
