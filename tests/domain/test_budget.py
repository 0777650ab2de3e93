"""The Budget aggregate and the adjust command: derived figures and rates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rectify.bootstrap import House
from rectify.domain.budget import Budget
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound
from rectify.domain.identity import Principal, Role, acting_as
from rectify.projections import evaluations as ev
from rectify.reports.importer import import_package
from rectify.reports.package import load_package
from tests.conftest import WEIBIN

D = Decimal


def new_budget() -> Budget:
    with acting_as(Principal("bureau", Role.BUREAU)):
        return Budget(
            department_code="D1",
            fiscal_year=2024,
            unit="万元",
            lines=[
                {"code": "basic", "name": "基本支出", "initial": D(100), "stated_adjusted": None},
                {"code": "project", "name": "项目支出", "initial": D(100), "stated_adjusted": None},
            ],
            sources=None,
            stated={},
        )


def test_adjustments_derive_adjusted_and_the_rate() -> None:
    b = new_budget()
    assert b.rates()["adjustment_rate"] == 0
    with acting_as(Principal("bureau", Role.BUREAU)):
        b.adjust("project", D(-50), reason="调减", document="财预〔2024〕1号")
        b.adjust("basic", D(10), reason="追加")
        b.record_final_accounts({"basic": D(110), "project": D(25)}, D(25))
    t = b.totals()
    assert (t.initial, t.adjusted, t.final, t.adjustment) == (D(200), D(160), D(135), D(-40))
    rates = b.rates()
    assert rates["adjustment_rate"] == D(-20)
    assert rates["execution_rate"] == D("84.375")
    assert rates["carryover_rate"] == D("15.625")


def test_bad_adjustments_are_refused() -> None:
    b = new_budget()
    with acting_as(Principal("bureau", Role.BUREAU)):
        with pytest.raises(InvalidInput, match="预算行 x 不存在"):
            b.adjust("x", D(1), reason="r")
        with pytest.raises(InvalidInput, match="非零"):
            b.adjust("basic", D(0), reason="r")
        with pytest.raises(InvalidInput, match="理由"):
            b.adjust("basic", D(1), reason=" ")


def test_budget_adjust_command_updates_the_rate(house: House, bureau: object) -> None:
    import_package(house.services, load_package(WEIBIN))
    before = house.evaluations.get_budget("WB-GXJ", 2024).rates()["adjustment_rate"]
    assert before is not None and round(before, 2) == D("-37.52")
    house.evaluations.adjust_budget(
        "WB-GXJ", 2024, line="project", amount=D("85.44"), reason="追加项目"
    )
    after = house.evaluations.get_budget("WB-GXJ", 2024).rates()["adjustment_rate"]
    assert after == D("-27.52") * 854 / D("854.07") or round(after or 0, 2) == D("-27.52")
    house.store.catch_up()
    with house.store.engine.connect() as conn:
        view = ev.budget_view(conn, "WB-GXJ", 2024)
    assert view is not None and view.adjustment_rate == after
    assert view.adjustments[-1].reason == "追加项目" and view.adjustments[-1].actor == "bureau-test"
    with acting_as(Principal("评价", Role.EVALUATOR)), pytest.raises(NotAllowed):
        house.evaluations.adjust_budget("WB-GXJ", 2024, line="project", amount=D(1), reason="r")
    with (
        acting_as(Principal("别的部门", Role.DEPARTMENT, department="X")),
        pytest.raises(NotFound, match="^部门 WB-GXJ 2024 年度的预算不存在$"),  # as if missing
    ):
        house.evaluations.adjust_budget("WB-GXJ", 2024, line="project", amount=D(1), reason="r")
    with acting_as(Principal("本部门", Role.DEPARTMENT, department="WB-GXJ")):
        house.evaluations.adjust_budget("WB-GXJ", 2024, line="project", amount=D(1), reason="r")
