"""Finding (问题): one item of a problem list (问题清单) and its rectification.

The Recorded event carries everything a package or a person states about the finding,
so later lifecycle events (issued, measures, closure...) only add to it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput


class FindingStatus(Enum):
    RECORDED = "recorded"  # 已记录，待下发
    ISSUED = "issued"  # 已下发，整改中
    CLOSURE_REQUESTED = "closure_requested"  # 申请销号
    RETURNED = "returned"  # 退回
    CLOSED = "closed"  # 已销号
    LONG_TERM = "long_term"  # 持续整改
    WITHDRAWN = "withdrawn"  # 撤销（误记）


class RectificationClass(Enum):
    IMMEDIATE = "immediate"  # 立行立改
    PHASED = "phased"  # 分阶段整改
    LONG_TERM = "long_term"  # 持续整改


class Finding(RectifyAggregate):
    TOPIC = "rectify/Finding"

    @staticmethod
    def create_id(ref: str) -> UUID:
        return derived_id("finding", ref)

    @event("Recorded", topic="rectify/Finding.Recorded")
    def __init__(
        self,
        ref: str,
        department_code: str,
        unit_code: str | None,
        fiscal_year: int,
        evaluation_key: str | None,
        category: str,
        title: str,
        description: str,
        root_cause: str | None,
        indicator_codes: tuple[str, ...],
        amount: Decimal | None,
        amount_unit: str | None,
        suggestion: str | None,
        rectification_class: RectificationClass | None,
        due: date | None,
    ) -> None:
        self.ref = ref
        self.department_code = department_code
        self.unit_code = unit_code
        self.fiscal_year = fiscal_year
        self.evaluation_key = evaluation_key
        self.category = category
        self.title = title
        self.description = description
        self.root_cause = root_cause
        self.indicator_codes = tuple(indicator_codes)
        self.amount = amount
        self.amount_unit = amount_unit
        self.suggestion = suggestion
        self.rectification_class = rectification_class
        self.due = due
        self.status = FindingStatus.RECORDED

    @staticmethod
    def validate_new(ref: str, title: str, amount: Decimal | None) -> None:
        if not ref.strip():
            raise InvalidInput("问题编号 ref 不能为空")
        if not title.strip():
            raise InvalidInput(f"问题 {ref}：标题不能为空")
        if amount is not None and amount < 0:
            raise InvalidInput(f"问题 {ref}：涉及金额不能为负数（{amount}）")

    def change_status(self, status: FindingStatus, reason: str) -> None:
        if not reason.strip():
            raise InvalidInput(f"问题 {self.ref}：变更状态必须说明理由")
        if status == self.status:
            raise InvalidInput(f"问题 {self.ref}：状态已是 {status.value}")
        self._status_changed(status=status, reason=reason)

    @event("StatusChanged", topic="rectify/Finding.StatusChanged")
    def _status_changed(self, status: FindingStatus, reason: str) -> None:
        self.status = status
