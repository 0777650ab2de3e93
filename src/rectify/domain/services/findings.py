"""The problem list (问题清单): recording findings and every step of their rectification.

Every command reads the acting principal, checks its scope (a department acts only on
its own findings, or its units'), loads, changes and saves. Which role may take which
action in which state is the Finding's lifecycle table (`rectify.domain.lifecycle`);
who may record is `rectify.domain.permissions`. The commands add the checks that need
other aggregates (departments, evidence) and take default dates from the clock and the
deadline policy. `new_finding` / `register_department` return unsaved aggregates with
every check made, for the package importer's one atomic save.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from rectify.domain.application import RectifyApp
from rectify.domain.clock import Clock
from rectify.domain.deadlines import DeadlinePolicy
from rectify.domain.department import Department
from rectify.domain.errors import InvalidInput, NotFound
from rectify.domain.evidence import Evidence
from rectify.domain.finding import Finding, RectificationClass, find_repeats
from rectify.domain.identity import Principal, Role, current_principal
from rectify.domain.permissions import (
    DEPARTMENT_PERMISSIONS,
    FINDING_PERMISSIONS,
    in_scope,
    require,
)
from rectify.domain.services.reach import not_after_today, readable_evidence


class FindingService:
    def __init__(self, app: RectifyApp, clock: Clock, policy: DeadlinePolicy) -> None:
        self.app = app
        self.clock = clock
        self.policy = policy

    # -- loading ----------------------------------------------------------------------

    def get_finding(self, ref: str) -> Finding:
        return self.app.load(Finding.create_id(ref), Finding, f"问题 {ref} 不存在")

    def find_finding(self, ref: str) -> Finding | None:
        return self.app.find(Finding.create_id(ref), Finding)

    # -- helpers --------------------------------------------------------------------

    def _check_scope(self, principal: Principal, finding: Finding) -> None:
        if principal.role is not Role.DEPARTMENT:
            return
        if not in_scope(principal, finding.department_code, finding.unit_code, self.app.parent_of):
            # Exactly what a missing ref answers: a refusal must not confirm it exists.
            raise NotFound(f"问题 {finding.ref} 不存在")

    def load_for_action(self, ref: str) -> Finding:
        """The finding `ref`, loaded for a change by the acting principal.

        NotFound when there is none or when it lies outside a department user's scope
        (alike: a refusal must not confirm another department's ref exists). Change it
        through its own guarded methods (they check role, state and values), then save
        it with `save_changed`.
        """
        finding = self.get_finding(ref)
        self._check_scope(current_principal(), finding)
        return finding

    def save_changed(self, findings: Iterable[Finding]) -> int:
        """Save findings changed after `load_for_action` in one transaction: all or none.

        ConcurrencyConflict (nothing saved) when any of them was changed by someone else
        since it was loaded. Returns how many findings were saved.
        """
        batch = tuple(findings)
        if batch:
            self.app.save_all(*batch)
        return len(batch)

    def _change(self, ref: str, change: Callable[[Finding], object]) -> Finding:
        finding = self.load_for_action(ref)
        change(finding)
        self.app.save_all(finding)
        return finding

    # -- departments ------------------------------------------------------------------

    def register_department(self, code: str, name: str, parent_code: str | None) -> Department:
        """The department registered or renamed as the package names it (unsaved)."""
        require(
            DEPARTMENT_PERMISSIONS["register_department"], current_principal(), subject=f" {code}"
        )
        return self.app.department_for(code, name, parent_code)

    # -- recording ------------------------------------------------------------------

    def new_finding(
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
        pending_departments: Collection[str] = (),
    ) -> Finding:
        """A new finding with every check made (role, duplicate, departments), unsaved.

        `pending_departments`: codes registered in the same (unsaved) write.
        """
        require(FINDING_PERMISSIONS["record_finding"], current_principal())
        ref = ref.strip()
        Finding.validate_new(ref, title, amount)
        if self.find_finding(ref) is not None:
            raise InvalidInput(f"问题 {ref} 已存在")
        for code in (department_code, unit_code):
            if code is not None and code not in pending_departments:
                self.app.get_department(code)
        return Finding(
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
        finding = self.new_finding(
            ref=ref,
            department_code=department_code,
            fiscal_year=fiscal_year,
            category=category,
            title=title,
            description=description,
            unit_code=unit_code,
            evaluation_key=evaluation_key,
            root_cause=root_cause,
            indicator_codes=indicator_codes,
            amount=amount,
            amount_unit=amount_unit,
            suggestion=suggestion,
            rectification_class=rectification_class,
            due=due,
        )
        self.app.save_all(finding)
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
        """下发. A due / re-review date not given comes from the deadline policy."""
        issued_on = issued_on or self.clock.today()
        not_after_today(issued_on, self.clock.today(), "下发日期")
        finding = self.load_for_action(ref)
        # Whatever the bureau did not state comes from the policy (each date separately).
        if due is None or re_review_on is None:
            default = self.policy.deadline(rectification_class, issued_on)
            due = due if due is not None else default.due
            re_review_on = re_review_on if re_review_on is not None else default.re_review_on
        finding.issue(
            rectification_class=rectification_class,
            issued_on=issued_on,
            due=due,
            re_review_on=re_review_on,
            requirements=requirements,
        )
        self.app.save_all(finding)
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
        candidates = [f for r in candidate_refs if (f := self.find_finding(r)) is not None]
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
        evidence = readable_evidence(self.app, current_principal(), evidence_id)
        if evidence.finding_ref is not None and evidence.finding_ref != ref:
            raise InvalidInput(
                f"佐证材料 {evidence.original_name}（{evidence_id}）是为问题 {evidence.finding_ref} 提交的，"
                f"不能附到问题 {ref}"
            )
        return evidence

    def attach_evidence(self, ref: str, evidence_id: UUID) -> Finding:
        finding = self.load_for_action(ref)
        # The finding's own rules (role, scope, state) answer first; the change stays
        # unsaved until the evidence is known to be reachable.
        finding.attach_evidence(evidence_id)
        self._evidence_for(finding.ref, evidence_id)
        self.app.save_all(finding)
        return finding

    def request_closure(
        self, ref: str, evidence_ids: Iterable[UUID], note: str | None = None
    ) -> Finding:
        """申请销号 with evidence ids (each must exist and may support this finding)."""
        finding = self.load_for_action(ref)
        ids = list(evidence_ids)
        finding.request_closure(ids, note)  # unsaved until every id is reachable
        for evidence_id in ids:
            self._evidence_for(finding.ref, evidence_id)
        self.app.save_all(finding)
        return finding
