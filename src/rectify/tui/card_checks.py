"""核查发现 of a stored evaluation: the checks `rectify check` makes on a package
(reports/checker.py), made on the scorecard replayed from the store and on the
indicator codes its findings name — the report's total and grade against the
computed ones, weights that do not add up, a printed code used twice, scores outside
the written rule, and points lost that no finding explains."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rectify.domain.evaluation import NodeCard, Scorecard
from rectify.domain.formatting import number as fmt
from rectify.reports.checker import KIND_LABELS


@dataclass(frozen=True)
class CardCheck:
    kind: str  # a key of KIND_LABELS
    code: str  # the indicator's code ("" for the total and the grade)
    message: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def card_checks(card: Scorecard, finding_codes: Iterable[str]) -> list[CardCheck]:
    out: list[CardCheck] = []
    if card.total_difference not in (None, 0):
        out.append(
            CardCheck(
                "total_mismatch",
                "",
                f"报告总分 {fmt(card.stated_total)}，按末级得分计算为 {fmt(card.total)}",
            )
        )
    if card.stated_grade and card.grade and card.stated_grade != card.grade:
        out.append(
            CardCheck(
                "grade_mismatch",
                "",
                f"报告等级“{card.stated_grade}”，按计算总分 {fmt(card.total)} 应为“{card.grade}”",
            )
        )
    by_code = {n.code: n for n in card.nodes}
    named = set(finding_codes)
    printed_by: dict[str, str] = {}
    for n in card.nodes:
        shown = n.printed_code or n.code
        if shown in printed_by:
            out.append(
                CardCheck(
                    "duplicate_code",
                    n.code,
                    f"指标“{n.name}”（{n.code}）印刷编号 {shown} 与指标 {printed_by[shown]} 重复",
                )
            )
        else:
            printed_by[shown] = n.code
        if n.weight_difference not in (None, 0):
            out.append(
                CardCheck(
                    "weight_sum", n.code, f"下级权重合计与本级不符（差 {n.weight_difference:+f}）"
                )
            )
        if n.rule_difference not in (None, 0):
            out.append(
                CardCheck(
                    "rule_mismatch",
                    n.code,
                    f"得分 {fmt(n.score)} 在书面规则的结果之外（差 {n.rule_difference:+f}）",
                )
            )
        lost = n.weight - n.score if n.is_leaf and n.score is not None else None
        if lost is not None and lost > 0 and not _covered(n, by_code, named):
            out.append(
                CardCheck(
                    "uncovered_deduction",
                    n.code,
                    f"失分 {fmt(lost)}（得 {fmt(n.score)}/{fmt(n.weight)}），"
                    "问题清单中没有问题指向它或其上级指标",
                )
            )
    return out


def _covered(node: NodeCard, by_code: dict[str, NodeCard], named: set[str]) -> bool:
    """Whether a finding names the indicator or one above it (by code or printed code)."""
    at: NodeCard | None = node
    while at is not None:
        if at.code in named or (at.printed_code is not None and at.printed_code in named):
            return True
        at = by_code.get(at.parent) if at.parent is not None else None
    return False
