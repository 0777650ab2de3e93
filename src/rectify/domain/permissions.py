"""Who may do what, one declarative table per aggregate (besides the finding's lifecycle).

The Finding's table is `rectify.domain.lifecycle` (state × action → next state, roles;
`RECORD_ROLES` for recording). The tables here cover the other aggregates; every
application service and the package importer check through `require`, so a command
typed by a person and the same change arriving in a package meet the same rule.

`own` lists the roles allowed only within their own department: a DEPARTMENT principal
acts on what belongs to its department or to one of its units. A department may read
nothing of another department's, so `require(..., missing=M)` refuses what is out of
scope with NotFound(M), the very words a missing key gets: the refusal reveals nothing
(docs/SECURITY.md, "A refusal reveals nothing").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rectify.domain.errors import NotAllowed, NotFound
from rectify.domain.identity import Principal, Role
from rectify.domain.lifecycle import RECORD_ROLES, ROLE_LABELS

ParentOf = Callable[[str], str | None]


@dataclass(frozen=True)
class Permission:
    label: str  # what is being done, in Chinese, for the refusal
    roles: frozenset[Role]
    own: frozenset[Role] = frozenset()


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


_B, _E, _D, _A = Role.BUREAU, Role.EVALUATOR, Role.DEPARTMENT, Role.AUDITOR
_LOGIN = _roles(_B, _E, _D, _A)

DEPARTMENT_PERMISSIONS: Mapping[str, Permission] = {
    # Departments come from evaluation packages (their names are the report's).
    "register_department": Permission("登记部门", _roles(_B, _E)),
}

FINDING_PERMISSIONS: Mapping[str, Permission] = {
    "record_finding": Permission("记录问题", RECORD_ROLES),
    # Every later change: the lifecycle table (rectify.domain.lifecycle.TRANSITIONS).
}

EVALUATION_PERMISSIONS: Mapping[str, Permission] = {
    "import_package": Permission("导入评价包", _roles(_B, _E)),
    "register_evaluation": Permission("登记评价", _roles(_B, _E)),
    # Which stage each role may score is the Evaluation's own rule (SCORING_ROLES;
    # a department scores only its self-evaluation).
    "set_score": Permission("评分", _roles(_B, _E, _D), own=_roles(_D)),
    "read_evaluation": Permission("查看评价", _LOGIN, own=_roles(_D)),
}

BUDGET_PERMISSIONS: Mapping[str, Permission] = {
    # The budget as a report states it (lines, sources, final accounts, controls,
    # staffing) is part of an evaluation package.
    "state_budget": Permission("登记评价包所列预算", _roles(_B, _E)),
    # An adjustment (追加/调减) changes the budget itself: never an evaluator's,
    # whether typed or imported (docs/DECISIONS.md).
    "adjust_budget": Permission("调整预算", _roles(_B, _D), own=_roles(_D)),
    # Opening a year's budget (年初预算, e.g. the year a result application affects) is
    # the bureau's: it approves the budget a department declared.
    "open_budget": Permission("登记年初预算", _roles(_B)),
}

EVIDENCE_PERMISSIONS: Mapping[str, Permission] = {
    "submit_evidence": Permission("提交佐证材料", _roles(_B, _E, _D), own=_roles(_D)),
    "read_evidence": Permission("查看佐证材料", _LOGIN, own=_roles(_D)),
}

PEOPLE_PERMISSIONS: Mapping[str, Permission] = {
    "add_user": Permission("添加用户", _roles(_B)),
    "reset_password": Permission("重置他人密码", _roles(_B)),
    "change_own_password": Permission("修改本人密码", _LOGIN),
    "change_user_role": Permission("变更用户角色", _roles(_B)),
    "disable_user": Permission("停用用户", _roles(_B)),
    "enable_user": Permission("启用用户", _roles(_B)),
    "unlock_user": Permission("解除用户锁定", _roles(_B)),
    "list_users": Permission("查看用户列表", _roles(_B)),
}

# The store itself (no aggregate): checked by the CLI before the command runs.
MAINTENANCE_PERMISSIONS: Mapping[str, Permission] = {
    "rebuild": Permission("重建读模型", _roles(_B)),
    "upgrade": Permission("升级数据库架构", _roles(_B)),
    "verify": Permission("校验事件日志", _roles(_B, _A)),
    "checkpoint": Permission("记录封存检查点", _roles(_B, _A)),
}

# The yearly cycle (issue #12).
TARGET_PERMISSIONS: Mapping[str, Permission] = {
    "declare_targets": Permission("申报绩效目标", _roles(_B, _D), own=_roles(_D)),
    "revise_target": Permission("调整绩效目标", _roles(_B, _D), own=_roles(_D)),
    "note_target_version": Permission("记录目标的另一版本", _roles(_B, _E)),
    "read_targets": Permission("查看绩效目标", _LOGIN, own=_roles(_D)),
}

MONITORING_PERMISSIONS: Mapping[str, Permission] = {
    "plan_monitoring": Permission("制定监控计划", _roles(_B)),
    "file_monitoring_report": Permission("报送监控报告", _roles(_B, _D), own=_roles(_D)),
    "submit_self_evaluation": Permission("报送自评报告", _roles(_B, _D), own=_roles(_D)),
    "convert_warning": Permission("将预警转为问题", _roles(_B)),
    "mark_monitoring_overdue": Permission("标记监控报告逾期", _roles(_B, Role.SYSTEM)),
    "read_monitoring": Permission("查看绩效监控", _LOGIN, own=_roles(_D)),
}

COMMENT_PERMISSIONS: Mapping[str, Permission] = {
    "open_round": Permission("发送征求意见稿", _roles(_B, _E)),
    "reply": Permission("回复征求意见", _roles(_D), own=_roles(_D)),
    "respond": Permission("答复部门意见", _roles(_B, _E)),
    "close_round": Permission("结束征求意见", _roles(_B)),
    "read_comments": Permission("查看征求意见", _LOGIN, own=_roles(_D)),
}

RESULT_PERMISSIONS: Mapping[str, Permission] = {
    "set_policy": Permission("设定结果应用政策", _roles(_B)),
    "decide": Permission("决定结果应用", _roles(_B)),
    "read_results": Permission("查看结果应用", _LOGIN, own=_roles(_D)),
}

ALL_TABLES: Mapping[str, Mapping[str, Permission]] = {
    "department": DEPARTMENT_PERMISSIONS,
    "finding": FINDING_PERMISSIONS,
    "evaluation": EVALUATION_PERMISSIONS,
    "budget": BUDGET_PERMISSIONS,
    "evidence": EVIDENCE_PERMISSIONS,
    "people": PEOPLE_PERMISSIONS,
    "targets": TARGET_PERMISSIONS,
    "monitoring": MONITORING_PERMISSIONS,
    "comments": COMMENT_PERMISSIONS,
    "results": RESULT_PERMISSIONS,
}


def in_scope(
    principal: Principal, department_code: str, unit_code: str | None, parent_of: ParentOf
) -> bool:
    """Whether a department principal reaches something owned by department/unit."""
    mine = principal.department
    if mine is None:
        return False
    if mine in (department_code, unit_code):
        return True
    return unit_code is not None and parent_of(unit_code) == mine


def require(
    permission: Permission,
    principal: Principal,
    *,
    department: str | None = None,
    unit: str | None = None,
    parent_of: ParentOf | None = None,
    subject: str = "",
    missing: str | None = None,
) -> None:
    """Raise NotAllowed unless `principal` may do `permission` on what department/unit own.

    `missing`: the command's words for a key that does not exist; given, an out-of-scope
    refusal is NotFound(missing) instead (for what the principal may not read)."""
    who = f"{ROLE_LABELS[principal.role]}用户 {principal.name}"
    if principal.role not in permission.roles:
        allowed = "、".join(ROLE_LABELS[r] for r in Role if r in permission.roles)
        raise NotAllowed(f"{who} 不能{permission.label}{subject}（只有{allowed}可以）")
    if principal.role not in permission.own or department is None:
        return
    if not in_scope(principal, department, unit, parent_of or (lambda _code: None)):
        if missing is not None:
            raise NotFound(missing)
        owner = department + (f"/{unit}" if unit else "")
        raise NotAllowed(
            f"{who}（部门 {principal.department}）不能{permission.label}{subject}："
            f"它属于 {owner}，不在本部门范围内"
        )
