"""Performance targets: declared with a date they take force, revised only with a reason;
"which target was in force on a date" answered from the log; who may do what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rectify.bootstrap import House
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound
from rectify.domain.identity import Principal, Role
from rectify.domain.targets import Category, parse_target

ROWS = [
    {
        "code": "T1",
        "name": "企业服务次数",
        "category": "quantity",
        "operator": "≥",
        "value": "40",
        "unit": "次",
    },
    {
        "code": "T2",
        "name": "企业满意度",
        "category": "satisfaction",
        "operator": ">=",
        "value": "90",
        "unit": "%",
    },
    {
        "code": "T3",
        "name": "营商环境",
        "category": "social",
        "operator": "定性",
        "value": "持续改善",
    },
]


def test_parse_target_names_what_is_wrong_and_where() -> None:
    assert parse_target(ROWS[0], "x").operator == ">=" and parse_target(
        ROWS[0], "x"
    ).value == Decimal(40)
    assert parse_target(ROWS[2], "x").category is Category.SOCIAL
    with pytest.raises(InvalidInput, match=r"表\[0\]：定量指标须有计量单位"):
        parse_target({**ROWS[0], "unit": ""}, "表[0]")
    with pytest.raises(InvalidInput, match="运算符 '≈' 未知"):
        parse_target({**ROWS[0], "operator": "≈"}, "表[0]")
    with pytest.raises(InvalidInput, match="类别 'output' 未知"):
        parse_target({**ROWS[0], "category": "output"}, "表[0]")
    with pytest.raises(InvalidInput, match="不是数字"):
        parse_target({**ROWS[0], "value": "四十"}, "表[0]")


def test_in_force_on_a_date_from_the_log(bureau_house: House) -> None:
    house = bureau_house
    house.findings.app.save_all(house.findings.register_department("WB-GXJ", "工信局", None))
    house.targets.declare_targets("WB-GXJ", 2024, ROWS, effective=date(2024, 1, 15))
    with pytest.raises(InvalidInput, match="须说明理由"):
        house.targets.revise_target(
            "WB-GXJ", 2024, "T1", {"value": "30"}, reason=" ", effective=date(2024, 7, 1)
        )
    # Entered later than it took force (the revision document is dated 2024-07-01).
    house.targets.revise_target(
        "WB-GXJ",
        2024,
        "T1",
        {"value": "30"},
        reason="新财预〔2024〕12号",
        effective=date(2024, 7, 1),
    )
    targets = house.targets.get_targets("WB-GXJ", 2024)
    assert targets.in_force(date(2024, 6, 30))["T1"].value == Decimal(40)
    assert targets.in_force(date(2024, 7, 1))["T1"].value == Decimal(30)
    assert targets.in_force(date(2024, 1, 14)) == {}
    with pytest.raises(NotFound, match="没有指标 T9"):
        house.targets.revise_target("WB-GXJ", 2024, "T9", {"value": "1"}, reason="r")
    with pytest.raises(InvalidInput, match="与现行目标相同"):
        house.targets.revise_target("WB-GXJ", 2024, "T1", {"value": "30"}, reason="r")
    with pytest.raises(NotAllowed, match="已申报"):
        house.targets.declare_targets("WB-GXJ", 2024, ROWS)
    before = targets.version
    with pytest.raises(
        InvalidInput, match="计量单位"
    ):  # a qualitative target made numeric needs a unit
        house.targets.revise_target(
            "WB-GXJ", 2024, "T3", {"operator": ">=", "value": "1"}, reason="r"
        )
    assert house.targets.get_targets("WB-GXJ", 2024).version == before  # nothing recorded


def test_who_may_declare_and_revise(house: House) -> None:
    with house.acting(Principal("bureau-test", Role.BUREAU)):
        for code in ("WB-GXJ", "WB-CZJ"):
            house.findings.app.save_all(house.findings.register_department(code, code, None))
    with house.acting(Principal("gxj", Role.DEPARTMENT, "WB-GXJ")):
        house.targets.declare_targets("WB-GXJ", 2024, ROWS, effective=date(2024, 1, 15))
        with pytest.raises(NotFound, match="^部门 WB-CZJ 不存在$"):  # reveals nothing
            house.targets.declare_targets("WB-CZJ", 2024, ROWS)
    with house.acting(Principal("eval", Role.EVALUATOR)), pytest.raises(NotAllowed):
        house.targets.revise_target("WB-GXJ", 2024, "T1", {"value": "1"}, reason="r")
    with house.acting(Principal("audit", Role.AUDITOR)), pytest.raises(NotAllowed):
        house.targets.declare_targets("WB-CZJ", 2024, ROWS)
