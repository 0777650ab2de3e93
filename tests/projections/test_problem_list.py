"""The problem-list read model: lifecycle columns, timeline, scope, overdue, figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from rectify.bootstrap import House
from rectify.domain.errors import NotFound
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role, acting_as
from rectify.projections import queries
from rectify.projections.figures import figures
from rectify.projections.timeline import finding_timeline

BUREAU = Principal("bureau-test", Role.BUREAU)
DEPT = Principal("d1-user", Role.DEPARTMENT, "D1")
UNIT = Principal("d1u-user", Role.DEPARTMENT, "D1-U")
OTHER = Principal("d2-user", Role.DEPARTMENT, "D2")
ISSUED = date(2025, 3, 1)
TODAY = date(2025, 3, 3)  # the test clock's day (tests/conftest.py)


def setup(house: House, tmp_path: object) -> None:
    with acting_as(BUREAU):
        house.services.app.save_all(house.services.app.department_for("D1", "甲局", None))
        house.services.app.save_all(house.services.app.department_for("D1-U", "甲局下属单位", "D1"))
        house.services.app.save_all(house.services.app.department_for("D2", "乙局", None))
        for ref, dept, unit, amount in (
            ("D1/2024/01", "D1", None, Decimal("100.50")),
            ("D1/2024/02", "D1", "D1-U", Decimal("300")),
            ("D1/2024/03", "D1", None, None),
            ("D1/2024/04", "D1", None, Decimal("7")),
            ("D2/2024/01", "D2", None, Decimal("50")),
        ):
            house.findings.record_finding(
                ref=ref,
                department_code=dept,
                unit_code=unit,
                fiscal_year=2024,
                category="预算管理",
                title=f"问题 {ref}",
                description="预算编制不够精细",
                amount=amount,
            )
            house.findings.issue_finding(
                ref,
                rectification_class=RectificationClass.IMMEDIATE,
                requirements="按要求整改",
                issued_on=ISSUED,
                due=date(2025, 4, 1),
            )
        house.findings.withdraw_finding("D1/2024/04", "误记")
        house.findings.extend_deadline("D1/2024/03", date(2025, 6, 30), "需财政配合")
    evidence = tmp_path / "proof.txt"  # type: ignore[operator]
    evidence.write_text("整改报告", encoding="utf-8")
    with acting_as(DEPT):
        house.findings.record_measures("D1/2024/01", "细化测算")
        house.findings.name_responsible_person("D1/2024/01", "张三")
        house.findings.report_progress("D1/2024/01", "已完成", 100, date(2025, 3, 1))
        eid = house.evidence.submit_evidence(
            evidence, effective_date=date(2025, 3, 1), finding_ref="D1/2024/01"
        )
        house.findings.request_closure("D1/2024/01", [eid])
    with acting_as(BUREAU):
        house.findings.close_finding("D1/2024/01", "材料齐全")
        house.findings.carry_over_finding("D1/2024/02", 2025, "跨年度整改")
    house.store.catch_up()


def test_lifecycle_columns_and_timeline(house: House, tmp_path: object) -> None:
    setup(house, tmp_path)
    with house.store.engine.connect() as conn:
        detail = queries.finding_detail(conn, "D1/2024/01", principal=BUREAU, today=TODAY)
        f = detail.finding
        assert (f.status, f.responsible_person, f.progress_percent) == ("closed", "张三", 100)
        assert f.requirements == "按要求整改" and f.issued_on == ISSUED and f.closed_at is not None
        labels = [e.label for e in detail.timeline]
        assert labels == [
            "记录问题",
            "下发",
            "记录整改措施",
            "指定责任人",
            "报告整改进展",
            "附佐证材料",
            "申请销号",
            "销号",
        ]
        assert (
            detail.timeline[-1].actor == "bureau-test" and detail.timeline[-1].reason == "材料齐全"
        )
        assert detail.timeline[2].actor == "d1-user"
        carried = queries.finding_detail(conn, "D1/2024/02", principal=BUREAU, today=TODAY).finding
        assert carried.carried_years == (2025,) and carried.last_carried_year == 2025
        extended = queries.finding_detail(conn, "D1/2024/03", principal=BUREAU, today=TODAY).finding
        assert extended.extension_count == 1 and extended.due == date(2025, 6, 30)
        n = conn.execute(select(finding_timeline.c.ref)).all()
        assert len(n) == 5 * 2 + 6 + 1 + 1 + 1


def test_overdue_and_filters(house: House, tmp_path: object) -> None:
    setup(house, tmp_path)
    with house.store.engine.connect() as conn:

        def refs(**kw: object) -> list[str]:
            kw.setdefault("today", TODAY)
            return [f.ref for f in queries.list_findings(conn, principal=BUREAU, **kw)]  # type: ignore[arg-type]

        # Due 2025-04-01: not overdue that day, overdue the next (closed/withdrawn never).
        assert refs(overdue=True, today=date(2025, 4, 1)) == []
        assert refs(overdue=True, today=date(2025, 4, 2)) == ["D1/2024/02", "D2/2024/01"]
        assert refs(overdue=True, today=date(2025, 7, 1)) == [
            "D1/2024/02",
            "D1/2024/03",
            "D2/2024/01",
        ]
        assert refs(status="closed") == ["D1/2024/01"]
        assert refs(fiscal_year=2025) == ["D1/2024/02"]
        assert refs(text="D2/2024") == ["D2/2024/01"]
        assert refs(rectification_class="phased") == []
        assert refs(after="D1/2024/03", limit=1) == ["D1/2024/04"]
        # Scope: the department sees its own and its unit's; the unit only its own.
        assert [f.ref for f in queries.list_findings(conn, principal=DEPT, today=TODAY)] == [
            "D1/2024/01",
            "D1/2024/02",
            "D1/2024/03",
            "D1/2024/04",
        ]
        assert [f.ref for f in queries.list_findings(conn, principal=UNIT, today=TODAY)] == [
            "D1/2024/02"
        ]
        assert [f.ref for f in queries.list_findings(conn, principal=OTHER, today=TODAY)] == [
            "D2/2024/01"
        ]
        # Out of scope reads exactly like a missing ref.
        with pytest.raises(NotFound, match="^问题 D1/2024/01 不存在$"):
            queries.finding_detail(conn, "D1/2024/01", principal=OTHER, today=TODAY)
        with pytest.raises(NotFound, match="^问题 NO/SUCH 不存在$"):
            queries.finding_detail(conn, "NO/SUCH", principal=OTHER, today=TODAY)


def test_figures(house: House, tmp_path: object) -> None:
    setup(house, tmp_path)
    with house.store.engine.connect() as conn:
        rows = figures(conn, principal=BUREAU, today=date(2025, 7, 1))
        by_key = {(r.department_code, r.year): r for r in rows}
        d1 = by_key[("D1", 2024)]
        assert d1.total == 4 and d1.withdrawn == 1 and d1.closed == 1
        assert d1.by_status == {"closed": 1, "issued": 2, "withdrawn": 1}
        assert d1.rate_by_count == Decimal("33.33")  # 1 / (4 − 1)
        assert d1.amount_total == Decimal("400.50") and d1.amount_closed == Decimal("100.50")
        assert d1.rate_by_amount == Decimal("25.09")  # 100.50 / 400.50
        assert (d1.overdue, d1.extended, d1.carried_over, d1.repeats) == (2, 1, 0, 0)
        d1_2025 = by_key[("D1", 2025)]
        assert (d1_2025.total, d1_2025.carried_over, d1_2025.rate_by_count) == (
            1,
            1,
            Decimal("0.00"),
        )
        assert by_key[("D2", 2024)].rate_by_count == Decimal("0.00")
        mine = figures(conn, principal=OTHER, year=2024, today=TODAY)
        assert [(r.department_code, r.year) for r in mine] == [("D2", 2024)]
