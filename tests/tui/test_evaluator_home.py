"""The evaluator's home: what to look at in its evaluations (rule differences, weight
and total mismatches) and the leaves still waiting for a score at the evaluation's stage."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import DataTable

from rectify.domain.evaluation import NodeCard, Scorecard, ScoreStage
from rectify.tui.home_data import _checks
from tests.tui.conftest import World, settle, sync


def node(
    code: str,
    *,
    leaf: bool = True,
    score: str | None = "1",
    stage: ScoreStage | None = ScoreStage.THIRD_PARTY,
    rule: str | None = None,
    weight: str | None = None,
) -> NodeCard:
    return NodeCard(
        code=code,
        printed_code=None,
        name=code,
        parent=None,
        depth=1,
        weight=Decimal(5),
        is_leaf=leaf,
        score=Decimal(score) if score is not None else None,
        stage=stage,
        stage_scores={},
        rule_range=None,
        rule_difference=Decimal(rule) if rule else None,
        weight_difference=Decimal(weight) if weight else None,
    )


def test_checks_of_a_scorecard() -> None:
    card = Scorecard(
        key="K",
        version=3,
        total=Decimal(80),
        grade="良",
        stated_total=Decimal("80.5"),
        stated_grade="良",
        total_difference=Decimal("-0.5"),
        nodes=(
            node("A", leaf=False, score="3", stage=None, weight="2"),
            node("A1", rule="1.5"),
            node("A2", stage=ScoreStage.SELF),
            node("A3", score=None, stage=None),
            node("A4"),
        ),
    )
    found = [(c.code, c.what) for c in _checks("K", "评价", "third_party", card)]
    assert found == [
        ("总分", "报告所称总分与计算不符（差 -0.5）"),
        ("A", "下级权重合计与本级不符（差 +2）"),
        ("A1", "得分 1 与评分规则不符（差 +1.5）"),
        ("A2", "只有自评得分，待第三方评价评分"),
        ("A3", "尚未评分"),
    ]


@sync
async def test_evaluator_home_lists_what_to_look_at(world: World) -> None:
    app = world.app("evaluator")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        checks = app.screen.query_one("#checks", DataTable)
        rows = [[str(c) for c in checks.get_row_at(i)] for i in range(checks.row_count)]
        assert ["A2.2", "得分 1.50 与评分规则不符（差 +1.50）"] in [r[1:] for r in rows]
        waiting = app.screen.query_one("#home-evaluations", DataTable)
        assert str(waiting.get_row_at(0)[-1]) == "0"
        checks.focus()
        checks.move_cursor(row=[r[1] for r in rows].index("A2.2"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#tree", DataTable).display  # the evaluation opened
