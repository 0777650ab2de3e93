"""A fiscal year of findings in every class and state, built through the House's services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rectify.bootstrap import House
from rectify.domain.clock import FixedClock
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.monitoring import SELF_EVALUATION, Period

BUREAU = Principal("财政局", Role.BUREAU)
EVALUATOR = Principal("评价组", Role.EVALUATOR)
DEPT = Principal("教育局用户", Role.DEPARTMENT, department="D01")

IMM, PHASED, LONG = (
    RectificationClass.IMMEDIATE,
    RectificationClass.PHASED,
    RectificationClass.LONG_TERM,
)


def departments(house: House) -> None:
    with acting_as(BUREAU):
        house.store.app.save_all(
            house.findings.register_department("D01", "教育局", None),
            house.findings.register_department("D01-01", "第一中学", "D01"),
            house.findings.register_department("D02", "卫健委", None),
        )


def record(house: House, ref: str, department: str = "D01", unit: str | None = None) -> None:
    with acting_as(EVALUATOR):
        house.findings.record_finding(
            ref=ref,
            department_code=department,
            unit_code=unit,
            fiscal_year=2024,
            category="预算执行",
            title=f"问题 {ref}",
            description="说明",
        )


def reach(house: House, day: date) -> None:
    """Move the house's fixed day forward to `day`: nothing is dated after today."""
    if isinstance(house.clock, FixedClock) and house.clock.today() < day:
        house.clock.advance(days=(day - house.clock.today()).days)


def issue(
    house: House,
    ref: str,
    cls: RectificationClass,
    on: date,
    due: date | None,
    re_review_on: date | None = None,
) -> None:
    reach(house, on)
    with acting_as(BUREAU):
        house.findings.issue_finding(
            ref,
            rectification_class=cls,
            requirements="按期整改",
            issued_on=on,
            due=due,
            re_review_on=re_review_on,
        )


def fiscal_year(house: House, tmp: Path) -> None:
    """Findings in every class and state of FY 2025 (issued 2025-01-06 unless noted)."""
    departments(house)
    on = date(2025, 1, 6)
    record(house, "IMM-OPEN", unit="D01-01")
    issue(house, "IMM-OPEN", IMM, on, date(2025, 2, 5))
    record(house, "IMM-CLOSED")
    issue(house, "IMM-CLOSED", IMM, on, date(2025, 2, 5))
    record(house, "PH-EXTENDED", department="D02")
    issue(house, "PH-EXTENDED", PHASED, on, date(2025, 4, 6))
    record(house, "PH-REPORTING")
    issue(house, "PH-REPORTING", PHASED, on, date(2025, 12, 31))
    record(house, "LT-REVIEW")
    issue(house, "LT-REVIEW", LONG, on, None, re_review_on=date(2025, 7, 1))
    record(house, "PH-ACCEPTED-LT")
    issue(house, "PH-ACCEPTED-LT", PHASED, on, date(2025, 3, 31))
    record(house, "PH-RETURNED")
    issue(house, "PH-RETURNED", PHASED, date(2025, 3, 3), date(2025, 6, 30))
    record(house, "REQ-CLOSURE")
    issue(house, "REQ-CLOSURE", IMM, on, date(2025, 2, 5))
    record(house, "NOT-ISSUED")
    record(house, "WITHDRAWN")
    with acting_as(BUREAU):
        house.findings.extend_deadline("PH-EXTENDED", date(2025, 6, 30), "汛期施工")
        house.findings.accept_long_term("PH-ACCEPTED-LT", date(2025, 9, 30), "长期任务", on=on)
        house.findings.withdraw_finding("WITHDRAWN", "误记")
    reach(house, date(2025, 7, 10))
    with acting_as(DEPT):
        house.findings.report_progress("PH-REPORTING", "首次报告", 20, as_of=date(2025, 4, 1))
        house.findings.report_progress("PH-REPORTING", "二季度", 50, as_of=date(2025, 7, 10))
    closure(house, "IMM-CLOSED", tmp, close=True)
    closure(house, "REQ-CLOSURE", tmp, close=False)
    closure(house, "PH-RETURNED", tmp, close=False)
    with acting_as(BUREAU):
        house.findings.return_finding("PH-RETURNED", "佐证不足")


def closure(house: House, ref: str, tmp: Path, *, close: bool) -> None:
    tmp.mkdir(parents=True, exist_ok=True)
    paper = tmp / f"{ref}.txt"
    paper.write_text(f"{ref} 整改报告", encoding="utf-8")
    with acting_as(DEPT):
        evidence = house.evidence.submit_evidence(
            paper, effective_date=date(2025, 1, 20), finding_ref=ref
        )
        house.findings.request_closure(ref, [evidence])
    if close:
        with acting_as(BUREAU):
            house.findings.close_finding(ref, "整改到位")


def monitoring_plans(house: House) -> None:
    """Monitoring plans with reports never filed: D01 2025 (H1 due 2025-07-15, H2 due
    2026-01-15) and D02 2024 (its self-evaluation due 2025-03-31)."""
    with acting_as(BUREAU):
        house.monitoring.plan_monitoring(
            "D01",
            2025,
            [
                Period("H1", date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 15)),
                Period("H2", date(2025, 7, 1), date(2025, 12, 31), date(2026, 1, 15)),
            ],
        )
        house.monitoring.plan_monitoring(
            "D02",
            2024,
            [
                Period(
                    "自评",
                    date(2024, 1, 1),
                    date(2024, 12, 31),
                    date(2025, 3, 31),
                    kind=SELF_EVALUATION,
                ),
            ],
        )
