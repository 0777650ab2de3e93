"""The finding lifecycle, walked exhaustively: every state × action × role.

`EXPECTED` is written independently from lifecycle.py's table, per state in plain
words: which role may do what, and where it leads. Anything absent must be refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from rectify.domain.errors import InvalidInput, NotAllowed
from rectify.domain.finding import Finding, FindingStatus, RectificationClass, find_repeats
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.lifecycle import (
    ACTION_LABELS,
    STATUS_LABELS,
    TRANSITIONS,
    Action,
    allowed_actions,
    check,
)

B, E, D, A, S = Role.BUREAU, Role.EVALUATOR, Role.DEPARTMENT, Role.AUDITOR, Role.SYSTEM

# state -> {action: (roles, next state or "same")}
EXPECTED: dict[str, dict[str, tuple[set[Role], str]]] = {
    "recorded": {
        "issue": ({B}, "issued"),
        "withdraw": ({B, E}, "withdrawn"),
        "link_repeat": ({B, E}, "same"),
    },
    "issued": {
        "record_measures": ({D}, "same"),
        "name_responsible": ({D}, "same"),
        "report_progress": ({D}, "same"),
        "attach_evidence": ({D}, "same"),
        "request_closure": ({D}, "closure_requested"),
        "extend_deadline": ({B}, "same"),
        "accept_long_term": ({B}, "long_term"),
        "carry_over": ({B}, "same"),
        "withdraw": ({B}, "withdrawn"),
        "link_repeat": ({B, E}, "same"),
    },
    "returned": {
        "record_measures": ({D}, "same"),
        "name_responsible": ({D}, "same"),
        "report_progress": ({D}, "same"),
        "attach_evidence": ({D}, "same"),
        "request_closure": ({D}, "closure_requested"),
        "extend_deadline": ({B}, "same"),
        "accept_long_term": ({B}, "long_term"),
        "carry_over": ({B}, "same"),
        "withdraw": ({B}, "withdrawn"),
        "link_repeat": ({B, E}, "same"),
    },
    "closure_requested": {
        "close": ({B}, "closed"),
        "return": ({B}, "returned"),
        "accept_long_term": ({B}, "long_term"),
        "attach_evidence": ({D}, "same"),
        "report_progress": ({D}, "same"),
        "extend_deadline": ({B}, "same"),
        "carry_over": ({B}, "same"),
        "withdraw": ({B}, "withdrawn"),
        "link_repeat": ({B, E}, "same"),
    },
    "long_term": {
        "record_measures": ({D}, "same"),
        "name_responsible": ({D}, "same"),
        "report_progress": ({D}, "same"),
        "attach_evidence": ({D}, "same"),
        "request_closure": ({D}, "closure_requested"),
        "accept_long_term": ({B}, "same"),
        "carry_over": ({B}, "same"),
        "withdraw": ({B}, "withdrawn"),
        "link_repeat": ({B, E}, "same"),
    },
    "closed": {
        "reopen": ({B}, "issued"),
        "link_repeat": ({B, E}, "same"),
    },
    "withdrawn": {},
}


def _cases() -> list[tuple[FindingStatus, Action, Role]]:
    return [(s, a, r) for s in FindingStatus for a in Action for r in Role]


def test_expectation_covers_every_state() -> None:
    assert set(EXPECTED) == {s.value for s in FindingStatus}
    for actions in EXPECTED.values():
        assert set(actions) <= {a.value for a in Action}


@pytest.mark.parametrize(("status", "action", "role"), _cases())
def test_table_matches_expectation(status: FindingStatus, action: Action, role: Role) -> None:
    expected = EXPECTED[status.value].get(action.value)
    if expected is not None and role in expected[0]:
        to = status.value if expected[1] == "same" else expected[1]
        assert check(status, action, role, ref="X-1").value == to
    else:
        with pytest.raises(NotAllowed) as info:
            check(status, action, role, ref="X-1")
        message = info.value.message
        assert "X-1" in message
        assert STATUS_LABELS[status] in message
        for allowed in allowed_actions(status, role):
            assert ACTION_LABELS[allowed] in message


def test_table_has_nothing_beyond_expectation() -> None:
    for (status, action), rule in TRANSITIONS.items():
        roles, _ = EXPECTED[status.value][action.value]
        assert set(rule.roles) == roles


def test_auditor_and_system_may_do_nothing() -> None:
    for status in FindingStatus:
        assert allowed_actions(status, A) == []
        assert allowed_actions(status, S) == []


def test_every_state_has_a_label() -> None:
    assert set(STATUS_LABELS) == set(FindingStatus)
    assert STATUS_LABELS[FindingStatus.CLOSED] == "已销号"


# -- the same walk through the aggregate: events recorded only when allowed ---------

BUREAU = Principal("局里", B)
DEPT = Principal("部门甲", D, department="D01")

ISSUE_ON = date(2025, 9, 1)


def _new(ref: str = "F-1", **over: object) -> Finding:
    fields: dict[str, object] = dict(
        ref=ref,
        department_code="D01",
        unit_code=None,
        fiscal_year=2024,
        evaluation_key=None,
        category="预算执行",
        title="预算执行率偏低",
        description="执行率 62%",
        root_cause=None,
        indicator_codes=("B2",),
        amount=Decimal("12.50"),
        amount_unit="万元",
        suggestion=None,
        rectification_class=None,
        due=None,
    )
    fields.update(over)
    with acting_as(Principal("评价组", E)):
        return Finding(**fields)  # type: ignore[arg-type]


def _issue(f: Finding) -> None:
    with acting_as(BUREAU):
        f.issue(
            rectification_class=RectificationClass.IMMEDIATE,
            issued_on=ISSUE_ON,
            due=date(2025, 10, 1),
            re_review_on=None,
            requirements="提高执行率",
        )


def _in(status: FindingStatus) -> Finding:
    f = _new()
    if status is FindingStatus.RECORDED:
        return f
    if status is FindingStatus.WITHDRAWN:
        with acting_as(BUREAU):
            f.withdraw("误记")
        return f
    _issue(f)
    if status is FindingStatus.ISSUED:
        return f
    if status is FindingStatus.LONG_TERM:
        with acting_as(BUREAU):
            f.accept_long_term(date(2025, 12, 1), on=ISSUE_ON)
        return f
    with acting_as(DEPT):
        f.request_closure([uuid4()])
    if status is FindingStatus.CLOSURE_REQUESTED:
        return f
    with acting_as(BUREAU):
        if status is FindingStatus.RETURNED:
            f.return_for_rework("佐证不足")
        else:
            f.close()
    assert f.status is status
    return f


def _do(f: Finding, action: Action) -> None:
    """Perform `action` with valid inputs (the current principal is set by the caller)."""
    if action is Action.ISSUE:
        f.issue(
            rectification_class=RectificationClass.PHASED,
            issued_on=ISSUE_ON,
            due=date(2025, 12, 1),
            re_review_on=None,
            requirements="整改",
        )
    elif action is Action.RECORD_MEASURES:
        f.record_measures("建立月度通报")
    elif action is Action.NAME_RESPONSIBLE:
        f.name_responsible_person("张三")
    elif action is Action.REPORT_PROGRESS:
        f.report_progress("已完成一半", 50, date(2025, 9, 15))
    elif action is Action.ATTACH_EVIDENCE:
        f.attach_evidence(uuid4())
    elif action is Action.REQUEST_CLOSURE:
        f.request_closure([uuid4()], note="已整改")
    elif action is Action.CLOSE:
        f.close("材料齐全")
    elif action is Action.RETURN:
        f.return_for_rework("材料不足")
    elif action is Action.EXTEND_DEADLINE:
        f.extend_deadline(date(2026, 3, 1), "客观原因")
    elif action is Action.ACCEPT_LONG_TERM:
        f.accept_long_term(date(2026, 6, 1), on=ISSUE_ON)
    elif action is Action.REOPEN:
        f.reopen("虚假整改")
    elif action is Action.CARRY_OVER:
        f.carry_over(2025)
    elif action is Action.WITHDRAW:
        f.withdraw("误记")
    elif action is Action.LINK_REPEAT:
        f.link_repeat(_new("F-0", fiscal_year=2023))
    else:  # pragma: no cover
        raise AssertionError(action)


@pytest.mark.parametrize(("status", "action", "role"), _cases())
def test_aggregate_walk(status: FindingStatus, action: Action, role: Role) -> None:
    f = _in(status)
    before = len(f.collect_events())
    expected = EXPECTED[status.value].get(action.value)
    with acting_as(Principal("someone", role, department="D01")):
        if expected is not None and role in expected[0]:
            _do(f, action)
            to = status.value if expected[1] == "same" else expected[1]
            assert f.status.value == to
            assert len(f.collect_events()) >= 1
        else:
            with pytest.raises(NotAllowed):
                _do(f, action)
            assert len(f.collect_events()) == 0
    assert before >= 1


# -- guards inside allowed actions -------------------------------------------------


def test_due_before_issue_refused() -> None:
    f = _new()
    with acting_as(BUREAU), pytest.raises(InvalidInput, match="早于下发日期"):
        f.issue(
            rectification_class=RectificationClass.IMMEDIATE,
            issued_on=ISSUE_ON,
            due=date(2025, 8, 31),
            re_review_on=None,
            requirements="x",
        )
    assert f.status is FindingStatus.RECORDED


def test_extensions_kept_and_counted() -> None:
    f = _in(FindingStatus.ISSUED)
    with acting_as(BUREAU):
        with pytest.raises(InvalidInput, match="理由"):
            f.extend_deadline(date(2025, 11, 1), " ")
        with pytest.raises(InvalidInput, match="须晚于原时限"):
            f.extend_deadline(date(2025, 10, 1), "x")
        f.extend_deadline(date(2025, 11, 1), "系统改造")
        f.extend_deadline(date(2025, 12, 1), "再延")
    assert f.extension_count == 2
    assert [e.old_due for e in f.extensions] == [date(2025, 10, 1), date(2025, 11, 1)]
    assert f.due == date(2025, 12, 1)


def test_return_needs_reason_and_reopen_keeps_history() -> None:
    f = _in(FindingStatus.CLOSURE_REQUESTED)
    with acting_as(BUREAU), pytest.raises(InvalidInput, match="退回理由"):
        f.return_for_rework("")
    f = _in(FindingStatus.CLOSED)
    with acting_as(BUREAU):
        with pytest.raises(InvalidInput, match="理由"):
            f.reopen("")
        f.reopen("虚假整改")
    assert f.status is FindingStatus.ISSUED
    assert f.reopen_count == 1
    # recorded, issued, evidence attached, closure requested, closed, reopened
    assert f.version == 6


def test_progress_percent_range() -> None:
    f = _in(FindingStatus.ISSUED)
    with acting_as(DEPT):
        for bad in (-1, 101, True):
            with pytest.raises(InvalidInput, match="0–100"):
                f.report_progress("x", bad, date(2025, 9, 2))
        f.report_progress("完成", 100, date(2025, 9, 2))
    assert f.progress[-1].percent == 100


def test_carry_over_adds_years_in_order() -> None:
    f = _in(FindingStatus.ISSUED)
    with acting_as(BUREAU):
        f.carry_over(2025)
        with pytest.raises(InvalidInput, match="须晚于 2025"):
            f.carry_over(2025)
        f.carry_over(2026)
    assert f.carried_years == [2025, 2026]
    assert f.status is FindingStatus.ISSUED
    assert f.ref == "F-1"


def test_request_closure_attaches_evidence_and_needs_some() -> None:
    f = _in(FindingStatus.ISSUED)
    ev = uuid4()
    with acting_as(DEPT):
        with pytest.raises(InvalidInput, match="至少一份"):
            f.request_closure([])
        f.attach_evidence(ev)
        other = uuid4()
        f.request_closure([ev, other])
    assert f.evidence_ids == [ev, other]
    assert f.closure_evidence_ids == (ev, other)


def test_there_is_no_generic_status_change() -> None:
    # Statuses change only through the specific lifecycle actions of the table.
    assert not hasattr(Finding, "change_status")


# -- repeats (屡查屡犯) ---------------------------------------------------------------


def test_find_repeats() -> None:
    new = _new("F-2025-1", fiscal_year=2025, category="资金管理", indicator_codes=("C1", "C2"))
    same_cat = _new("F-2023-1", fiscal_year=2023, category="资金管理", indicator_codes=())
    shared_ind = _new("F-2024-1", fiscal_year=2024, category="其他", indicator_codes=("C2",))
    other_dept = _new("F-2024-2", department_code="D02", fiscal_year=2024, category="资金管理")
    same_year = _new("F-2025-2", fiscal_year=2025, category="资金管理")
    unrelated = _new("F-2024-3", fiscal_year=2024, category="其他", indicator_codes=("Z9",))
    withdrawn = _new("F-2024-4", fiscal_year=2024, category="资金管理")
    with acting_as(BUREAU):
        withdrawn.withdraw("误记")
    found = find_repeats(
        new, [shared_ind, other_dept, same_year, unrelated, withdrawn, same_cat, new]
    )
    assert [f.ref for f in found] == ["F-2023-1", "F-2024-1"]
    with acting_as(BUREAU):
        new.link_repeat(same_cat)
        with pytest.raises(InvalidInput, match="已与"):
            new.link_repeat(same_cat)
        with pytest.raises(InvalidInput, match="不早于"):
            new.link_repeat(same_year)
        with pytest.raises(InvalidInput, match="部门"):
            new.link_repeat(other_dept)
    assert new.repeat_of == ["F-2023-1"]
