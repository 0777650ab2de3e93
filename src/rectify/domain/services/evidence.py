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
from rectify.domain.clock import Clock, SystemClock
from rectify.domain.doctypes import check_document
from rectify.domain.errors import InvalidInput, NotFound, StoreError
from rectify.domain.evidence import DEFAULT_MAX_SIZE, BlobStore, Evidence, read_evidence_file
from rectify.domain.finding import Finding
from rectify.domain.identity import Principal, Role, current_principal
from rectify.domain.permissions import EVIDENCE_PERMISSIONS, Permission, in_scope, require
from rectify.domain.services.reach import not_after_today, readable_evidence


class EvidenceService:
    def __init__(
        self,
        app: RectifyApp,
        blob_store: BlobStore,
        max_size: int = DEFAULT_MAX_SIZE,
        clock: Clock | None = None,
    ) -> None:
        self.app = app
        self.blob_store = blob_store
        self.evidence_max_size = max_size
        self.clock: Clock = clock or SystemClock()

    def _finding(self, ref: str) -> Finding:
        return self.app.load(Finding.create_id(ref), Finding, f"问题 {ref} 不存在")

    def _check(self, permission: Permission, principal: Principal, finding: Finding) -> None:
        if principal.role in permission.own and not in_scope(
            principal, finding.department_code, finding.unit_code, self.app.parent_of
        ):
            raise NotFound(f"问题 {finding.ref} 不存在")  # as a missing ref: reveals nothing
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
        not_after_today(effective_date, self.clock.today(), "佐证材料所属日期")
        data = read_evidence_file(Path(path), max_size=self.evidence_max_size)
        name = original_name or Path(path).name
        meta = Evidence.describe(
            sha256=hashlib.sha256(data).hexdigest(),
            original_name=name,
            size=len(data),
            # What the content is, not what the name or the caller says (domain/doctypes.py).
            media_type=_media_type(data, name, media_type),
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
        """The evidence, if the acting principal may read it; what it may not read is
        refused exactly like what does not exist (services/reach.py)."""
        require(EVIDENCE_PERMISSIONS["read_evidence"], current_principal())
        return readable_evidence(self.app, current_principal(), evidence_id)

    def evidence_content(self, evidence_id: UUID) -> bytes:
        """The stored bytes, re-checked against the recorded sha256."""
        evidence = self.get_evidence(evidence_id)
        return self.blob_store.get(evidence.sha256)


def _media_type(data: bytes, name: str, claimed: str | None) -> str:
    """What the content is; a type the caller states must agree with it."""
    media = check_document(data, name)
    if claimed is not None and claimed.strip() and claimed.strip().lower() != media:
        raise InvalidInput(f"佐证材料 {name}：声明的媒体类型 {claimed} 与内容（{media}）不符")
    return media
