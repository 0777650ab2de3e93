"""Evidence commands, as a mixin for RectifyApp: submit a file, read it back.

The blob store comes from `set_blob_store(...)` (the composition root) or, failing
that, from the application's environment variable RECTIFY_BLOB_DIR.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from rectify.domain.department import Department
from rectify.domain.doctypes import check_document
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound, StoreError
from rectify.domain.evidence import (
    DEFAULT_MAX_SIZE,
    BlobStore,
    Evidence,
    FileBlobStore,
    read_evidence_file,
)
from rectify.domain.finding import Finding
from rectify.domain.finding_commands import in_scope, not_after_today
from rectify.domain.identity import Principal, Role, current_principal
from rectify.domain.lifecycle import ROLE_LABELS

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate

    from rectify.domain.clock import Clock

    class _AppBase:
        clock: Clock

        def save_all(self, *aggregates: Aggregate) -> None: ...
        def get_or_none(self, aggregate_id: UUID) -> Any: ...
        def get_finding(self, ref: str) -> Finding: ...

else:
    _AppBase = object

SUBMIT_ROLES = (Role.BUREAU, Role.EVALUATOR, Role.DEPARTMENT)
BLOB_DIR_ENV = "RECTIFY_BLOB_DIR"


class EvidenceCommands(_AppBase):
    """Mixed into RectifyApp."""

    evidence_max_size: int = DEFAULT_MAX_SIZE
    _blob_store: BlobStore | None = None

    def set_blob_store(self, store: BlobStore) -> None:
        self._blob_store = store

    @property
    def blob_store(self) -> BlobStore:
        if self._blob_store is None:
            # The Application's environment (its `env` mapping, with OS overrides).
            env = getattr(self, "env", None) or {}
            root = env.get(BLOB_DIR_ENV)
            if not root:
                raise StoreError(f"没有配置佐证材料库：请设置 {BLOB_DIR_ENV}（存放材料文件的目录）")
            self._blob_store = FileBlobStore(Path(root), max_size=self.evidence_max_size)
        return self._blob_store

    def _evidence_parent_of(self, code: str) -> str | None:
        department = self.get_or_none(Department.create_id(code))
        return department.parent_code if isinstance(department, Department) else None

    def _check_finding_scope(self, principal: Principal, finding: Finding) -> None:
        if principal.role is Role.DEPARTMENT and not in_scope(
            principal, finding.department_code, finding.unit_code, self._evidence_parent_of
        ):
            raise NotAllowed(
                f"问题 {finding.ref} 不在 {principal.name}（部门 {principal.department}）的范围内，"
                "不能为它提交或查看佐证材料"
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
        if principal.role not in SUBMIT_ROLES:
            raise NotAllowed(f"{ROLE_LABELS[principal.role]}用户 {principal.name} 不能提交佐证材料")
        if finding_ref is not None and finding_ref.strip():
            self._check_finding_scope(principal, self.get_finding(finding_ref.strip()))
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
        existing = self.get_or_none(
            Evidence.create_id(meta["sha256"], meta["finding_ref"], meta["indicator_code"])
        )
        if existing is not None:
            raise InvalidInput(
                f"佐证材料 {path} 内容相同的文件已提交过（{existing.original_name}，"
                f"{existing.submitted_by} 于 {existing.effective_date.isoformat()} 所属日期提交）"
            )
        stored = self.blob_store.put(data)
        if stored != meta["sha256"]:
            raise StoreError(f"佐证材料库返回的摘要 {stored} 与文件 {path} 的摘要不一致")
        evidence = Evidence(
            effective_date=effective_date,
            submitted_by=principal.name,
            **meta,
        )
        self.save_all(evidence)
        return evidence.id

    def get_evidence(self, evidence_id: UUID) -> Evidence:
        """The evidence, if the acting principal may read it. What it may not read is
        refused exactly like what does not exist, so a refusal reveals nothing."""
        evidence = self.get_or_none(evidence_id)
        if not isinstance(evidence, Evidence) or not self._may_read(current_principal(), evidence):
            raise NotFound(f"佐证材料 {evidence_id} 不存在")
        return evidence

    def _may_read(self, principal: Principal, evidence: Evidence) -> bool:
        if principal.role is not Role.DEPARTMENT:
            return True
        if evidence.finding_ref is None:
            return False
        finding = self.get_or_none(Finding.create_id(evidence.finding_ref))
        return isinstance(finding, Finding) and in_scope(
            principal, finding.department_code, finding.unit_code, self._evidence_parent_of
        )

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
