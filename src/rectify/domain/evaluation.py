"""Evaluation (绩效评价): one evaluation's indicator tree, its leaf scores and surveys.

One aggregate per evaluation key (`WB-GXJ/2024/department`, the package's
`evaluation.key`). It holds the indicator tree (any depth), grade bands, rounding
policy, the stated total, the surveys, and the history of every leaf score at every
stage (self 自评, review 复核, third_party 第三方评价, final 最终).

- Only leaves are scored. A parent's score is derived (the sum of its children),
  never stored.
- A score lies in 0..weight of its leaf; an unknown or non-leaf code is refused.
- A revision (a second score for the same leaf and stage) needs a reason.

Who may score (checked here, with `current_principal()`, so the importer, the CLI and
the TUI obey the same rule):
- EVALUATOR (评价机构/评价组) scores every stage;
- BUREAU (财政局) too: DOMAIN.md has the bureau's own reviewers act as the 评价组,
  and the bureau imports packages whose scores it records;
- DEPARTMENT may record only the self-evaluation (自评, stage `self`) of its own
  department;
- AUDITOR and SYSTEM never score.

Size: the aggregate's guarded commands and its `@event` methods must live in one
class; the scorecard views above it could move to a module of their own (follow-up).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput, NotAllowed
from rectify.domain.identity import Role, current_principal
from rectify.domain.vocabulary import STAGE_LABELS, ScoreStage

if TYPE_CHECKING:  # the scoring engine (and pydantic) load only when a score is computed:
    # decoding events and answering queries must not pay for them at start-up
    from pydantic import TypeAdapter

    from rectify.domain.scoring import (
        GradeBand,
        Interval,
        MeasureLookup,
        Rounding,
        Rule,
        SurveyFigures,
    )

__all__ = [
    "HEADER_FIELDS",
    "STAGE_LABELS",
    "SCORING_ROLES",
    "Evaluation",
    "LeafScore",
    "NodeCard",
    "ScoreStage",
    "Scorecard",
    "plain",
    "rule_from_data",
    "rule_to_data",
    "survey_figures",
    "survey_overall_of",
]


STAGE_ORDER = (ScoreStage.SELF, ScoreStage.REVIEW, ScoreStage.THIRD_PARTY, ScoreStage.FINAL)

SCORING_ROLES = frozenset({Role.EVALUATOR, Role.BUREAU})

# The evaluation's own fields a re-import (or a correction) may revise.
HEADER_FIELDS = (
    "subject",
    "project",
    "stage",
    "title",
    "commissioned_by",
    "evaluator",
    "report_date",
    "amount_unit",
    "grade_bands",
    "rounding",
    "stated_total",
    "stated_grade",
    "total_weight",
    "indicators",
    "surveys",
)


@cache
def _rule_adapter() -> TypeAdapter[Rule]:
    from pydantic import TypeAdapter

    from rectify.domain.scoring import Rule

    return TypeAdapter(Rule)  # type: ignore[arg-type]


def plain(value: Any) -> Any:
    """Tuples as lists, recursively: what an event stores and gives back."""
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def rule_to_data(rule: Rule | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    data = plain(_rule_adapter().dump_python(rule, mode="python"))
    assert isinstance(data, dict)
    return data


def rule_from_data(data: Mapping[str, Any] | None) -> Rule | None:
    if data is None:
        return None
    rule: Rule = _rule_adapter().validate_python(dict(data))
    return rule


def survey_figures(survey: Mapping[str, Any]) -> SurveyFigures:
    """A stored survey as the typed figures `rectify check` also computes from."""
    from rectify.domain.scoring import QuestionFigures, SurveyFigures

    scale = survey.get("scale")
    return SurveyFigures(
        id=str(survey.get("id")),
        valid=int(survey.get("valid") or 0),
        scale=tuple(scale) if scale is not None else None,
        aggregate=str(survey.get("aggregate") or "mean_of_questions"),
        questions=tuple(
            QuestionFigures(
                counts=tuple(q["counts"]) if q.get("counts") is not None else None,
                stated=q.get("stated"),
            )
            for q in survey.get("questions") or []
        ),
    )


def survey_overall_of(survey: Mapping[str, Any]) -> Decimal | None:
    """The overall satisfaction of a stored survey, by the format's definitions."""
    from rectify.domain.scoring import survey_overall_value

    return survey_overall_value(survey_figures(survey))


@dataclass(frozen=True)
class LeafScore:
    """The current score of one leaf at one stage."""

    value: Decimal
    inputs: Mapping[str, Any] | None
    narrative: str | None
    reason: str | None


@dataclass(frozen=True)
class NodeCard:
    """One node of a scorecard: weights, awarded (leaf) or derived sum (parent)."""

    code: str
    printed_code: str | None
    name: str
    parent: str | None
    depth: int
    weight: Decimal
    is_leaf: bool
    score: Decimal | None
    stage: ScoreStage | None  # the stage the leaf's counted score comes from
    stage_scores: Mapping[str, Decimal]
    rule_range: Interval | None  # what the written rule gives (leaves with a rule)
    rule_difference: Decimal | None  # distance of the score outside the rule's range
    weight_difference: Decimal | None  # parent: Σ children's weights − own weight


@dataclass(frozen=True)
class Scorecard:
    key: str
    version: int
    total: Decimal
    grade: str | None
    stated_total: Decimal | None
    stated_grade: str | None
    total_difference: Decimal | None
    nodes: tuple[NodeCard, ...]


def _indicator_data(item: Mapping[str, Any]) -> dict[str, Any]:
    return plain(dict(item))  # type: ignore[no-any-return]


class Evaluation(RectifyAggregate):
    TOPIC = "rectify/Evaluation"

    @staticmethod
    def create_id(key: str) -> UUID:
        return derived_id("evaluation", key)

    @event("Registered", topic="rectify/Evaluation.Registered")
    def __init__(
        self,
        key: str,
        department_code: str,
        fiscal_year: int,
        subject: str,
        project: dict[str, Any] | None,
        stage: ScoreStage,
        title: str,
        commissioned_by: str | None,
        evaluator: str | None,
        report_date: str | None,
        amount_unit: str,
        grade_bands: list[dict[str, Any]],
        rounding: dict[str, Any],
        stated_total: Decimal | None,
        stated_grade: str | None,
        total_weight: Decimal,
        indicators: list[dict[str, Any]],
        surveys: list[dict[str, Any]],
    ) -> None:
        self.key = key
        self.department_code = department_code
        self.fiscal_year = fiscal_year
        self.subject = subject
        self.project = project
        self.stage = stage
        self.title = title
        self.commissioned_by = commissioned_by
        self.evaluator = evaluator
        self.report_date = report_date
        self.amount_unit = amount_unit
        self.grade_bands = grade_bands
        self.rounding = rounding
        self.stated_total = stated_total
        self.stated_grade = stated_grade
        self.total_weight = total_weight
        self.indicators = indicators
        self.surveys = surveys
        # code -> stage -> current score
        self.scores: dict[str, dict[ScoreStage, LeafScore]] = {}

    # -- validation of a new evaluation ------------------------------------------------

    @staticmethod
    def validate_tree(key: str, indicators: Sequence[Mapping[str, Any]]) -> None:
        seen: set[str] = set()
        for item in indicators:
            code = str(item.get("code") or "").strip()
            if not code:
                raise InvalidInput(f"评价 {key}：指标代码不能为空")
            if code in seen:
                raise InvalidInput(f"评价 {key}：指标代码 {code} 重复")
            parent = item.get("parent")
            if parent is not None and parent not in seen:
                raise InvalidInput(f"评价 {key}：指标 {code} 的上级 {parent} 不存在或排在其后")
            weight = item.get("weight")
            if not isinstance(weight, Decimal) or weight < 0:
                raise InvalidInput(f"评价 {key}：指标 {code} 的权重应为非负数（{weight!r}）")
            seen.add(code)

    # -- derived ------------------------------------------------------------------------

    @property
    def rounding_policy(self) -> Rounding:
        from rectify.domain.scoring import Rounding

        r = self.rounding
        return Rounding(
            places=int(r.get("places", 2)),
            mode=r.get("mode", "half_up"),
            aggregate=r.get("aggregate", "sum_of_rounded"),
        )

    @property
    def bands(self) -> list[GradeBand]:
        from rectify.domain.scoring import DEFAULT_GRADE_BANDS, GradeBand

        if not self.grade_bands:
            return list(DEFAULT_GRADE_BANDS)
        return [GradeBand(str(b["grade"]), Decimal(b["min"])) for b in self.grade_bands]

    @property
    def nodes(self) -> dict[str, dict[str, Any]]:
        return {str(i["code"]): i for i in self.indicators}

    @property
    def leaf_codes(self) -> list[str]:
        parents = {i.get("parent") for i in self.indicators}
        return [str(i["code"]) for i in self.indicators if i["code"] not in parents]

    def score_at(self, code: str, stage: ScoreStage) -> LeafScore | None:
        return self.scores.get(code, {}).get(stage)

    def counted(
        self, code: str, stage: ScoreStage | None = None
    ) -> tuple[ScoreStage, LeafScore] | None:
        """The score that counts for a leaf: at `stage` if given; else the final score,
        else the evaluation's own stage, else the latest stage scored."""
        by_stage = self.scores.get(code, {})
        if stage is not None:
            got = by_stage.get(stage)
            return (stage, got) if got is not None else None
        for candidate in (ScoreStage.FINAL, self.stage, *reversed(STAGE_ORDER)):
            got = by_stage.get(candidate)
            if got is not None:
                return candidate, got
        return None

    def inputs_for(self, code: str, stage: ScoreStage | None) -> Mapping[str, Any]:
        """The rule inputs of a leaf: the counted score's, else the latest recorded."""
        found = self.counted(code, stage)
        if found is not None and found[1].inputs is not None:
            return found[1].inputs
        for candidate in reversed(STAGE_ORDER):
            got = self.scores.get(code, {}).get(candidate)
            if got is not None and got.inputs is not None:
                return got.inputs
        return {}

    def scorecard(
        self, measures: MeasureLookup | None = None, stage: ScoreStage | None = None
    ) -> Scorecard:
        """The tree with weights, counted scores, rule ranges, parent sums, total, grade."""
        from pydantic import ValidationError

        from rectify.domain.scoring import (
            TreeNode,
            compute_scores,
            evaluate_rule,
            grade_for,
            no_measures,
        )

        if measures is None:
            measures = no_measures
        rounding = self.rounding_policy
        bands = self.bands
        leaves = set(self.leaf_codes)
        counted = {code: self.counted(code, stage) for code in leaves}
        tree = [
            TreeNode(
                code=str(i["code"]),
                parent=i.get("parent"),
                weight=i["weight"],
                awarded=(c[1].value if (c := counted.get(str(i["code"]))) is not None else None),
            )
            for i in self.indicators
        ]
        computed = compute_scores(tree, rounding)
        weights: dict[str, Decimal] = {}
        for i in self.indicators:
            if i.get("parent") is not None:
                weights[i["parent"]] = weights.get(i["parent"], Decimal(0)) + i["weight"]
        depth: dict[str, int] = {}
        cards: list[NodeCard] = []
        for i in self.indicators:
            code = str(i["code"])
            parent = i.get("parent")
            depth[code] = 0 if parent is None else depth.get(parent, 0) + 1
            is_leaf = code in leaves
            found = counted.get(code) if is_leaf else None
            rule_range: Interval | None = None
            rule_difference: Decimal | None = None
            if is_leaf and i.get("rule") is not None:
                rule = rule_from_data(i["rule"])
                assert rule is not None
                try:
                    rule_range = evaluate_rule(
                        rule, i["weight"], self.inputs_for(code, stage), measures, bands, rounding
                    )
                except (ValidationError, ValueError, TypeError, ArithmeticError):
                    rule_range = None
                if rule_range is not None and found is not None:
                    distance = rule_range.distance(rounding.round(found[1].value))
                    rule_difference = (
                        distance if rounding.differs(distance, Decimal(0)) else Decimal(0)
                    )
            weight_difference = None
            if not is_leaf:
                weight_difference = weights.get(code, Decimal(0)) - i["weight"]
            score: Decimal | None
            if is_leaf:
                score = computed.scores[code] if found is not None else None
            else:
                score = computed.scores.get(code)
            cards.append(
                NodeCard(
                    code=code,
                    printed_code=i.get("printed_code"),
                    name=str(i.get("name", "")),
                    parent=parent,
                    depth=depth[code],
                    weight=i["weight"],
                    is_leaf=is_leaf,
                    score=score,
                    stage=found[0] if found is not None else None,
                    stage_scores={s.value: v.value for s, v in self.scores.get(code, {}).items()}
                    if is_leaf
                    else {},
                    rule_range=rule_range,
                    rule_difference=rule_difference,
                    weight_difference=weight_difference,
                )
            )
        total = computed.total
        difference = total - self.stated_total if self.stated_total is not None else None
        return Scorecard(
            key=self.key,
            version=self.version,
            total=total,
            grade=grade_for(total, bands),
            stated_total=self.stated_total,
            stated_grade=self.stated_grade,
            total_difference=difference,
            nodes=tuple(cards),
        )

    # -- commands -------------------------------------------------------------------

    def _check_can_score(self, stage: ScoreStage) -> None:
        principal = current_principal()
        if principal.role in SCORING_ROLES:
            return
        if (
            principal.role is Role.DEPARTMENT
            and stage is ScoreStage.SELF
            and principal.department == self.department_code
        ):
            return
        raise NotAllowed(
            f"评价 {self.key}：用户 {principal.name}（{principal.role.value}）不能录入"
            f"{STAGE_LABELS[stage]}得分（只有评价机构、财政局可以；部门只能录入本部门的自评）"
        )

    def _check_value(self, code: str, value: Decimal) -> None:
        node = self.nodes.get(code)
        if node is None:
            raise InvalidInput(f"评价 {self.key}：指标 {code} 不存在")
        if code not in set(self.leaf_codes):
            raise InvalidInput(
                f"评价 {self.key}：指标 {code} 不是末级指标，其得分由下级合计得出，不能直接录入"
            )
        if not isinstance(value, Decimal) or not value.is_finite():
            raise InvalidInput(f"评价 {self.key}：指标 {code} 的得分应为数字（{value!r}）")
        weight = node["weight"]
        if value < 0 or value > weight:
            raise InvalidInput(
                f"评价 {self.key}：指标 {code}“{node.get('name', '')}”得分 {value} 超出范围 0～{weight}"
            )

    def enter_score(
        self,
        code: str,
        stage: ScoreStage,
        value: Decimal,
        *,
        inputs: Mapping[str, Any] | None = None,
        narrative: str | None = None,
        reason: str | None = None,
    ) -> None:
        """The first score of a leaf at a stage."""
        self._check_can_score(stage)
        self._check_value(code, value)
        if self.score_at(code, stage) is not None:
            raise NotAllowed(
                f"评价 {self.key}：指标 {code} 已有{STAGE_LABELS[stage]}得分，修改请用修订并说明理由"
            )
        self._score_entered(
            code=code,
            stage=stage,
            value=value,
            inputs=plain(dict(inputs)) if inputs is not None else None,
            narrative=narrative,
            reason=reason,
        )

    def revise_score(
        self,
        code: str,
        stage: ScoreStage,
        value: Decimal,
        *,
        reason: str | None,
        inputs: Mapping[str, Any] | None = None,
        narrative: str | None = None,
    ) -> bool:
        """Change a leaf's score at a stage; a reason is required. Returns False (and
        records nothing) when value, inputs and narrative are unchanged."""
        self._check_can_score(stage)
        self._check_value(code, value)
        if reason is None or not reason.strip():
            raise InvalidInput(f"评价 {self.key}：修改指标 {code} 的得分须说明理由")
        current = self.score_at(code, stage)
        if current is None:
            raise NotAllowed(
                f"评价 {self.key}：指标 {code} 尚无{STAGE_LABELS[stage]}得分，无从修改"
            )
        new_inputs: dict[str, Any] | None = (
            plain(dict(inputs))
            if inputs is not None
            else (dict(current.inputs) if current.inputs is not None else None)
        )
        new_narrative = narrative if narrative is not None else current.narrative
        if (
            value == current.value
            and new_inputs == (dict(current.inputs) if current.inputs is not None else None)
            and new_narrative == current.narrative
        ):
            return False
        self._score_revised(
            code=code,
            stage=stage,
            value=value,
            previous=current.value,
            inputs=new_inputs,
            narrative=new_narrative,
            reason=reason.strip(),
        )
        return True

    def set_score(
        self,
        code: str,
        stage: ScoreStage,
        value: Decimal,
        *,
        reason: str | None,
        inputs: Mapping[str, Any] | None = None,
        narrative: str | None = None,
    ) -> bool:
        """Enter, or revise (reason required); False when nothing changed."""
        if self.score_at(code, stage) is None:
            self.enter_score(code, stage, value, inputs=inputs, narrative=narrative, reason=reason)
            return True
        return self.revise_score(
            code, stage, value, reason=reason, inputs=inputs, narrative=narrative
        )

    def revise(self, changes: Mapping[str, Any], reason: str) -> bool:
        """Revise the evaluation's own data (tree, bands, stated figures, surveys)."""
        unknown = set(changes) - set(HEADER_FIELDS)
        if unknown:
            raise InvalidInput(f"评价 {self.key}：不能修改字段 {', '.join(sorted(unknown))}")
        if not reason.strip():
            raise InvalidInput(f"评价 {self.key}：修改评价信息须说明理由")
        principal = current_principal()
        if principal.role not in SCORING_ROLES:
            raise NotAllowed(f"评价 {self.key}：用户 {principal.name} 不能修改评价信息")
        if "indicators" in changes:
            self.validate_tree(self.key, changes["indicators"])
        real = {k: plain(v) for k, v in changes.items() if plain(getattr(self, k)) != plain(v)}
        if not real:
            return False
        self._revised(changes=real, reason=reason)
        return True

    # -- events ---------------------------------------------------------------------

    @event("ScoreEntered", topic="rectify/Evaluation.ScoreEntered")
    def _score_entered(
        self,
        code: str,
        stage: ScoreStage,
        value: Decimal,
        inputs: dict[str, Any] | None,
        narrative: str | None,
        reason: str | None,
    ) -> None:
        self._put(code, stage, value, inputs, narrative, reason)

    @event("ScoreRevised", topic="rectify/Evaluation.ScoreRevised")
    def _score_revised(
        self,
        code: str,
        stage: ScoreStage,
        value: Decimal,
        previous: Decimal,
        inputs: dict[str, Any] | None,
        narrative: str | None,
        reason: str | None,
    ) -> None:
        self._put(code, stage, value, inputs, narrative, reason)

    def _put(
        self,
        code: str,
        stage: ScoreStage,
        value: Decimal,
        inputs: dict[str, Any] | None,
        narrative: str | None,
        reason: str | None,
    ) -> None:
        self.scores.setdefault(code, {})[stage] = LeafScore(
            value=value, inputs=inputs, narrative=narrative, reason=reason
        )

    @event("Revised", topic="rectify/Evaluation.Revised")
    def _revised(self, changes: dict[str, Any], reason: str | None) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
