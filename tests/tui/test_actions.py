"""Form checks before anything is recorded, and which forms each role is offered."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rectify.domain.identity import Role
from rectify.domain.vocabulary import Action
from rectify.tui.actions import FORMS, Field, forms_for, validate

TODAY = date(2026, 1, 15)


def test_a_date_that_does_not_exist_and_an_empty_reason_are_marked() -> None:
    values, errors = validate(
        FORMS[Action.EXTEND_DEADLINE], {"new_due": "2026-02-30", "reason": " "}, TODAY
    )
    assert "不是存在的日期" in errors["new_due"] and errors["reason"] == "理由不能为空"
    assert values == {}


def test_due_before_issue_date_is_refused() -> None:
    raw = {
        "rectification_class": "phased",
        "requirements": "细化",
        "issued_on": "2026-03-01",
        "due": "2026-02-01",
    }
    _, errors = validate(FORMS[Action.ISSUE], raw, TODAY)
    assert errors == {"due": "整改时限 2026-02-01 早于下发日期 2026-03-01"}


def test_issue_needs_a_class_and_parses_good_input() -> None:
    _, errors = validate(FORMS[Action.ISSUE], {"requirements": "细化"}, TODAY)
    assert errors == {"rectification_class": "整改类别不能为空"}
    values, errors = validate(
        FORMS[Action.ISSUE], {"rectification_class": "immediate", "requirements": "细化"}, TODAY
    )
    assert not errors and values["rectification_class"].value == "immediate"


def test_percent_range_missing_file_and_negative_amount(tmp_path: Path) -> None:
    _, errors = validate(FORMS[Action.REPORT_PROGRESS], {"text": "进展", "percent": "101"}, TODAY)
    assert "0～100" in errors["percent"]
    _, errors = validate(
        FORMS[Action.ATTACH_EVIDENCE],
        {"path": str(tmp_path / "none.pdf"), "effective_date": "2026-01-01"},
        TODAY,
    )
    assert "不存在" in errors["path"]
    from rectify.tui.actions import ActionForm

    money = ActionForm(
        Action.CLOSE, "close_finding", (Field("amount", "涉及金额", "decimal"),), "c"
    )
    _, errors = validate(money, {"amount": "-5"}, TODAY)
    assert "负数" in errors["amount"]


def test_each_role_is_offered_only_what_the_lifecycle_allows() -> None:
    def keys(status: str, role: Role) -> set[str]:
        return {f.action.value for f in forms_for(status, role)}

    assert keys("closure_requested", Role.BUREAU) >= {"close", "return"}
    assert not keys("closure_requested", Role.DEPARTMENT) & {"close", "return"}
    assert "request_closure" in keys("issued", Role.DEPARTMENT)
    assert keys("closed", Role.BUREAU) & {"close", "return", "request_closure"} == set()
    assert keys("issued", Role.AUDITOR) == set()
    assert keys("withdrawn", Role.BUREAU) == set()


def test_an_oversized_evidence_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    big.write_bytes(b"x" * 11)
    raw = {"path": str(big), "effective_date": "2026-01-01"}
    _, errors = validate(FORMS[Action.ATTACH_EVIDENCE], raw, TODAY, max_file_size=10)
    assert "过大" in errors["path"] and "11 字节" in errors["path"]
    values, errors = validate(FORMS[Action.ATTACH_EVIDENCE], raw, TODAY, max_file_size=11)
    assert not errors and values["path"] == big
