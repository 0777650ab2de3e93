"""The one eventsourcing Application: commands that load, change and save aggregates.

Scope and role checks belong here (the application layer), so every entry point —
CLI, TUI, scheduler, importer — goes through the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from rectify.domain.clock import Clock, SystemClock
from rectify.domain.department import Department
from rectify.domain.errors import ConcurrencyConflict, NotFound
from rectify.domain.evaluation import ScoreStage
from rectify.domain.evaluation_commands import EvaluationCommands
from rectify.domain.evidence_commands import EvidenceCommands
from rectify.domain.finding import Finding, FindingStatus, RectificationClass
from rectify.domain.finding_commands import FindingCommands
from rectify.domain.identity import Role
from rectify.domain.transcodings import enum_transcoding, register_common
from rectify.domain.user_commands import UserCommands

APPLICATION_NAME = "rectify"  # ≤ 32 characters: the tracking column is that wide on PostgreSQL
EVENTS_TABLE = f"{APPLICATION_NAME}_events"


class RectifyApp(FindingCommands, UserCommands, EvidenceCommands, EvaluationCommands, Application[UUID]):
    name = APPLICATION_NAME
    env: ClassVar[dict[str, str]] = {
        "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
        # The bootstrap creates the event table itself, after its safety checks,
        # so that opening a store never writes to a database we refuse to use.
        "CREATE_TABLE": "no",
        "IS_SNAPSHOTTING_ENABLED": "no",
    }

    # The composition root (rectify.bootstrap) replaces this with the house clock.
    clock: Clock = SystemClock()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_common(transcoder)
        transcoder.register(enum_transcoding(FindingStatus, "finding_status"))
        transcoder.register(enum_transcoding(RectificationClass, "rectification_class"))
        transcoder.register(enum_transcoding(Role, "role"))
        transcoder.register(enum_transcoding(ScoreStage, "score_stage"))

    # -- plumbing -----------------------------------------------------------------

    def save_all(self, *aggregates: Aggregate) -> None:
        """Save atomically; a version clash means someone else acted first."""
        try:
            self.save(*aggregates)
        except IntegrityError as exc:
            raise ConcurrencyConflict(
                "保存失败：同一对象已被他人修改，本次操作未记录，请重试"
            ) from exc

    def get_or_none(self, aggregate_id: UUID) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def get_department(self, code: str) -> Department:
        department = self.get_or_none(Department.create_id(code))
        if department is None:
            raise NotFound(f"部门 {code} 不存在")
        assert isinstance(department, Department)
        return department

    def get_finding(self, ref: str) -> Finding:
        finding = self.get_or_none(Finding.create_id(ref))
        if finding is None:
            raise NotFound(f"问题 {ref} 不存在")
        assert isinstance(finding, Finding)
        return finding

    # -- departments --------------------------------------------------------------

    def department_for(self, code: str, name: str, parent_code: str | None) -> Department:
        """The department, registered or renamed as needed (unsaved)."""
        existing = self.get_or_none(Department.create_id(code))
        if existing is None:
            return Department(code=code, name=name, parent_code=parent_code)
        assert isinstance(existing, Department)
        existing.rename(name, reason="名称以评价报告为准")
        return existing

    # -- findings -----------------------------------------------------------------

    def new_finding(self, **fields: Any) -> Finding:
        Finding.validate_new(fields["ref"], fields["title"], fields.get("amount"))
        return Finding(**fields)


def finding_fields(
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
    indicator_codes: tuple[str, ...] = (),
    amount: Decimal | None = None,
    amount_unit: str | None = None,
    suggestion: str | None = None,
    rectification_class: RectificationClass | None = None,
    due: date | None = None,
) -> Mapping[str, Any]:
    """The complete keyword set of Finding.Recorded, with defaults for the optional parts."""
    return dict(locals())
