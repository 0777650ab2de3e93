"""The finding lifecycle as one declarative table: (state, action) → next state, roles.

Everything the Finding aggregate allows is in `TRANSITIONS`; anything not in it is
refused with `NotAllowed`, naming the current state and what the role may do instead.
Creating a finding (recorded) has no prior state; who may record is `RECORD_ROLES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rectify.domain.errors import NotAllowed
from rectify.domain.identity import Role
from rectify.domain.vocabulary import (
    ACTION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    Action,
    FindingStatus,
)

# The status/action names and labels are re-exported for old imports; their home is
# vocabulary.py.
__all__ = [
    "ACTION_LABELS",
    "RECORD_ROLES",
    "ROLE_LABELS",
    "STATUS_LABELS",
    "TRANSITIONS",
    "Action",
    "FindingStatus",
    "Transition",
    "allowed_actions",
    "check",
    "is_allowed",
]

# Who may record a new finding by hand. A package import is recorded by the importing
# user; the importer applies its own rule.
RECORD_ROLES: frozenset[Role] = frozenset({Role.EVALUATOR, Role.BUREAU})


@dataclass(frozen=True)
class Transition:
    next_status: FindingStatus
    roles: frozenset[Role]


_B = frozenset({Role.BUREAU})
_D = frozenset({Role.DEPARTMENT})
_BE = frozenset({Role.BUREAU, Role.EVALUATOR})

_OPEN_WORKING = (FindingStatus.ISSUED, FindingStatus.RETURNED)


def _build() -> dict[tuple[FindingStatus, Action], Transition]:
    s = FindingStatus
    a = Action
    table: dict[tuple[FindingStatus, Action], Transition] = {}

    def allow(
        state: FindingStatus,
        action: Action,
        roles: frozenset[Role],
        to: FindingStatus | None = None,
    ) -> None:
        table[(state, action)] = Transition(next_status=to or state, roles=roles)

    # Recorded, not yet issued: the bureau issues; a mistake can still be withdrawn by
    # whoever may record.
    allow(s.RECORDED, a.ISSUE, _B, s.ISSUED)
    allow(s.RECORDED, a.WITHDRAW, _BE, s.WITHDRAWN)

    # Issued (整改中) and returned (退回): the department works and asks for closure;
    # the bureau extends, turns it long-term, carries it over, or withdraws it.
    for state in _OPEN_WORKING:
        for work in (a.RECORD_MEASURES, a.NAME_RESPONSIBLE, a.REPORT_PROGRESS, a.ATTACH_EVIDENCE):
            allow(state, work, _D)
        allow(state, a.REQUEST_CLOSURE, _D, s.CLOSURE_REQUESTED)
        allow(state, a.EXTEND_DEADLINE, _B)
        allow(state, a.ACCEPT_LONG_TERM, _B, s.LONG_TERM)
        allow(state, a.CARRY_OVER, _B)
        allow(state, a.WITHDRAW, _B, s.WITHDRAWN)

    # Closure requested: the bureau reviews. The department may still add evidence
    # and report progress while it waits.
    allow(s.CLOSURE_REQUESTED, a.CLOSE, _B, s.CLOSED)
    allow(s.CLOSURE_REQUESTED, a.RETURN, _B, s.RETURNED)
    allow(s.CLOSURE_REQUESTED, a.ACCEPT_LONG_TERM, _B, s.LONG_TERM)
    allow(s.CLOSURE_REQUESTED, a.ATTACH_EVIDENCE, _D)
    allow(s.CLOSURE_REQUESTED, a.REPORT_PROGRESS, _D)
    allow(s.CLOSURE_REQUESTED, a.EXTEND_DEADLINE, _B)
    allow(s.CLOSURE_REQUESTED, a.CARRY_OVER, _B)
    allow(s.CLOSURE_REQUESTED, a.WITHDRAW, _B, s.WITHDRAWN)

    # Long-term (持续整改): no hard close date; the department keeps reporting and may
    # ask for closure when done; the bureau re-reviews (sets the next re-review date).
    for work in (a.RECORD_MEASURES, a.NAME_RESPONSIBLE, a.REPORT_PROGRESS, a.ATTACH_EVIDENCE):
        allow(s.LONG_TERM, work, _D)
    allow(s.LONG_TERM, a.REQUEST_CLOSURE, _D, s.CLOSURE_REQUESTED)
    allow(s.LONG_TERM, a.ACCEPT_LONG_TERM, _B)
    allow(s.LONG_TERM, a.CARRY_OVER, _B)
    allow(s.LONG_TERM, a.WITHDRAW, _B, s.WITHDRAWN)

    # Closed (销号): only reopening (虚假整改, recurrence), keeping the history.
    allow(s.CLOSED, a.REOPEN, _B, s.ISSUED)

    # Linking a repeat (屡查屡犯) is a fact about the finding, in every live state.
    for state in s:
        if state is not s.WITHDRAWN:
            allow(state, a.LINK_REPEAT, _BE)

    # Withdrawn: terminal, nothing allowed.
    return table


TRANSITIONS: Mapping[tuple[FindingStatus, Action], Transition] = _build()


def allowed_actions(status: FindingStatus, role: Role) -> list[Action]:
    """The actions `role` may take on a finding in `status`, in declaration order."""
    return [
        action
        for action in Action
        if (rule := TRANSITIONS.get((status, action))) is not None and role in rule.roles
    ]


def is_allowed(status: FindingStatus, action: Action, role: Role) -> bool:
    rule = TRANSITIONS.get((status, action))
    return rule is not None and role in rule.roles


def check(status: FindingStatus, action: Action, role: Role, *, ref: str) -> FindingStatus:
    """The next status, or `NotAllowed` naming the state and what the role may do."""
    rule = TRANSITIONS.get((status, action))
    if rule is not None and role in rule.roles:
        return rule.next_status
    state = STATUS_LABELS[status]
    who = ROLE_LABELS[role]
    what = ACTION_LABELS[action]
    options = "、".join(ACTION_LABELS[a] for a in allowed_actions(status, role)) or "无"
    if rule is None:
        why = f"问题 {ref} 当前状态为「{state}」，此状态下不能{what}"
    else:
        allowed_roles = "、".join(ROLE_LABELS[r] for r in Role if r in rule.roles)
        why = f"问题 {ref} 当前状态为「{state}」，{who}不能{what}（只有{allowed_roles}可以）"
    raise NotAllowed(f"{why}；{who}此时可做：{options}")
