"""What the acting principal can reach, refused so that a refusal reveals nothing.

Evidence a principal may not read is answered exactly like evidence that does not
exist, and so it can neither be read, nor attached, nor cited to request closure.
Dates of things already done (issued, reported, evidenced) may not lie after today.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from rectify.domain.application import RectifyApp
from rectify.domain.errors import InvalidInput, NotFound
from rectify.domain.evidence import Evidence
from rectify.domain.finding import Finding
from rectify.domain.identity import Principal
from rectify.domain.permissions import EVIDENCE_PERMISSIONS, in_scope, require


def not_after_today(day: date, today: date, what: str) -> None:
    if day > today:
        raise InvalidInput(f"{what} {day.isoformat()} 在今天（{today.isoformat()}）之后")


def may_read_evidence(app: RectifyApp, principal: Principal, evidence: Evidence) -> bool:
    permission = EVIDENCE_PERMISSIONS["read_evidence"]
    if principal.role not in permission.roles:
        return False
    if principal.role not in permission.own:
        return True
    if evidence.finding_ref is None:
        return False
    finding = app.find(Finding.create_id(evidence.finding_ref), Finding)
    return finding is not None and in_scope(
        principal, finding.department_code, finding.unit_code, app.parent_of
    )


def readable_evidence(app: RectifyApp, principal: Principal, evidence_id: UUID) -> Evidence:
    # A role that may read no evidence at all learns nothing from being told so.
    require(EVIDENCE_PERMISSIONS["read_evidence"], principal)
    evidence = app.find(evidence_id, Evidence)
    if evidence is None or not may_read_evidence(app, principal, evidence):
        raise NotFound(f"佐证材料 {evidence_id} 不存在")
    return evidence
