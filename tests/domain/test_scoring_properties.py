"""Property tests of the scoring engine and tree arithmetic (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from typing import Any, cast

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from rectify.domain.scoring import (
    Rounding,
    Rule,
    compute_scores,
    evaluate_rule,
    rule_problems,
    tiers_cover,
)
from rectify.domain.scoring.engine import tier_points
from rectify.domain.scoring.rules import TiersRule
from rectify.domain.scoring.tree import TreeNode, children_of

RULE: TypeAdapter[Any] = TypeAdapter(cast(Any, Rule))
money = st.decimals(min_value=-300, max_value=300, places=2, allow_nan=False, allow_infinity=False)
frac = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False)
maybe = st.booleans()  # whether an input is disclosed
LABELS = {"达成": [D("0.8"), D(1)], "部分达成": [D("0.6"), D("0.8")], "未达成": [D(0), D("0.6")]}


@st.composite
def tiers_dicts(draw: st.DrawFn) -> list[dict[str, Any]]:
    cuts = sorted(set(draw(st.lists(money, min_size=1, max_size=4))))
    out: list[dict[str, Any]] = []
    bounds: list[D | None] = [None, *cuts, None]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        out.append({"min": lo, "max": hi, "fraction": draw(frac)})
    return draw(st.permutations(out))


@st.composite
def rules(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    kinds = [
        "manual",
        "checklist",
        "ratio",
        "deviation",
        "tiers",
        "threshold",
        "per_case",
        "grade_map",
    ]
    if depth == 0:
        kinds.append("composite")
    kind = draw(st.sampled_from(kinds))
    r: dict[str, Any] = {"kind": kind}
    if kind == "manual" and draw(st.booleans()):
        r["levels"] = draw(st.lists(frac, min_size=1, max_size=4))
    elif kind == "checklist":
        n = draw(st.integers(1, 5))
        r["items"] = [
            {"text": str(i), "veto": draw(st.booleans()), "gate": draw(st.booleans())}
            for i in range(n)
        ]
        r["result_tiers"] = LABELS
    elif kind in ("ratio", "deviation", "tiers"):
        r["measure"] = "input:x"
        if kind == "ratio":
            r["target"] = draw(st.decimals(min_value=1, max_value=200, places=1))
            r["cap"] = draw(st.decimals(min_value=0, max_value=2, places=1))
        elif kind == "deviation":
            a, b = sorted([draw(money), draw(money)])
            r["band"] = [draw(st.sampled_from([None, a])), draw(st.sampled_from([None, b]))]
            r["band_inclusive"] = [draw(st.booleans()), draw(st.booleans())]
            r["step"] = draw(st.decimals(min_value=D("0.5"), max_value=5, places=1))
            r["step_mode"] = draw(st.sampled_from(["proportional", "ceil", "floor"]))
            r["deduct"] = draw(
                st.sampled_from([{"fraction_of_weight": draw(frac)}, {"points": draw(weights)}])
            )
            if draw(st.booleans()):
                r["zero_beyond"] = draw(st.decimals(min_value=0, max_value=50, places=1))
        else:
            r["tiers"] = draw(tiers_dicts())
            if draw(st.booleans()):
                r["of"] = {"distance_from": draw(money)}
    elif kind == "threshold":
        r["all_of"] = [
            {
                "measure": "input:x",
                "op": draw(st.sampled_from(["<=", ">=", "==", "<", ">"])),
                "value": draw(money),
            }
        ]
    elif kind == "per_case":
        r["points"] = draw(weights)
    elif kind == "composite":
        r["parts"] = [
            {"name": "p", "points": draw(weights), "rule": draw(rules(depth=1)), "inputs": {}}
        ]
    if draw(st.booleans()):
        r["veto"] = [{"text": "否决", "input": "veto_flag"}]
    return r


def template_inputs(
    draw: Callable[..., Any], r: dict[str, Any], labels: bool = True
) -> dict[str, Any]:
    """Concrete inputs for the rule (tier labels are ranges themselves: optional)."""
    k = r["kind"]
    inputs: dict[str, Any] = {}
    if k == "manual":
        inputs["level"] = draw(st.sampled_from(r["levels"])) if r.get("levels") else draw(frac)
    elif k == "checklist":
        choices = [st.booleans(), frac] + ([st.sampled_from(list(LABELS))] if labels else [])
        inputs["results"] = [draw(st.one_of(*choices)) for _ in r["items"]]
    elif k in ("ratio", "deviation", "tiers", "threshold"):
        inputs["x"] = draw(money)
    elif k == "per_case":
        inputs["cases"] = D(draw(st.integers(0, 10)))
    elif k == "grade_map":
        inputs["items"] = [
            {"name": "i", "score": draw(st.decimals(min_value=0, max_value=100, places=1))}
        ]
    elif k == "composite":
        part = r["parts"][0]
        part["inputs"] = template_inputs(draw, part["rule"], labels)
    if "veto" in r:
        inputs["veto_flag"] = draw(st.booleans())
    return inputs


def hide(draw: Callable[..., Any], inputs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in inputs.items():
        if key == "results":
            out[key] = [None if draw(st.booleans()) else v for v in value]
        else:
            out[key] = None if draw(st.booleans()) else value
    return out


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_score_within_zero_and_weight(data: st.DataObject) -> None:
    r_dict = data.draw(rules())
    weight = data.draw(weights)
    r = RULE.validate_python(r_dict)
    assume(not rule_problems(r, weight))
    inputs = template_inputs(data.draw, r_dict)
    r = RULE.validate_python(r_dict)
    if data.draw(st.booleans()):
        inputs = hide(data.draw, inputs)
    got = evaluate_rule(r, weight, inputs, rounding=Rounding())
    assert D(0) <= got.lo <= got.hi <= weight


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_range_contains_every_filling_of_the_nulls(data: st.DataObject) -> None:
    r_dict = data.draw(rules())
    weight = data.draw(weights)
    concrete = template_inputs(data.draw, r_dict, labels=False)
    r = RULE.validate_python(r_dict)
    assume(not rule_problems(r, weight))
    # Hide some of the concrete inputs: the range must contain the concrete outcome.
    hidden: dict[str, Any] = {}
    for key, value in concrete.items():
        if key == "results":
            hidden[key] = [None if data.draw(st.booleans()) else v for v in value]
        else:
            hidden[key] = None if data.draw(st.booleans()) else value
    if r_dict["kind"] == "composite":
        part_concrete = r_dict["parts"][0]["inputs"]
        hidden_rule = dict(
            r_dict, parts=[dict(r_dict["parts"][0], inputs=hide(data.draw, part_concrete))]
        )
        rh = RULE.validate_python(hidden_rule)
    else:
        rh = r
    span = evaluate_rule(rh, weight, hidden)
    point = evaluate_rule(r, weight, concrete)
    assert point.is_point
    assert span.lo <= point.lo <= span.hi, (r_dict, hidden, concrete)


@settings(max_examples=200, deadline=None)
@given(tiers_dicts(), money, weights)
def test_covering_tiers_give_a_score_for_every_value(
    tiers: list[dict[str, Any]], x: D, weight: D
) -> None:
    r = RULE.validate_python({"kind": "tiers", "measure": "input:x", "tiers": tiers})
    assert isinstance(r, TiersRule)
    assert tiers_cover(r.tiers)
    assert tier_points(r.tiers, weight, x) is not None
    assert evaluate_rule(r, weight, {"x": x}).is_point


@settings(max_examples=200, deadline=None)
@given(tiers_dicts(), money, money)
def test_tiers_cover_on_subrange(tiers: list[dict[str, Any]], a: D, b: D) -> None:
    lo, hi = sorted([a, b])
    r = RULE.validate_python({"kind": "tiers", "measure": "input:x", "tiers": tiers[:-1] or tiers})
    assert isinstance(r, TiersRule)
    if tiers_cover(r.tiers, lo, hi):
        for x in (lo, hi, (lo + hi) / 2):
            assert tier_points(r.tiers, D(1), x) is not None


@st.composite
def trees(draw: st.DrawFn) -> list[TreeNode]:
    nodes: list[TreeNode] = []
    count = draw(st.integers(1, 25))
    for i in range(count):
        parent = draw(st.sampled_from([None] + [n.code for n in nodes])) if nodes else None
        nodes.append(
            TreeNode(f"N{i}", parent, D(1), draw(st.decimals(min_value=0, max_value=10, places=3)))
        )
    return nodes


@settings(max_examples=200, deadline=None)
@given(trees(), st.sampled_from(["sum_of_rounded", "round_of_sum"]))
def test_parent_is_sum_of_children(nodes: list[TreeNode], aggregate: str) -> None:
    rounding = Rounding(aggregate=aggregate)  # type: ignore[arg-type]
    scores = compute_scores(nodes, rounding)
    kids = children_of(nodes)
    for node in nodes:
        children = kids.get(node.code)
        if children and aggregate == "sum_of_rounded":
            assert scores.scores[node.code] == sum((scores.scores[c.code] for c in children), D(0))
        elif children:
            exact = sum((c.awarded or D(0) for c in _leaves_under(node.code, kids)), D(0))
            assert scores.scores[node.code] == rounding.round(exact)
    roots = kids.get(None, [])
    if aggregate == "sum_of_rounded":
        assert scores.total == sum((scores.scores[r.code] for r in roots), D(0))


def _leaves_under(code: str, kids: dict[str | None, list[TreeNode]]) -> list[TreeNode]:
    out: list[TreeNode] = []
    for child in kids.get(code, []):
        out.extend(_leaves_under(child.code, kids) if kids.get(child.code) else [child])
    return out
