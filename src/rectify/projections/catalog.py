"""Every read model, in the order the runner applies them, and the event store's tables."""

from __future__ import annotations

from collections.abc import Mapping

# The runner decodes every aggregate's events: their topics resolve only once the
# modules defining them are imported, whoever opened the store.
import rectify.domain.budget
import rectify.domain.department
import rectify.domain.evaluation
import rectify.domain.evidence
import rectify.domain.finding
import rectify.domain.occurrence
import rectify.domain.user  # noqa: F401
from rectify.domain.application import EVENTS_TABLE
from rectify.domain.mapping import SNAPSHOTS_TABLE
from rectify.projections.comments import CommentsProjector
from rectify.projections.deadline_watch import DeadlineWatchProjector
from rectify.projections.departments import DepartmentsProjector
from rectify.projections.evaluations import BudgetsProjector, EvaluationsProjector
from rectify.projections.figure_counts import FiguresProjector
from rectify.projections.findings import FindingsProjector
from rectify.projections.inbox import InboxProjector
from rectify.projections.monitoring import MonitoringProjector
from rectify.projections.positions import projection_positions
from rectify.projections.projector import Projector
from rectify.projections.results import ResultsProjector
from rectify.projections.seal import seal_links
from rectify.projections.targets import TargetsProjector
from rectify.projections.timeline import TimelineProjector

# Tables whose shape is the eventsourcing library's models: Alembic's comparison leaves
# them out (the library creates the event table; migration 0017 the snapshots table).
EVENT_STORE_TABLES = frozenset({EVENTS_TABLE, SNAPSHOTS_TABLE})


def all_projectors() -> list[Projector]:
    # The seal is no read model: links are written with the events (projections/sealing.py).
    return [
        DepartmentsProjector(),
        FindingsProjector(),
        TimelineProjector(),
        EvaluationsProjector(),
        BudgetsProjector(),
        DeadlineWatchProjector(),
        TargetsProjector(),
        MonitoringProjector(),
        InboxProjector(),  # after monitoring: a report's overdue mark reads its period
        CommentsProjector(),
        ResultsProjector(),
        FiguresProjector(),
    ]


# Event types no read model projects, each with why. Every other event type has a
# handler in `all_projectors()`; tests/projections/test_event_coverage.py checks both.
# (The seal links every event, whatever its type.)
NOT_PROJECTED: Mapping[str, str] = {
    "rectify/Budget.ControlsRecorded": "公用经费与“三公”经费只在预算聚合内参与计算",
    "rectify/Budget.StaffingRecorded": "编制与实有人数只在预算聚合内参与计算",
    "rectify/Evidence.Submitted": "佐证材料按编号从聚合读取，问题时间线记录其附加",
    "rectify/ResultPolicy.Started": "结果应用政策从聚合读取（决定时套用）",
    "rectify/ResultPolicy.Set": "结果应用政策从聚合读取（决定时套用）",
    "rectify/User.Added": "用户从聚合读取（登录、权限）",
    "rectify/User.PasswordChanged": "用户从聚合读取",
    "rectify/User.RoleChanged": "用户从聚合读取",
    "rectify/User.Disabled": "用户从聚合读取",
    "rectify/User.Enabled": "用户从聚合读取",
    "rectify/User.SessionOpened": "会话只在用户聚合内校验",
    "rectify/User.SessionClosed": "会话只在用户聚合内校验",
    "rectify/User.LoginFailed": "登录失败与锁定只在用户聚合内计算",
    "rectify/User.LockedOut": "登录失败与锁定只在用户聚合内计算",
    "rectify/User.Unlocked": "登录失败与锁定只在用户聚合内计算",
    "rectify/UserDirectory.Started": "用户名册从聚合读取",
    "rectify/UserDirectory.UserListed": "用户名册从聚合读取",
}

# Imported for their tables' registration on the shared MetaData.
__all__ = [
    "EVENT_STORE_TABLES",
    "NOT_PROJECTED",
    "all_projectors",
    "projection_positions",
    "seal_links",
]
