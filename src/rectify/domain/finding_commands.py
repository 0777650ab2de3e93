"""Finding commands, as a mixin for RectifyApp.

Every command reads the acting principal, checks its scope (a department acts only on
its own findings, or its units'), loads, changes and saves. Which role may take which
action in which state is the Finding's lifecycle table; the commands add the checks
that need other aggregates (departments, evidence) and the deadline defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from rectify.domain.clock import Clock
from rectify.domain.deadlines import DeadlinePolicy
from rectify.domain.department import Department
from rectify.domain.errors import InvalidInput, NotAllowed
from rectify.domain.evidence import Evidence
from rectify.domain.finding import Finding, RectificationClass, find_repeats
from rectify.domain.identity import Principal, Role, current_principal
from rectify.domain.lifecycle import RECORD_ROLES, ROLE_LABELS

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate

    class _AppBase:
        def save_all(self, *aggregates: Aggregate) -> None: ...
        def get_or_none(self, aggregate_id: UUID) -> Any: ...
        def get_finding(self, ref: str) -> Finding: ...
        def get_department(self, code: str) -> Department: ...
        def get_evidence(self, evidence_id: UUID) -> Evidence: ...

        clock: Clock

else:
    _AppBase = object


def in_scope(
    principal: Principal,
    department_code: str,
    unit_code: str | None,
    parent_of: Callable[[str], str | None],
) -> bool:
    """Whether a department principal may act on something owned by department/unit.

    `parent_of(code) -> str | None` gives a unit's parent department code.
    """
    mine = principal.department
    if mine is None:
        return False
    if mine in (department_code, unit_code):
        return True
    return unit_code is not None and parent_of(unit_code) == mine


def not_after_today(day: date, today: date, what: str) -> None:
    """Something already done (issued, reported, evidenced) cannot be dated later than today."""
    if day > today:
        raise InvalidInput(f"{what} {day.isoformat()} 在今天（{today.isoformat()}）之后")


class FindingCommands(_AppBase):
    """Mixed into RectifyApp; relies on its save_all/get_or_none/get_finding."""

    deadline_policy: DeadlinePolicy = DeadlinePolicy()

    # -- helpers --------------------------------------------------------------------

    def _parent_of(self, code: str) -> str | None:
        department = self.get_or_none(Department.create_id(code))
        return department.parent_code if isinstance(department, Department) else None

    def _check_scope(self, principal: Principal, finding: Finding) -> None:
        if principal.role is not Role.DEPARTMENT:
            return
        if not in_scope(principal, finding.department_code, finding.unit_code, self._parent_of):
            owner = finding.department_code + (f"/{finding.unit_code}" if finding.unit_code else "")
            raise NotAllowed(
                f"问题 {finding.ref} 属于 {owner}，不在 {principal.name}"
                f"（部门 {principal.department}）的范围内"
            )

    def _finding_for_action(self, ref: str) -> Finding:
        finding = self.get_finding(ref)
        self._check_scope(current_principal(), finding)
        return finding

    def _change(self, ref: str, change: Any) -> Finding:
        finding = self._finding_for_action(ref)
        change(finding)
        self.save_all(finding)
        return finding

    # -- recording ------------------------------------------------------------------

    def record_finding(
        self,
        *,
        ref: str,
        department_code: str,
        fiscal_year: int,
        category: str,
        title: str,
        description: str,
        unit_code: str | None = None,
        evaluation_key: str | None = None,
        root_cause: str | None = None,
        indicator_codes: Sequence[str] = (),
        amount: Decimal | None = None,
        amount_unit: str | None = None,
        suggestion: str | None = None,
        rectification_class: RectificationClass | None = None,
        due: date | None = None,
    ) -> UUID:
        """Record a finding by hand (EVALUATOR or BUREAU)."""
        principal = current_principal()
        if principal.role not in RECORD_ROLES:
            raise NotAllowed(
                f"{ROLE_LABELS[principal.role]}用户 {principal.name} 不能记录问题（只有评价机构、财政局可以）"
            )
        ref = ref.strip()
        Finding.validate_new(ref, title, amount)
        if self.get_or_none(Finding.create_id(ref)) is not None:
            raise InvalidInput(f"问题 {ref} 已存在")
        self.get_department(department_code)
        if unit_code is not None:
            self.get_department(unit_code)
        finding = Finding(
            ref=ref,
            department_code=department_code,
            unit_code=unit_code,
            fiscal_year=fiscal_year,
            evaluation_key=evaluation_key,
            category=category.strip(),
            title=title.strip(),
            description=description.strip(),
            root_cause=root_cause,
            indicator_codes=tuple(indicator_codes),
            amount=amount,
            amount_unit=amount_unit,
            suggestion=suggestion,
            rectification_class=rectification_class,
            due=due,
        )
        self.save_all(finding)
        return finding.id

    # -- bureau ---------------------------------------------------------------------

    def issue_finding(
        self,
        ref: str,
        *,
        rectification_class: RectificationClass,
        requirements: str,
        issued_on: date | None = None,
        due: date | None = None,
        re_review_on: date | None = None,
    ) -> Finding:
        """下发. A due / re-review date not given comes from `deadline_policy`."""
        issued_on = issued_on or self.clock.today()
        not_after_today(issued_on, self.clock.today(), "下发日期")
        finding = self._finding_for_action(ref)
        # Whatever the bureau did not state comes from the policy (each date separately).
        if due is None or re_review_on is None:
            default = self.deadline_policy.deadline(rectification_class, issued_on)
            due = due if due is not None else default.due
            re_review_on = re_review_on if re_review_on is not None else default.re_review_on
        finding.issue(
            rectification_class=rectification_class,
            issued_on=issued_on,
            due=due,
            re_review_on=re_review_on,
            requirements=requirements,
        )
        self.save_all(finding)
        return finding

    def close_finding(self, ref: str, reason: str | None = None) -> Finding:
        return self._change(ref, lambda f: f.close(reason))

    def return_finding(self, ref: str, reason: str) -> Finding:
        return self._change(ref, lambda f: f.return_for_rework(reason))

    def extend_deadline(self, ref: str, new_due: date, reason: str) -> Finding:
        return self._change(ref, lambda f: f.extend_deadline(new_due, reason))

    def accept_long_term(
        self, ref: str, re_review_on: date, reason: str | None = None, on: date | None = None
    ) -> Finding:
        today = on or self.clock.today()
        return self._change(ref, lambda f: f.accept_long_term(re_review_on, today, reason))

    def reopen_finding(self, ref: str, reason: str) -> Finding:
        return self._change(ref, lambda f: f.reopen(reason))

    def carry_over_finding(self, ref: str, year: int, reason: str | None = None) -> Finding:
        return self._change(ref, lambda f: f.carry_over(year, reason))

    def withdraw_finding(self, ref: str, reason: str) -> Finding:
        return self._change(ref, lambda f: f.withdraw(reason))

    def link_repeat(self, ref: str, earlier_ref: str) -> Finding:
        earlier = self.get_finding(earlier_ref)
        return self._change(ref, lambda f: f.link_repeat(earlier))

    def repeats_among(self, ref: str, candidate_refs: Iterable[str]) -> list[str]:
        """Which of the candidates (e.g. from the read model) `ref` repeats."""
        new = self.get_finding(ref)
        candidates = [
            f
            for r in candidate_refs
            if isinstance(f := self.get_or_none(Finding.create_id(r)), Finding)
        ]
        return [f.ref for f in find_repeats(new, candidates)]

    # -- department -----------------------------------------------------------------

    def record_measures(self, ref: str, measures: str) -> Finding:
        return self._change(ref, lambda f: f.record_measures(measures))

    def name_responsible_person(self, ref: str, person: str) -> Finding:
        return self._change(ref, lambda f: f.name_responsible_person(person))

    def report_progress(
        self, ref: str, text: str, percent: int, as_of: date | None = None
    ) -> Finding:
        day = as_of or self.clock.today()
        not_after_today(day, self.clock.today(), "进展日期")
        return self._change(ref, lambda f: f.report_progress(text, percent, day))

    def _evidence_for(self, ref: str, evidence_id: UUID) -> Evidence:
        # Scoped: evidence the actor may not read cannot be attached (and reads as absent).
        evidence = self.get_evidence(evidence_id)
        if evidence.finding_ref is not None and evidence.finding_ref != ref:
            raise InvalidInput(
                f"佐证材料 {evidence.original_name}（{evidence_id}）是为问题 {evidence.finding_ref} 提交的，"
                f"不能附到问题 {ref}"
            )
        return evidence

    def attach_evidence(self, ref: str, evidence_id: UUID) -> Finding:
        finding = self._finding_for_action(ref)
        self._evidence_for(finding.ref, evidence_id)
        finding.attach_evidence(evidence_id)
        self.save_all(finding)
        return finding

    def request_closure(
        self, ref: str, evidence_ids: Iterable[UUID], note: str | None = None
    ) -> Finding:
        """申请销号 with evidence ids (each must exist and may support this finding)."""
        finding = self._finding_for_action(ref)
        ids = list(evidence_ids)
        for evidence_id in ids:
            self._evidence_for(finding.ref, evidence_id)
        finding.request_closure(ids, note)
        self.save_all(finding)
        return finding
