"""The Evaluation aggregate: what scores it refuses, who may score, derived parents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from rectify.domain.errors import InvalidInput, NotAllowed
from rectify.domain.evaluation import Evaluation, ScoreStage
from rectify.domain.identity import Principal, Role, acting_as

D = Decimal


def tree() -> list[dict[str, Any]]:
    return [
        {"code": "A", "parent": None, "name": "决策", "weight": D(10)},
        {"code": "A1", "parent": "A", "name": "立项", "weight": D(10)},
        {"code": "A1.1", "parent": "A1", "name": "依据", "weight": D(4), "rule": None},
        {"code": "A1.2", "parent": "A1", "name": "程序", "weight": D(6), "rule": None},
        {"code": "B", "parent": None, "name": "产出", "weight": D(90), "rule": None},
    ]


def new_evaluation() -> Evaluation:
    with acting_as(Principal("bureau", Role.BUREAU)):
        return Evaluation(
            key="D1/2024/department",
            department_code="D1",
            fiscal_year=2024,
            subject="department",
            project=None,
            stage=ScoreStage.THIRD_PARTY,
            title="t",
            commissioned_by=None,
            evaluator=None,
            report_date=None,
            amount_unit="万元",
            grade_bands=[],
            rounding={"places": 2, "mode": "half_up", "aggregate": "sum_of_rounded"},
            stated_total=None,
            stated_grade=None,
            total_weight=D(100),
            indicators=tree(),
            surveys=[],
        )


EVALUATOR = Principal("评价员", Role.EVALUATOR)


def test_parent_scores_are_derived_and_total_graded() -> None:
    e = new_evaluation()
    with acting_as(EVALUATOR):
        e.enter_score("A1.1", ScoreStage.THIRD_PARTY, D("3.5"))
        e.enter_score("A1.2", ScoreStage.THIRD_PARTY, D("6"))
        e.enter_score("B", ScoreStage.THIRD_PARTY, D("80"))
    card = e.scorecard()
    scores = {n.code: n.score for n in card.nodes}
    assert scores["A1"] == scores["A"] == D("9.50")
    assert card.total == D("89.50") and card.grade == "良"
    assert [type(ev).__name__ for ev in e.collect_events()][-1] == "ScoreEntered"


@pytest.mark.parametrize("value", [D("-0.01"), D("4.01")])
def test_score_outside_zero_to_weight_is_refused(value: Decimal) -> None:
    e = new_evaluation()
    with acting_as(EVALUATOR), pytest.raises(InvalidInput, match="超出范围 0～4"):
        e.enter_score("A1.1", ScoreStage.THIRD_PARTY, value)


def test_unknown_and_parent_codes_are_refused() -> None:
    e = new_evaluation()
    with acting_as(EVALUATOR):
        with pytest.raises(InvalidInput, match="指标 Z9 不存在"):
            e.enter_score("Z9", ScoreStage.SELF, D(1))
        with pytest.raises(InvalidInput, match="不是末级指标"):
            e.enter_score("A1", ScoreStage.SELF, D(1))


def test_revision_requires_a_reason_and_records_previous() -> None:
    e = new_evaluation()
    with acting_as(EVALUATOR):
        e.enter_score("A1.1", ScoreStage.REVIEW, D(2))
        for reason in (None, "  "):
            with pytest.raises(InvalidInput, match="须说明理由"):
                e.revise_score("A1.1", ScoreStage.REVIEW, D(3), reason=reason)
        with pytest.raises(NotAllowed, match="已有复核得分"):
            e.enter_score("A1.1", ScoreStage.REVIEW, D(3))
        assert e.revise_score("A1.1", ScoreStage.REVIEW, D(3), reason="复核") is True
        assert e.revise_score("A1.1", ScoreStage.REVIEW, D(3), reason="再次") is False
    revised = e.collect_events()[-1]
    assert revised.previous == D(2) and revised.reason == "复核"  # type: ignore[attr-defined]
    assert revised.actor == "评价员"  # type: ignore[attr-defined]


def test_who_may_score() -> None:
    e = new_evaluation()
    with acting_as(Principal("审计", Role.AUDITOR)), pytest.raises(NotAllowed):
        e.enter_score("A1.1", ScoreStage.THIRD_PARTY, D(1))
    with acting_as(Principal("部门", Role.DEPARTMENT, department="D1")):
        with pytest.raises(NotAllowed, match="自评"):
            e.enter_score("A1.1", ScoreStage.THIRD_PARTY, D(1))
        e.enter_score("A1.1", ScoreStage.SELF, D(1))  # its own self-evaluation
    with (
        acting_as(Principal("他部门", Role.DEPARTMENT, department="D2")),
        pytest.raises(NotAllowed),
    ):
        e.enter_score("A1.2", ScoreStage.SELF, D(1))
    with acting_as(Principal("局", Role.BUREAU)):
        e.enter_score("A1.2", ScoreStage.FINAL, D(5))


def test_final_stage_counts_over_the_evaluation_stage() -> None:
    e = new_evaluation()
    with acting_as(EVALUATOR):
        e.enter_score("A1.1", ScoreStage.THIRD_PARTY, D(4))
        e.enter_score("A1.1", ScoreStage.FINAL, D(2))
        e.enter_score("A1.1", ScoreStage.SELF, D(1))
    assert {n.code: n.score for n in e.scorecard().nodes}["A1.1"] == D("2.00")
    card = e.scorecard(stage=ScoreStage.SELF)
    assert {n.code: n.score for n in card.nodes}["A1.1"] == D("1.00")
