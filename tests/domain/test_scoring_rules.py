"""Rule engine: every kind, its parameters, undisclosed inputs and rounding."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, cast

import pytest
from pydantic import TypeAdapter

from rectify.domain.scoring import (
    Interval,
    Rounding,
    Rule,
    compute_scores,
    evaluate_rule,
    grade_for,
    rule_problems,
    tiers_cover,
)
from rectify.domain.scoring import measures as m
from rectify.domain.scoring.tree import GradeBand, TreeNode

RULE: TypeAdapter[Any] = TypeAdapter(cast(Any, Rule))
R2 = Rounding()


def rule(**kw: Any) -> Rule:
    return cast(Rule, RULE.validate_python(kw))


def score(r: Rule, weight: str, inputs: dict[str, object] | None = None, **kw: Any) -> Interval:
    return evaluate_rule(r, D(weight), inputs or {}, rounding=R2, **kw)


def pt(x: str) -> Interval:
    return Interval.point(D(x))


def test_manual() -> None:
    assert score(
        rule(kind="manual", levels=[1, D("0.8"), D("0.6"), 0]), "5", {"level": D("0.8")}
    ) == pt("4.00")
    assert score(rule(kind="manual", levels=[1, D("0.8"), D("0.6")]), "5") == Interval(
        D("3.00"), D("5.00")
    )
    assert score(rule(kind="manual"), "8") == Interval(D("0.00"), D("8.00"))


def test_checklist_shares_points_and_default_equal() -> None:
    r = rule(kind="checklist", items=[{"text": "a"}, {"text": "b"}, {"text": "c"}])
    assert score(r, "3", {"results": [True, True, False]}) == pt("2.00")
    r = rule(kind="checklist", items=[{"text": "a", "points": 1}, {"text": "b"}, {"text": "c"}])
    assert score(r, "5", {"results": [False, True, True]}) == pt("4.00")
    r = rule(
        kind="checklist", items=[{"text": "a", "share": D("0.3")}, {"text": "b", "share": D("0.7")}]
    )
    assert score(r, "2", {"results": [D("0.5"), True]}) == pt("1.70")


def test_checklist_veto_gate_and_tiers() -> None:
    items = [{"text": "a"}, {"text": "b"}, {"text": "c", "veto": True}]
    r = rule(kind="checklist", items=items)
    assert score(r, "3", {"results": [True, True, False]}) == pt("0.00")
    assert score(r, "3", {"results": [True, True, None]}) == Interval(D("0.00"), D("3.00"))
    r = rule(
        kind="checklist",
        items=[
            {"text": "g", "share": D("0.5"), "gate": True},
            {"text": "b", "share": D("0.25")},
            {"text": "c", "share": D("0.25")},
        ],
    )
    assert score(r, "4", {"results": [False, True, True]}) == pt("0.00")
    assert score(r, "4", {"results": [None, True, True]}) == Interval(D("0.00"), D("4.00"))
    r = rule(
        kind="checklist",
        items=[{"text": "a"}, {"text": "b"}],
        result_tiers={
            "达成": [D("0.8"), 1],
            "部分达成": [D("0.6"), D("0.8")],
            "未达成": [0, D("0.6")],
        },
    )
    assert score(r, "10", {"results": ["达成", "部分达成"]}) == Interval(D("7.00"), D("9.00"))


def test_ratio() -> None:
    r = rule(kind="ratio", measure="input:x")
    assert score(r, "4", {"x": D("80")}) == pt("3.20")
    assert score(r, "4", {"x": D("120")}) == pt("4.00")
    assert score(r, "4", {"x": D("-5")}) == pt("0.00")
    assert score(r, "4", {"x": None}) == Interval(D("0.00"), D("4.00"))
    assert score(rule(kind="ratio", measure="input:x", target=50), "4", {"x": D("25")}) == pt(
        "2.00"
    )


def test_deviation_modes() -> None:
    base: dict[str, Any] = {
        "kind": "deviation",
        "measure": "input:x",
        "band": [-10, 10],
        "deduct": {"fraction_of_weight": D("0.05")},
    }
    assert score(rule(**base), "2", {"x": D("-37.52")}) == pt("0.00")
    assert score(rule(**base), "2", {"x": D("12.5")}) == pt("1.75")
    assert score(rule(**base, step_mode="ceil"), "2", {"x": D("12.5")}) == pt("1.70")
    assert score(rule(**base, step_mode="floor"), "2", {"x": D("12.5")}) == pt("1.80")
    # a value on an excluded edge is outside at distance 0; ceil counts one step there
    excl = dict(base, band_inclusive=[True, False], step_mode="ceil")
    assert score(rule(**excl), "2", {"x": D("10")}) == pt("1.90")
    prop = dict(base, band_inclusive=[True, False])
    assert score(rule(**prop), "2", {"x": D("10")}) == pt("2.00")
    assert score(rule(**base, zero_beyond=5), "2", {"x": D("15.01")}) == pt("0.00")
    assert score(rule(**base, zero_beyond=5), "2", {"x": D("15")}) == pt("1.50")
    pts = dict(base, deduct={"points": D("0.3")}, step=2)
    assert score(rule(**pts), "2", {"x": D("14")}) == pt("1.40")
    assert score(rule(**base), "2", {"x": None}) == Interval(D("0.00"), D("2.00"))


def test_deviation_reads_measure_then_stated() -> None:
    r = rule(
        kind="deviation",
        measure="budget.execution_rate",
        band=[100, None],
        deduct={"fraction_of_weight": D("0.01")},
    )
    lookup = {"budget.execution_rate": D("64.99")}.get
    assert evaluate_rule(r, D("2.22"), {"stated": D(100)}, lookup, rounding=R2) == pt("1.44")
    assert evaluate_rule(r, D("2.22"), {"stated": D(100)}, rounding=R2) == pt("2.22")
    assert evaluate_rule(r, D("2.22"), {}, rounding=R2) == Interval(D("0.00"), D("2.22"))


def test_tiers_and_distance_from() -> None:
    tiers = [
        {"min": 90, "fraction": 1},
        {"min": 80, "max": 90, "fraction": D("0.8")},
        {"max": 80, "fraction": 0},
    ]
    r = rule(kind="tiers", measure="input:x", tiers=tiers)
    assert score(r, "5", {"x": D(90)}) == pt("5.00")
    assert score(r, "5", {"x": D("89.99")}) == pt("4.00")
    assert score(r, "5", {"x": D(10)}) == pt("0.00")
    assert score(r, "5", {"x": None}) == Interval(D("0.00"), D("5.00"))
    gap = rule(
        kind="tiers",
        measure="input:x",
        tiers=[{"min": 90, "points": 3}, {"min": 50, "max": 60, "points": 2}],
    )
    assert score(gap, "5", {"x": D(70)}) == Interval(D("0.00"), D("5.00"))
    dist = rule(
        kind="tiers",
        measure="input:x",
        of={"distance_from": 100},
        tiers=[
            {"max": 5, "max_inclusive": True, "fraction": 1},
            {"min": 5, "min_inclusive": False, "fraction": D("0.5")},
        ],
    )
    assert score(dist, "4", {"x": D(96)}) == pt("4.00")
    assert score(dist, "4", {"x": D(106)}) == pt("2.00")
    assert score(dist, "4", {"x": None}) == Interval(D("2.00"), D("4.00"))


def test_tiers_cover() -> None:
    r = rule(
        kind="tiers",
        measure="input:x",
        tiers=[
            {"max": 0, "fraction": 0},
            {"min": 0, "max": 1, "max_inclusive": True, "fraction": 1},
            {"min": 1, "min_inclusive": False, "fraction": 0},
        ],
    )
    assert tiers_cover(r.tiers)  # type: ignore[union-attr]
    r = rule(
        kind="tiers",
        measure="input:x",
        tiers=[
            {"max": 0, "fraction": 0},
            {"min": 0, "max": 1, "fraction": 1},
            {"min": 1, "min_inclusive": False, "fraction": 0},
        ],
    )
    assert not tiers_cover(r.tiers)  # type: ignore[union-attr]  # 1 itself is missing


def test_threshold_and_all_of() -> None:
    r = rule(kind="threshold", measure="staffing.control_rate", op="<=", value=100)
    assert evaluate_rule(r, D(3), {}, {"staffing.control_rate": D(100)}.get) == pt("3")
    assert evaluate_rule(r, D(3), {}, {"staffing.control_rate": D("100.01")}.get) == pt("0")
    both = rule(
        kind="threshold",
        all_of=[
            {"measure": "input:a", "op": ">", "value": 0},
            {"measure": "input:b", "op": "==", "value": 1},
        ],
    )
    assert score(both, "2", {"a": D(1), "b": D(1)}) == pt("2.00")
    assert score(both, "2", {"a": D(0), "b": None}) == pt("0.00")
    assert score(both, "2", {"a": D(1), "b": None}) == Interval(D("0.00"), D("2.00"))


def test_per_case() -> None:
    r = rule(kind="per_case", points=D("0.5"), cap=2)
    assert score(r, "3", {"cases": D(3)}) == pt("1.50")
    assert score(r, "3", {"cases": D(10)}) == pt("1.00")
    assert score(r, "3", {"cases": [{"text": "a", "points": 1}, {"text": "b"}]}) == pt("1.50")
    assert score(r, "3", {"cases": None}) == Interval(D("1.00"), D("3.00"))
    assert score(rule(kind="per_case", points=1), "3", {"cases": D(5)}) == pt("0.00")


def test_composite_and_part_veto() -> None:
    r = rule(
        kind="composite",
        parts=[
            {
                "name": "a",
                "points": 2,
                "rule": {"kind": "ratio", "measure": "input:x"},
                "inputs": {"x": 50},
            },
            {
                "name": "b",
                "points": 3,
                "rule": {"kind": "manual", "veto": [{"text": "v", "input": "bad"}]},
                "inputs": {"level": 1, "bad": False},
            },
        ],
    )
    assert score(r, "5") == pt("4.00")
    r2 = RULE.validate_python(
        {
            **r.model_dump(),
            "parts": [
                r.model_dump()["parts"][0],
                {**r.model_dump()["parts"][1], "inputs": {"level": 1, "bad": True}},
            ],
        }
    )
    assert score(r2, "5") == pt("0.00")


def test_rule_level_veto() -> None:
    r = rule(kind="ratio", measure="input:x", veto=[{"text": "挪用", "input": "misuse"}])
    assert score(r, "4", {"x": D(100), "misuse": True}) == pt("0.00")
    assert score(r, "4", {"x": D(100), "misuse": None}) == Interval(D("0.00"), D("4.00"))
    assert score(r, "4", {"x": D(100), "misuse": False}) == pt("4.00")


def test_grade_map() -> None:
    r = rule(kind="grade_map")
    items = [
        {"name": "a", "score": D(95)},
        {"name": "b", "grade": "中"},
        {"name": "c", "score": D(85), "grade": "差"},
    ]
    assert score(r, "6", {"items": items}) == pt("3.00")
    assert score(r, "6", {"items": [{"name": "a"}]}) == Interval(D("0.00"), D("6.00"))


def test_rounding_modes() -> None:
    r = rule(kind="ratio", measure="input:x")
    assert evaluate_rule(r, D(1), {"x": D("0.5")}, rounding=Rounding(2, "half_up")) == pt("0.01")
    assert evaluate_rule(r, D(1), {"x": D("0.5")}, rounding=Rounding(2, "half_even")) == pt("0.00")
    assert evaluate_rule(r, D(1), {"x": D("1.5")}, rounding=Rounding(2, "half_even")) == pt("0.02")


def test_rule_problems() -> None:
    assert rule_problems(rule(kind="tiers", measure="input:x", tiers=[])) == [
        (".tiers", "档位列表不能为空")
    ]
    probs = rule_problems(rule(kind="per_case", points=-1, cap=9), D(5))
    assert [p for p, _ in probs] == [".points", ".cap"]
    assert (
        rule_problems(
            rule(
                kind="checklist",
                items=[{"text": "a", "share": D("0.6")}, {"text": "b", "share": D("0.6")}],
            )
        )[0][0]
        == ".items"
    )


def test_tree_and_grades() -> None:
    nodes = [
        TreeNode("A", None, D(10)),
        TreeNode("A1", "A", D(5), D("2.224")),
        TreeNode("A2", "A", D(5), D("2.224")),
    ]
    assert compute_scores(nodes, Rounding()).total == D("4.44")
    assert compute_scores(nodes, Rounding(aggregate="round_of_sum")).total == D("4.45")
    assert grade_for(D("89.99")) == "良"
    assert grade_for(D(90)) == "优"
    assert grade_for(D(-1)) is None
    assert grade_for(D(95), [GradeBand("优秀", D(90)), GradeBand("其他", D(0))]) == "优秀"


def test_measures() -> None:
    assert m.adjustment_rate(D("854.07"), D("533.63")) is not None
    assert R2.round(m.adjustment_rate(D("854.07"), D("533.63")) or D(0)) == D("-37.52")
    assert R2.round(m.execution_rate(D(1345343), D(2070000)) or D(0)) == D("64.99")
    assert m.staffing_control_rate([(6, 4), (6, 8)]) == D(100)
    assert R2.round(m.staffing_control_rate([(6, 8)]) or D(0)) == D("133.33")
    comp = m.question_composite([14, 4, 1, 0, 0], [D(100), D(75), D(50), D(25), D(0)], 19)
    assert R2.round(comp or D(0)) == D("92.11")
    assert m.execution_rate(D(1), D(0)) is None
    assert m.survey_overall([D(90), D(95)]) == D("92.5")


@pytest.mark.parametrize("weight", ["0", "2.22"])
def test_within_weight(weight: str) -> None:
    r = rule(kind="ratio", measure="input:x", cap=2)
    got = score(r, weight, {"x": D(200)})
    assert got.hi <= D(weight)
