"""佐证材料: submit a file (its bytes to the blob store, its metadata to the log), read it back.

The blob store and the size limit are given by the composition root (rectify.bootstrap).
Who may submit or read: `rectify.domain.permissions.EVIDENCE_PERMISSIONS`.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from uuid import UUID

from rectify.domain.application import RectifyApp
from rectify.domain.errors import InvalidInput, NotAllowed, StoreError
from rectify.domain.evidence import DEFAULT_MAX_SIZE, BlobStore, Evidence, read_evidence_file
from rectify.domain.finding import Finding
from rectify.domain.identity import Principal, Role, current_principal
from rectify.domain.permissions import EVIDENCE_PERMISSIONS, Permission, require


class EvidenceService:
    def __init__(
        self, app: RectifyApp, blob_store: BlobStore, max_size: int = DEFAULT_MAX_SIZE
    ) -> None:
        self.app = app
        self.blob_store = blob_store
        self.evidence_max_size = max_size

    def _finding(self, ref: str) -> Finding:
        return self.app.load(Finding.create_id(ref), Finding, f"问题 {ref} 不存在")

    def _check(self, permission: Permission, principal: Principal, finding: Finding) -> None:
        require(
            permission,
            principal,
            department=finding.department_code,
            unit=finding.unit_code,
            parent_of=self.app.parent_of,
            subject=f"（问题 {finding.ref}）",
        )

    def submit_evidence(
        self,
        path: Path,
        *,
        effective_date: date,
        finding_ref: str | None = None,
        indicator_code: str | None = None,
        media_type: str | None = None,
        original_name: str | None = None,
    ) -> UUID:
        """Store the file's content and record its metadata; returns the Evidence id.

        A DEPARTMENT user may submit only for its own findings (and must name one).
        """
        principal = current_principal()
        permission = EVIDENCE_PERMISSIONS["submit_evidence"]
        require(permission, principal)
        if finding_ref is not None and finding_ref.strip():
            self._check(permission, principal, self._finding(finding_ref.strip()))
        elif principal.role is Role.DEPARTMENT:
            raise InvalidInput(f"部门用户提交佐证材料 {path} 须指明所属问题编号")
        data = read_evidence_file(Path(path), max_size=self.evidence_max_size)
        meta = Evidence.describe(
            sha256=hashlib.sha256(data).hexdigest(),
            original_name=original_name or Path(path).name,
            size=len(data),
            media_type=media_type,
            finding_ref=finding_ref,
            indicator_code=indicator_code,
        )
        existing = self.app.find(
            Evidence.create_id(meta["sha256"], meta["finding_ref"], meta["indicator_code"]),
            Evidence,
        )
        if existing is not None:
            raise InvalidInput(
                f"佐证材料 {path} 内容相同的文件已提交过（{existing.original_name}，"
                f"{existing.submitted_by} 于 {existing.effective_date.isoformat()} 所属日期提交）"
            )
        stored = self.blob_store.put(data)
        if stored != meta["sha256"]:
            raise StoreError(f"佐证材料库返回的摘要 {stored} 与文件 {path} 的摘要不一致")
        evidence = Evidence(effective_date=effective_date, submitted_by=principal.name, **meta)
        self.app.save_all(evidence)
        return evidence.id

    def get_evidence(self, evidence_id: UUID) -> Evidence:
        evidence = self.app.load(evidence_id, Evidence, f"佐证材料 {evidence_id} 不存在")
        principal = current_principal()
        permission = EVIDENCE_PERMISSIONS["read_evidence"]
        require(permission, principal)
        if principal.role in permission.own:
            if evidence.finding_ref is None:
                raise NotAllowed(f"佐证材料 {evidence_id} 不属于任何问题，部门用户不能查看")
            self._check(permission, principal, self._finding(evidence.finding_ref))
        return evidence

    def evidence_content(self, evidence_id: UUID) -> bytes:
        """The stored bytes, re-checked against the recorded sha256."""
        evidence = self.get_evidence(evidence_id)
        return self.blob_store.get(evidence.sha256)
