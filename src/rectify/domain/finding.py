"""Finding (问题): one item of a problem list (问题清单) and its rectification.

The Recorded event carries everything a package or a person states about the finding,
so later lifecycle events (issued, measures, closure...) only add to it. Which action
is allowed in which state, and for which role, is the table in `lifecycle.py`; every
public method here checks it (with the acting principal's role) before recording.
Scope (a department acting only on its own findings) is checked by the commands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput, NotAllowed
from rectify.domain.identity import current_principal
from rectify.domain.lifecycle import STATUS_LABELS, Action, FindingStatus, check
from rectify.domain.vocabulary import RectificationClass

__all__ = [
    "Extension",
    "Finding",
    "FindingStatus",
    "ProgressReport",
    "RectificationClass",
    "find_repeats",
    "is_repeat",
]


@dataclass(frozen=True)
class ProgressReport:
    text: str
    percent: int
    as_of: date


@dataclass(frozen=True)
class Extension:
    old_due: date
    new_due: date
    reason: str


def _required(ref: str, value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise InvalidInput(f"问题 {ref}：{what}不能为空")
    return value.strip()


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
        # Lifecycle state, filled by later events.
        self.issued_on: date | None = None
        self.requirements: str | None = None
        self.re_review_on: date | None = None
        self.measures: list[str] = []
        self.responsible_person: str | None = None
        self.progress: list[ProgressReport] = []
        self.evidence_ids: list[UUID] = []
        self.closure_evidence_ids: tuple[UUID, ...] = ()
        self.extensions: list[Extension] = []
        self.carried_years: list[int] = []
        self.repeat_of: list[str] = []
        self.reopen_count = 0

    @staticmethod
    def validate_new(ref: str, title: str, amount: Decimal | None) -> None:
        if not ref.strip():
            raise InvalidInput("问题编号 ref 不能为空")
        if not title.strip():
            raise InvalidInput(f"问题 {ref}：标题不能为空")
        if amount is not None and amount < 0:
            raise InvalidInput(f"问题 {ref}：涉及金额不能为负数（{amount}）")

    # -- derived ------------------------------------------------------------------

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def extension_count(self) -> int:
        return len(self.extensions)

    def _check(self, action: Action) -> FindingStatus:
        return check(self.status, action, current_principal().role, ref=self.ref)

    # -- issue --------------------------------------------------------------------

    def issue(
        self,
        *,
        rectification_class: RectificationClass,
        issued_on: date,
        due: date | None,
        re_review_on: date | None,
        requirements: str,
    ) -> None:
        """下发: to the responsible unit, with class, deadline and requirements (整改要求)."""
        self._check(Action.ISSUE)
        requirements = _required(self.ref, requirements, "整改要求")
        if rectification_class is RectificationClass.LONG_TERM:
            if due is None and re_review_on is None:
                raise InvalidInput(f"问题 {self.ref}：持续整改须给出整改时限或复核日期")
        elif due is None:
            raise InvalidInput(f"问题 {self.ref}：下发时必须给出整改时限")
        if due is not None and due < issued_on:
            raise InvalidInput(
                f"问题 {self.ref}：整改时限 {due.isoformat()} 早于下发日期 {issued_on.isoformat()}"
            )
        if re_review_on is not None and re_review_on <= issued_on:
            raise InvalidInput(
                f"问题 {self.ref}：复核日期 {re_review_on.isoformat()} 须晚于下发日期 {issued_on.isoformat()}"
            )
        self._issued(
            rectification_class=rectification_class,
            issued_on=issued_on,
            due=due,
            re_review_on=re_review_on,
            requirements=requirements,
        )

    @event("Issued", topic="rectify/Finding.Issued")
    def _issued(
        self,
        rectification_class: RectificationClass,
        issued_on: date,
        due: date | None,
        re_review_on: date | None,
        requirements: str,
    ) -> None:
        self.rectification_class = rectification_class
        self.issued_on = issued_on
        self.due = due
        self.re_review_on = re_review_on
        self.requirements = requirements
        self.status = FindingStatus.ISSUED

    # -- the department's work ----------------------------------------------------

    def record_measures(self, measures: str) -> None:
        """整改措施."""
        self._check(Action.RECORD_MEASURES)
        self._measures_recorded(measures=_required(self.ref, measures, "整改措施"))

    @event("MeasuresRecorded", topic="rectify/Finding.MeasuresRecorded")
    def _measures_recorded(self, measures: str) -> None:
        self.measures.append(measures)

    def name_responsible_person(self, person: str) -> None:
        self._check(Action.NAME_RESPONSIBLE)
        person = _required(self.ref, person, "责任人")
        if person == self.responsible_person:
            raise InvalidInput(f"问题 {self.ref}：责任人已是 {person}")
        self._responsible_person_named(person=person)

    @event("ResponsiblePersonNamed", topic="rectify/Finding.ResponsiblePersonNamed")
    def _responsible_person_named(self, person: str) -> None:
        self.responsible_person = person

    def report_progress(self, text: str, percent: int, as_of: date) -> None:
        self._check(Action.REPORT_PROGRESS)
        text = _required(self.ref, text, "整改进展说明")
        if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            raise InvalidInput(f"问题 {self.ref}：完成比例须为 0–100 的整数（收到 {percent!r}）")
        if self.issued_on is not None and as_of < self.issued_on:
            raise InvalidInput(
                f"问题 {self.ref}：进展日期 {as_of.isoformat()} 早于下发日期 {self.issued_on.isoformat()}"
            )
        self._progress_reported(text=text, percent=percent, as_of=as_of)

    @event("ProgressReported", topic="rectify/Finding.ProgressReported")
    def _progress_reported(self, text: str, percent: int, as_of: date) -> None:
        self.progress.append(ProgressReport(text=text, percent=percent, as_of=as_of))

    def attach_evidence(self, evidence_id: UUID) -> None:
        self._check(Action.ATTACH_EVIDENCE)
        if evidence_id in self.evidence_ids:
            raise InvalidInput(f"问题 {self.ref}：佐证材料 {evidence_id} 已附过")
        self._evidence_attached(evidence_id=evidence_id)

    @event("EvidenceAttached", topic="rectify/Finding.EvidenceAttached")
    def _evidence_attached(self, evidence_id: UUID) -> None:
        self.evidence_ids.append(evidence_id)

    def request_closure(self, evidence_ids: Iterable[UUID], note: str | None = None) -> None:
        """申请销号 with evidence; evidence not yet attached is attached first."""
        self._check(Action.REQUEST_CLOSURE)
        ids = tuple(dict.fromkeys(evidence_ids))
        if not ids:
            raise InvalidInput(f"问题 {self.ref}：申请销号须附至少一份佐证材料")
        for evidence_id in ids:
            if evidence_id not in self.evidence_ids:
                self._evidence_attached(evidence_id=evidence_id)
        self._closure_requested(evidence_ids=ids, reason=note)

    @event("ClosureRequested", topic="rectify/Finding.ClosureRequested")
    def _closure_requested(self, evidence_ids: tuple[UUID, ...], reason: str | None) -> None:
        self.closure_evidence_ids = tuple(evidence_ids)
        self.status = FindingStatus.CLOSURE_REQUESTED

    # -- the bureau's review ------------------------------------------------------

    def close(self, reason: str | None = None) -> None:
        """销号."""
        self._check(Action.CLOSE)
        self._closed(reason=reason.strip() if reason and reason.strip() else None)

    @event("Closed", topic="rectify/Finding.Closed")
    def _closed(self, reason: str | None) -> None:
        self.status = FindingStatus.CLOSED

    def return_for_rework(self, reason: str) -> None:
        """退回, with the reason the evidence or the rectification is not enough."""
        self._check(Action.RETURN)
        self._returned(reason=_required(self.ref, reason, "退回理由"))

    @event("Returned", topic="rectify/Finding.Returned")
    def _returned(self, reason: str) -> None:
        self.status = FindingStatus.RETURNED

    def extend_deadline(self, new_due: date, reason: str) -> None:
        self._check(Action.EXTEND_DEADLINE)
        reason = _required(self.ref, reason, "延期理由")
        if self.due is None:
            raise NotAllowed(f"问题 {self.ref}：没有整改时限（{self.status_label}），无法延期")
        if new_due <= self.due:
            raise InvalidInput(
                f"问题 {self.ref}：新时限 {new_due.isoformat()} 须晚于原时限 {self.due.isoformat()}"
            )
        self._deadline_extended(old_due=self.due, new_due=new_due, reason=reason)

    @event("DeadlineExtended", topic="rectify/Finding.DeadlineExtended")
    def _deadline_extended(self, old_due: date, new_due: date, reason: str) -> None:
        self.extensions.append(Extension(old_due=old_due, new_due=new_due, reason=reason))
        self.due = new_due

    def accept_long_term(self, re_review_on: date, on: date, reason: str | None = None) -> None:
        """转为持续整改: a re-review date instead of a close (also: the next re-review)."""
        self._check(Action.ACCEPT_LONG_TERM)
        if re_review_on <= on:
            raise InvalidInput(
                f"问题 {self.ref}：复核日期 {re_review_on.isoformat()} 须晚于今天 {on.isoformat()}"
            )
        self._accepted_as_long_term(
            re_review_on=re_review_on, reason=reason.strip() if reason and reason.strip() else None
        )

    @event("AcceptedAsLongTerm", topic="rectify/Finding.AcceptedAsLongTerm")
    def _accepted_as_long_term(self, re_review_on: date, reason: str | None) -> None:
        # The old due date stays for the record; a long-term finding is not overdue
        # by it — its re-review date is what the scheduler watches.
        self.rectification_class = RectificationClass.LONG_TERM
        self.re_review_on = re_review_on
        self.status = FindingStatus.LONG_TERM

    def reopen(self, reason: str) -> None:
        """重新打开 after closure (虚假整改, recurrence); history is kept."""
        self._check(Action.REOPEN)
        self._reopened(reason=_required(self.ref, reason, "重新打开的理由"))

    @event("Reopened", topic="rectify/Finding.Reopened")
    def _reopened(self, reason: str) -> None:
        self.reopen_count += 1
        self.status = FindingStatus.ISSUED

    def carry_over(self, year: int, reason: str | None = None) -> None:
        """结转: the same finding (same ref, same history) followed up in a later year."""
        self._check(Action.CARRY_OVER)
        latest = max([self.fiscal_year, *self.carried_years])
        if year <= latest:
            raise InvalidInput(f"问题 {self.ref}：结转年度 {year} 须晚于 {latest} 年度")
        self._carried_over(year=year, reason=reason.strip() if reason and reason.strip() else None)

    @event("CarriedOver", topic="rectify/Finding.CarriedOver")
    def _carried_over(self, year: int, reason: str | None) -> None:
        self.carried_years.append(year)

    def withdraw(self, reason: str) -> None:
        """撤销: recorded in error."""
        self._check(Action.WITHDRAW)
        self._withdrawn(reason=_required(self.ref, reason, "撤销理由"))

    @event("Withdrawn", topic="rectify/Finding.Withdrawn")
    def _withdrawn(self, reason: str) -> None:
        self.status = FindingStatus.WITHDRAWN

    def link_repeat(self, earlier: FindingFacts) -> None:
        """屡查屡犯: this finding repeats `earlier` (same department, an earlier year)."""
        self._check(Action.LINK_REPEAT)
        if earlier.ref == self.ref:
            raise InvalidInput(f"问题 {self.ref}：不能与自身关联")
        if earlier.ref in self.repeat_of:
            raise InvalidInput(f"问题 {self.ref}：已与 {earlier.ref} 关联")
        if earlier.department_code != self.department_code:
            raise InvalidInput(
                f"问题 {self.ref}：{earlier.ref} 属于部门 {earlier.department_code}，"
                f"不是本问题的部门 {self.department_code}"
            )
        if earlier.fiscal_year >= self.fiscal_year:
            raise InvalidInput(
                f"问题 {self.ref}：{earlier.ref} 是 {earlier.fiscal_year} 年度的问题，"
                f"不早于本问题的 {self.fiscal_year} 年度"
            )
        self._repeat_linked(earlier_ref=earlier.ref)

    @event("RepeatLinked", topic="rectify/Finding.RepeatLinked")
    def _repeat_linked(self, earlier_ref: str) -> None:
        self.repeat_of.append(earlier_ref)


class FindingFacts(Protocol):
    """What repeat detection needs; a Finding or a read-model row both qualify."""

    @property
    def ref(self) -> str: ...
    @property
    def department_code(self) -> str: ...
    @property
    def fiscal_year(self) -> int: ...
    @property
    def category(self) -> str: ...
    @property
    def indicator_codes(self) -> tuple[str, ...]: ...
    @property
    def status(self) -> FindingStatus: ...


F = TypeVar("F", bound=FindingFacts)


def is_repeat(new: FindingFacts, earlier: FindingFacts) -> bool:
    """Same department, an earlier fiscal year, and same category or a shared indicator."""
    if earlier.ref == new.ref or earlier.status is FindingStatus.WITHDRAWN:
        return False
    if earlier.department_code != new.department_code:
        return False
    if earlier.fiscal_year >= new.fiscal_year:
        return False
    same_category = earlier.category.strip() == new.category.strip() != ""
    shared_indicator = bool(set(earlier.indicator_codes) & set(new.indicator_codes))
    return same_category or shared_indicator


def find_repeats(new: FindingFacts, earlier_findings: Iterable[F]) -> list[F]:
    """The earlier findings `new` repeats (屡查屡犯), oldest year first."""
    found = [e for e in earlier_findings if is_repeat(new, e)]
    return sorted(found, key=lambda e: (e.fiscal_year, e.ref))
