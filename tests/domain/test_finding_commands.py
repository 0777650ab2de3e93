"""Finding commands through the problem-list service on a real SQLite file store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest

from rectify.bootstrap import House, open_house
from rectify.domain.clock import FixedClock
from rectify.domain.deadlines import DayCount, DeadlinePolicy
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound
from rectify.domain.finding import FindingStatus, RectificationClass
from rectify.domain.identity import Principal, Role, acting_as

BUREAU = Principal("局长", Role.BUREAU)
EVALUATOR = Principal("评价组", Role.EVALUATOR)
AUDITOR = Principal("审计", Role.AUDITOR)
DEPT = Principal("教育局用户", Role.DEPARTMENT, department="D01")
UNIT_USER = Principal("一中用户", Role.DEPARTMENT, department="D01-01")
OTHER = Principal("卫健委用户", Role.DEPARTMENT, department="D02")


@pytest.fixture
def house(sqlite_house: House) -> Iterator[House]:
    house = sqlite_house
    # These scenarios date their steps in late 2025; things done cannot be dated after today.
    assert isinstance(house.clock, FixedClock)
    house.clock.moment = FixedClock.on(date(2026, 1, 5)).moment
    with acting_as(BUREAU):
        house.services.app.save_all(
            house.findings.register_department("D01", "教育局", None),
            house.findings.register_department("D01-01", "第一中学", "D01"),
            house.findings.register_department("D02", "卫健委", None),
        )
    yield house


def _record(house: House, ref: str = "F-2024-001", unit: str | None = "D01-01") -> None:
    with acting_as(EVALUATOR):
        house.findings.record_finding(
            ref=ref,
            department_code="D01",
            unit_code=unit,
            fiscal_year=2024,
            category="预算执行",
            title="预算执行率偏低",
            description="年末执行率 62%",
            indicator_codes=("B21",),
            amount=Decimal("120.50"),
            amount_unit="万元",
        )


def _issue(house: House, ref: str = "F-2024-001") -> None:
    with acting_as(BUREAU):
        house.findings.issue_finding(
            ref,
            rectification_class=RectificationClass.IMMEDIATE,
            requirements="30 日内提交整改报告",
            issued_on=date(2025, 9, 1),
        )


def _evidence(house: House, tmp_path: Path, ref: str, who: Principal = DEPT) -> UUID:
    f = tmp_path / "通报.pdf"
    f.write_bytes(b"%PDF-1.4 evidence for " + ref.encode())
    with acting_as(who):
        return house.evidence.submit_evidence(f, effective_date=date(2025, 9, 20), finding_ref=ref)


def test_full_cycle_survives_reopening_the_store(house: House, tmp_path: Path) -> None:
    _record(house)
    _issue(house)
    finding = house.findings.get_finding("F-2024-001")
    assert finding.status is FindingStatus.ISSUED
    assert finding.due == date(2025, 10, 1)  # default policy: immediate = 30 calendar days
    with acting_as(UNIT_USER):
        house.findings.record_measures("F-2024-001", "建立月度执行通报")
        house.findings.name_responsible_person("F-2024-001", "王五")
        house.findings.report_progress("F-2024-001", "已通报两次", 60, date(2025, 9, 15))
    ev = _evidence(house, tmp_path, "F-2024-001")
    with acting_as(DEPT):
        house.findings.request_closure("F-2024-001", [ev], note="已整改完毕")
    with acting_as(BUREAU):
        house.findings.return_finding("F-2024-001", "缺少执行率数据")
        house.findings.extend_deadline("F-2024-001", date(2025, 11, 1), "数据待决算")
    with acting_as(DEPT):
        house.findings.request_closure("F-2024-001", [ev])
    with acting_as(BUREAU):
        house.findings.close_finding("F-2024-001", "材料齐全")
        house.findings.reopen_finding("F-2024-001", "复查发现执行率仍偏低")
        house.findings.carry_over_finding("F-2024-001", 2025)

    reopened = open_house(house.store.url.render_as_string(hide_password=False))
    try:
        f = reopened.findings.get_finding("F-2024-001")
        assert f.status is FindingStatus.ISSUED
        assert f.measures == ["建立月度执行通报"]
        assert f.responsible_person == "王五"
        assert f.progress[0].percent == 60
        assert f.evidence_ids == [ev]
        assert f.extension_count == 1
        assert f.carried_years == [2025]
        assert f.reopen_count == 1
        events = list(reopened.store.app.repository.event_store.get(f.id))
        actors = [e.actor for e in events]  # type: ignore[attr-defined]
        assert actors[0] == "评价组"
        assert "一中用户" in actors and "局长" in actors
        returned = [e for e in events if type(e).__name__ == "Returned"]
        assert returned[0].reason == "缺少执行率数据"  # type: ignore[attr-defined]
    finally:
        reopened.close()


def test_roles_for_recording(house: House) -> None:
    for who in (DEPT, AUDITOR):
        with acting_as(who), pytest.raises(NotAllowed, match="不能记录问题"):
            house.findings.record_finding(
                ref="X",
                department_code="D01",
                fiscal_year=2024,
                category="c",
                title="t",
                description="d",
            )
    _record(house)
    with acting_as(BUREAU), pytest.raises(InvalidInput, match="已存在"):
        house.findings.record_finding(
            ref="F-2024-001",
            department_code="D01",
            fiscal_year=2024,
            category="c",
            title="t",
            description="d",
        )
    with acting_as(BUREAU), pytest.raises(NotFound, match="D99"):
        house.findings.record_finding(
            ref="F-9",
            department_code="D99",
            fiscal_year=2024,
            category="c",
            title="t",
            description="d",
        )


def test_only_bureau_issues_and_auditor_changes_nothing(house: House) -> None:
    _record(house)
    for who in (EVALUATOR, DEPT, AUDITOR):
        with acting_as(who), pytest.raises(NotAllowed, match="待下发"):
            house.findings.issue_finding(
                "F-2024-001", rectification_class=RectificationClass.PHASED, requirements="x"
            )
    _issue(house)
    with acting_as(AUDITOR):
        with pytest.raises(NotAllowed):
            house.findings.record_measures("F-2024-001", "x")
        with pytest.raises(NotAllowed):
            house.findings.extend_deadline("F-2024-001", date(2026, 1, 1), "x")
        with pytest.raises(NotAllowed):
            house.findings.withdraw_finding("F-2024-001", "x")
    assert house.findings.get_finding("F-2024-001").version == 2


def test_department_scope(house: House, tmp_path: Path) -> None:
    _record(house, "F-1", unit="D01-01")
    _record(house, "F-2", unit=None)
    _issue(house, "F-1")
    _issue(house, "F-2")
    # The department sees its own and its unit's; the unit only its own.
    with acting_as(DEPT):
        house.findings.record_measures("F-1", "措施")
        house.findings.record_measures("F-2", "措施")
    with acting_as(UNIT_USER):
        house.findings.record_measures("F-1", "措施二")
        # Out of scope reads exactly like a missing ref (a refusal reveals nothing).
        with pytest.raises(NotFound, match="^问题 F-2 不存在$"):
            house.findings.record_measures("F-2", "措施")
    with acting_as(OTHER):
        with pytest.raises(NotFound, match="^问题 F-1 不存在$"):
            house.findings.report_progress("F-1", "x", 10, date(2025, 9, 2))
        with pytest.raises(NotFound, match="^问题 F-1 不存在$"):
            _evidence(house, tmp_path, "F-1", who=OTHER)
    # A department cannot do the bureau's part even on its own finding.
    with acting_as(DEPT), pytest.raises(NotAllowed, match="只有财政局"):
        house.findings.extend_deadline("F-1", date(2026, 1, 1), "想延期")


def test_closure_needs_real_evidence_for_this_finding(house: House, tmp_path: Path) -> None:
    from uuid import uuid4

    _record(house, "F-1")
    _record(house, "F-2")
    _issue(house, "F-1")
    _issue(house, "F-2")
    with acting_as(DEPT), pytest.raises(NotFound, match="佐证材料"):
        house.findings.request_closure("F-1", [uuid4()])
    ev_for_2 = _evidence(house, tmp_path, "F-2")
    with acting_as(DEPT), pytest.raises(InvalidInput, match="问题 F-2 提交"):
        house.findings.request_closure("F-1", [ev_for_2])
    assert house.findings.get_finding("F-1").status is FindingStatus.ISSUED


def test_issue_with_working_day_policy_and_long_term(house: House) -> None:
    _record(house, "F-1")
    _record(house, "F-2")
    house.findings.policy = DeadlinePolicy(
        counting=DayCount.WORKING, days={RectificationClass.IMMEDIATE: 5}
    )
    with acting_as(BUREAU):
        # Fri 2024-09-27 + 5 working days across 国庆 (Sun 09-29 worked): 09-29, 09-30, 10-08..10-10
        house.findings.issue_finding(
            "F-1",
            rectification_class=RectificationClass.IMMEDIATE,
            requirements="x",
            issued_on=date(2024, 9, 27),
        )
        house.findings.issue_finding(
            "F-2",
            rectification_class=RectificationClass.LONG_TERM,
            requirements="x",
            issued_on=date(2024, 9, 27),
        )
    assert house.findings.get_finding("F-1").due == date(2024, 10, 10)
    long_term = house.findings.get_finding("F-2")
    assert long_term.due is None
    assert long_term.re_review_on is not None
    with acting_as(BUREAU), pytest.raises(NotAllowed, match="无法延期"):
        house.findings.extend_deadline("F-2", date(2025, 1, 1), "x")


def test_withdraw_roles_before_and_after_issue(house: House) -> None:
    _record(house, "F-1")
    _record(house, "F-2")
    with acting_as(EVALUATOR):
        house.findings.withdraw_finding("F-1", "重复录入")
    _issue(house, "F-2")
    with acting_as(EVALUATOR), pytest.raises(NotAllowed, match="整改中"):
        house.findings.withdraw_finding("F-2", "x")
    with acting_as(BUREAU):
        house.findings.withdraw_finding("F-2", "评价报告更正")
    assert house.findings.get_finding("F-1").status is FindingStatus.WITHDRAWN
    assert house.findings.get_finding("F-2").status is FindingStatus.WITHDRAWN


def test_repeats_and_linking(house: House) -> None:
    _record(house, "F-2023-1")
    with acting_as(EVALUATOR):
        house.findings.record_finding(
            ref="F-2025-1",
            department_code="D01",
            fiscal_year=2025,
            category="其他",
            title="执行率仍低",
            description="d",
            indicator_codes=("B21", "B22"),
        )
    assert house.findings.repeats_among("F-2025-1", ["F-2023-1", "F-2025-1"]) == ["F-2023-1"]
    with acting_as(EVALUATOR):
        house.findings.link_repeat("F-2025-1", "F-2023-1")
    assert house.findings.get_finding("F-2025-1").repeat_of == ["F-2023-1"]
    with acting_as(DEPT), pytest.raises(NotAllowed):
        house.findings.link_repeat("F-2025-1", "F-2023-1")


def test_long_term_acceptance_and_blob_store_configured(house: House) -> None:
    _record(house)
    _issue(house)
    with acting_as(BUREAU):
        house.findings.accept_long_term(
            "F-2024-001", date(2025, 12, 31), reason="涉及体制调整", on=date(2025, 9, 30)
        )
    f = house.findings.get_finding("F-2024-001")
    assert f.status is FindingStatus.LONG_TERM
    assert f.re_review_on == date(2025, 12, 31)


def test_explicit_dates_win_over_policy(house: House) -> None:
    _record(house, "F-1")
    _record(house, "F-2")
    with acting_as(BUREAU):
        with pytest.raises(InvalidInput, match="早于下发日期"):
            house.findings.issue_finding(
                "F-1",
                rectification_class=RectificationClass.PHASED,
                requirements="x",
                issued_on=date(2025, 3, 1),
                due=date(2025, 2, 1),
            )
        house.findings.issue_finding(
            "F-1",
            rectification_class=RectificationClass.PHASED,
            requirements="x",
            issued_on=date(2025, 3, 1),
            due=date(2025, 4, 15),
        )
        house.findings.issue_finding(
            "F-2",
            rectification_class=RectificationClass.LONG_TERM,
            requirements="x",
            issued_on=date(2025, 3, 1),
            due=date(2026, 3, 1),
        )
    assert house.findings.get_finding("F-1").due == date(2025, 4, 15)
    long_term = house.findings.get_finding("F-2")
    assert (long_term.due, long_term.re_review_on) == (date(2026, 3, 1), date(2025, 5, 30))
