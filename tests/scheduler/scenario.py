"""A fiscal year of findings in every class and state, built through the application."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role, acting_as

BUREAU = Principal("财政局", Role.BUREAU)
EVALUATOR = Principal("评价组", Role.EVALUATOR)
DEPT = Principal("教育局用户", Role.DEPARTMENT, department="D01")

IMM, PHASED, LONG = RectificationClass.IMMEDIATE, RectificationClass.PHASED, RectificationClass.LONG_TERM


def departments(app: Any) -> None:
    with acting_as(BUREAU):
        app.save_all(
            app.department_for("D01", "教育局", None),
            app.department_for("D01-01", "第一中学", "D01"),
            app.department_for("D02", "卫健委", None),
        )


def record(app: Any, ref: str, department: str = "D01", unit: str | None = None) -> None:
    with acting_as(EVALUATOR):
        app.record_finding(
            ref=ref, department_code=department, unit_code=unit, fiscal_year=2024,
            category="预算执行", title=f"问题 {ref}", description="说明",
        )


def issue(app: Any, ref: str, cls: RectificationClass, on: date, due: date | None,
          re_review_on: date | None = None) -> None:
    with acting_as(BUREAU):
        app.issue_finding(ref, rectification_class=cls, requirements="按期整改",
                          issued_on=on, due=due, re_review_on=re_review_on)


def fiscal_year(app: Any, tmp: Path) -> None:
    """Findings in every class and state of FY 2025 (issued 2025-01-06 unless noted)."""
    departments(app)
    on = date(2025, 1, 6)
    record(app, "IMM-OPEN", unit="D01-01")
    issue(app, "IMM-OPEN", IMM, on, date(2025, 2, 5))
    record(app, "IMM-CLOSED")
    issue(app, "IMM-CLOSED", IMM, on, date(2025, 2, 5))
    record(app, "PH-EXTENDED", department="D02")
    issue(app, "PH-EXTENDED", PHASED, on, date(2025, 4, 6))
    record(app, "PH-REPORTING")
    issue(app, "PH-REPORTING", PHASED, on, date(2025, 12, 31))
    record(app, "LT-REVIEW")
    issue(app, "LT-REVIEW", LONG, on, None, re_review_on=date(2025, 7, 1))
    record(app, "PH-ACCEPTED-LT")
    issue(app, "PH-ACCEPTED-LT", PHASED, on, date(2025, 3, 31))
    record(app, "PH-RETURNED")
    issue(app, "PH-RETURNED", PHASED, date(2025, 3, 3), date(2025, 6, 30))
    record(app, "REQ-CLOSURE")
    issue(app, "REQ-CLOSURE", IMM, on, date(2025, 2, 5))
    record(app, "NOT-ISSUED")
    record(app, "WITHDRAWN")
    with acting_as(BUREAU):
        app.extend_deadline("PH-EXTENDED", date(2025, 6, 30), "汛期施工")
        app.accept_long_term("PH-ACCEPTED-LT", date(2025, 9, 30), "长期任务", on=on)
        app.withdraw_finding("WITHDRAWN", "误记")
    with acting_as(DEPT):
        app.report_progress("PH-REPORTING", "首次报告", 20, as_of=date(2025, 4, 1))
        app.report_progress("PH-REPORTING", "二季度", 50, as_of=date(2025, 7, 10))
    closure(app, "IMM-CLOSED", tmp, close=True)
    closure(app, "REQ-CLOSURE", tmp, close=False)
    closure(app, "PH-RETURNED", tmp, close=False)
    with acting_as(BUREAU):
        app.return_finding("PH-RETURNED", "佐证不足")


def closure(app: Any, ref: str, tmp: Path, *, close: bool) -> None:
    from rectify.domain.evidence import FileBlobStore

    tmp.mkdir(parents=True, exist_ok=True)
    app.set_blob_store(FileBlobStore(tmp / "blobs"))
    paper = tmp / f"{ref}.txt"
    paper.write_text(f"{ref} 整改报告", encoding="utf-8")
    with acting_as(DEPT):
        evidence = app.submit_evidence(paper, effective_date=date(2025, 1, 20), finding_ref=ref)
        app.request_closure(ref, [evidence])
    if close:
        with acting_as(BUREAU):
            app.close_finding(ref, "整改到位")
