"""Finding commands through RectifyApp on a real SQLite file store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest

from rectify.domain.application import RectifyApp
from rectify.domain.deadlines import DayCount, DeadlinePolicy
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound
from rectify.domain.evidence import FileBlobStore
from rectify.domain.finding import FindingStatus, RectificationClass
from rectify.domain.identity import Principal, Role, acting_as

BUREAU = Principal("局长", Role.BUREAU)
EVALUATOR = Principal("评价组", Role.EVALUATOR)
AUDITOR = Principal("审计", Role.AUDITOR)
DEPT = Principal("教育局用户", Role.DEPARTMENT, department="D01")
UNIT_USER = Principal("一中用户", Role.DEPARTMENT, department="D01-01")
OTHER = Principal("卫健委用户", Role.DEPARTMENT, department="D02")


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "SQLALCHEMY_URL": f"sqlite:///{tmp_path}/t.db",
        "CREATE_TABLE": "yes",
        "RECTIFY_BLOB_DIR": str(tmp_path / "blobs"),
    }


@pytest.fixture
def app(tmp_path: Path) -> Iterator[RectifyApp]:
    app = RectifyApp(env=_env(tmp_path))
    with acting_as(BUREAU):
        app.save_all(
            app.department_for("D01", "教育局", None),
            app.department_for("D01-01", "第一中学", "D01"),
            app.department_for("D02", "卫健委", None),
        )
    yield app
    app.close()


def _record(app: RectifyApp, ref: str = "F-2024-001", unit: str | None = "D01-01") -> None:
    with acting_as(EVALUATOR):
        app.record_finding(
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


def _issue(app: RectifyApp, ref: str = "F-2024-001") -> None:
    with acting_as(BUREAU):
        app.issue_finding(
            ref,
            rectification_class=RectificationClass.IMMEDIATE,
            requirements="30 日内提交整改报告",
            issued_on=date(2025, 9, 1),
        )


def _evidence(app: RectifyApp, tmp_path: Path, ref: str, who: Principal = DEPT) -> UUID:
    f = tmp_path / "通报.pdf"
    f.write_bytes(b"%PDF-1.4 evidence for " + ref.encode())
    with acting_as(who):
        return app.submit_evidence(f, effective_date=date(2025, 9, 20), finding_ref=ref)


def test_full_cycle_survives_reopening_the_store(app: RectifyApp, tmp_path: Path) -> None:
    _record(app)
    _issue(app)
    finding = app.get_finding("F-2024-001")
    assert finding.status is FindingStatus.ISSUED
    assert finding.due == date(2025, 10, 1)  # default policy: immediate = 30 calendar days
    with acting_as(UNIT_USER):
        app.record_measures("F-2024-001", "建立月度执行通报")
        app.name_responsible_person("F-2024-001", "王五")
        app.report_progress("F-2024-001", "已通报两次", 60, date(2025, 9, 15))
    ev = _evidence(app, tmp_path, "F-2024-001")
    with acting_as(DEPT):
        app.request_closure("F-2024-001", [ev], note="已整改完毕")
    with acting_as(BUREAU):
        app.return_finding("F-2024-001", "缺少执行率数据")
        app.extend_deadline("F-2024-001", date(2025, 11, 1), "数据待决算")
    with acting_as(DEPT):
        app.request_closure("F-2024-001", [ev])
    with acting_as(BUREAU):
        app.close_finding("F-2024-001", "材料齐全")
        app.reopen_finding("F-2024-001", "复查发现执行率仍偏低")
        app.carry_over_finding("F-2024-001", 2025)

    reopened = RectifyApp(env=_env(tmp_path))
    try:
        f = reopened.get_finding("F-2024-001")
        assert f.status is FindingStatus.ISSUED
        assert f.measures == ["建立月度执行通报"]
        assert f.responsible_person == "王五"
        assert f.progress[0].percent == 60
        assert f.evidence_ids == [ev]
        assert f.extension_count == 1
        assert f.carried_years == [2025]
        assert f.reopen_count == 1
        events = list(reopened.repository.event_store.get(f.id))
        actors = [e.actor for e in events]  # type: ignore[attr-defined]
        assert actors[0] == "评价组"
        assert "一中用户" in actors and "局长" in actors
        returned = [e for e in events if type(e).__name__ == "Returned"]
        assert returned[0].reason == "缺少执行率数据"  # type: ignore[attr-defined]
    finally:
        reopened.close()


def test_roles_for_recording(app: RectifyApp) -> None:
    for who in (DEPT, AUDITOR):
        with acting_as(who), pytest.raises(NotAllowed, match="不能记录问题"):
            app.record_finding(
                ref="X",
                department_code="D01",
                fiscal_year=2024,
                category="c",
                title="t",
                description="d",
            )
    _record(app)
    with acting_as(BUREAU), pytest.raises(InvalidInput, match="已存在"):
        app.record_finding(
            ref="F-2024-001",
            department_code="D01",
            fiscal_year=2024,
            category="c",
            title="t",
            description="d",
        )
    with acting_as(BUREAU), pytest.raises(NotFound, match="D99"):
        app.record_finding(
            ref="F-9",
            department_code="D99",
            fiscal_year=2024,
            category="c",
            title="t",
            description="d",
        )


def test_only_bureau_issues_and_auditor_changes_nothing(app: RectifyApp) -> None:
    _record(app)
    for who in (EVALUATOR, DEPT, AUDITOR):
        with acting_as(who), pytest.raises(NotAllowed, match="待下发"):
            app.issue_finding(
                "F-2024-001", rectification_class=RectificationClass.PHASED, requirements="x"
            )
    _issue(app)
    with acting_as(AUDITOR):
        with pytest.raises(NotAllowed):
            app.record_measures("F-2024-001", "x")
        with pytest.raises(NotAllowed):
            app.extend_deadline("F-2024-001", date(2026, 1, 1), "x")
        with pytest.raises(NotAllowed):
            app.withdraw_finding("F-2024-001", "x")
    assert app.get_finding("F-2024-001").version == 2


def test_department_scope(app: RectifyApp, tmp_path: Path) -> None:
    _record(app, "F-1", unit="D01-01")
    _record(app, "F-2", unit=None)
    _issue(app, "F-1")
    _issue(app, "F-2")
    # The department sees its own and its unit's; the unit only its own.
    with acting_as(DEPT):
        app.record_measures("F-1", "措施")
        app.record_measures("F-2", "措施")
    with acting_as(UNIT_USER):
        app.record_measures("F-1", "措施二")
        with pytest.raises(NotAllowed, match="不在 一中用户"):
            app.record_measures("F-2", "措施")
    with acting_as(OTHER):
        with pytest.raises(NotAllowed, match="F-1 属于 D01/D01-01"):
            app.report_progress("F-1", "x", 10, date(2025, 9, 2))
        with pytest.raises(NotAllowed):
            _evidence(app, tmp_path, "F-1", who=OTHER)
    # A department cannot do the bureau's part even on its own finding.
    with acting_as(DEPT), pytest.raises(NotAllowed, match="只有财政局"):
        app.extend_deadline("F-1", date(2026, 1, 1), "想延期")


def test_closure_needs_real_evidence_for_this_finding(app: RectifyApp, tmp_path: Path) -> None:
    from uuid import uuid4

    _record(app, "F-1")
    _record(app, "F-2")
    _issue(app, "F-1")
    _issue(app, "F-2")
    with acting_as(DEPT), pytest.raises(NotFound, match="佐证材料"):
        app.request_closure("F-1", [uuid4()])
    ev_for_2 = _evidence(app, tmp_path, "F-2")
    with acting_as(DEPT), pytest.raises(InvalidInput, match="问题 F-2 提交"):
        app.request_closure("F-1", [ev_for_2])
    assert app.get_finding("F-1").status is FindingStatus.ISSUED


def test_issue_with_working_day_policy_and_long_term(app: RectifyApp) -> None:
    _record(app, "F-1")
    _record(app, "F-2")
    app.deadline_policy = DeadlinePolicy(
        counting=DayCount.WORKING, days={RectificationClass.IMMEDIATE: 5}
    )
    with acting_as(BUREAU):
        # Fri 2024-09-27 + 5 working days across 国庆 (Sun 09-29 worked): 09-29, 09-30, 10-08..10-10
        app.issue_finding(
            "F-1",
            rectification_class=RectificationClass.IMMEDIATE,
            requirements="x",
            issued_on=date(2024, 9, 27),
        )
        app.issue_finding(
            "F-2",
            rectification_class=RectificationClass.LONG_TERM,
            requirements="x",
            issued_on=date(2024, 9, 27),
        )
    assert app.get_finding("F-1").due == date(2024, 10, 10)
    long_term = app.get_finding("F-2")
    assert long_term.due is None
    assert long_term.re_review_on is not None
    with acting_as(BUREAU), pytest.raises(NotAllowed, match="无法延期"):
        app.extend_deadline("F-2", date(2025, 1, 1), "x")


def test_withdraw_roles_before_and_after_issue(app: RectifyApp) -> None:
    _record(app, "F-1")
    _record(app, "F-2")
    with acting_as(EVALUATOR):
        app.withdraw_finding("F-1", "重复录入")
    _issue(app, "F-2")
    with acting_as(EVALUATOR), pytest.raises(NotAllowed, match="整改中"):
        app.withdraw_finding("F-2", "x")
    with acting_as(BUREAU):
        app.withdraw_finding("F-2", "评价报告更正")
    assert app.get_finding("F-1").status is FindingStatus.WITHDRAWN
    assert app.get_finding("F-2").status is FindingStatus.WITHDRAWN


def test_repeats_and_linking(app: RectifyApp) -> None:
    _record(app, "F-2023-1")
    with acting_as(EVALUATOR):
        app.record_finding(
            ref="F-2025-1",
            department_code="D01",
            fiscal_year=2025,
            category="其他",
            title="执行率仍低",
            description="d",
            indicator_codes=("B21", "B22"),
        )
    assert app.repeats_among("F-2025-1", ["F-2023-1", "F-2025-1"]) == ["F-2023-1"]
    with acting_as(EVALUATOR):
        app.link_repeat("F-2025-1", "F-2023-1")
    assert app.get_finding("F-2025-1").repeat_of == ["F-2023-1"]
    with acting_as(DEPT), pytest.raises(NotAllowed):
        app.link_repeat("F-2025-1", "F-2023-1")


def test_long_term_acceptance_and_blob_store_configured(app: RectifyApp) -> None:
    _record(app)
    _issue(app)
    with acting_as(BUREAU):
        app.accept_long_term(
            "F-2024-001", date(2025, 12, 31), reason="涉及体制调整", on=date(2025, 9, 30)
        )
    f = app.get_finding("F-2024-001")
    assert f.status is FindingStatus.LONG_TERM
    assert f.re_review_on == date(2025, 12, 31)
    assert isinstance(app.blob_store, FileBlobStore)


def test_explicit_dates_win_over_policy(app: RectifyApp) -> None:
    _record(app, "F-1")
    _record(app, "F-2")
    with acting_as(BUREAU):
        with pytest.raises(InvalidInput, match="早于下发日期"):
            app.issue_finding(
                "F-1",
                rectification_class=RectificationClass.PHASED,
                requirements="x",
                issued_on=date(2025, 3, 1),
                due=date(2025, 2, 1),
            )
        app.issue_finding(
            "F-1",
            rectification_class=RectificationClass.PHASED,
            requirements="x",
            issued_on=date(2025, 3, 1),
            due=date(2025, 4, 15),
        )
        app.issue_finding(
            "F-2",
            rectification_class=RectificationClass.LONG_TERM,
            requirements="x",
            issued_on=date(2025, 3, 1),
            due=date(2026, 3, 1),
        )
    assert app.get_finding("F-1").due == date(2025, 4, 15)
    long_term = app.get_finding("F-2")
    assert (long_term.due, long_term.re_review_on) == (date(2026, 3, 1), date(2025, 5, 30))
