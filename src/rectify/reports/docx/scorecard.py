"""评分表: the indicator table of an evaluation, as of a stage or a date.

One row per leaf; the level-1/level-2 columns are merged down over their leaves (and a
shallow leaf is merged across the levels it lacks). Columns: levels, 权重, 得分, 评分
规则 (the rule text), 规则计算 (what the written rule gives, only where the score
departs from it); then 合计 and the grade. Input: `Scorecard` from the evaluation
service and the rule texts by indicator code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from docx.document import Document
from docx.table import Table

from rectify.domain.evaluation import NodeCard, Scorecard
from rectify.reports import labels
from rectify.reports.docx import gbt9704 as layout

LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")
LEVEL_WIDTH = 19.0
FIXED = (("权重", 15.0), ("得分", 15.0), ("评分规则", 0.0), ("规则计算", 16.0))
TEXT_WIDTH = 156.0


def _paths(nodes: Sequence[NodeCard]) -> list[list[NodeCard]]:
    """For every leaf, its ancestors from the root down to itself."""
    by_code = {n.code: n for n in nodes}
    paths = []
    for n in nodes:
        if not n.is_leaf:
            continue
        path = [n]
        while path[0].parent is not None:
            path.insert(0, by_code[path[0].parent])
        paths.append(path)
    return paths


def _label(node: NodeCard) -> str:
    code = node.printed_code or node.code
    return (
        f"{code} {node.name}"
        if node.is_leaf
        else f"{code} {node.name}（{labels.score(node.weight)}分）"
    )


def _rule_result(node: NodeCard) -> str:
    if not node.rule_difference or node.rule_range is None:
        return ""
    low, high = labels.score(node.rule_range.lo), labels.score(node.rule_range.hi)
    return low if low == high else f"{low}～{high}"


def _shares(previous: list[NodeCard], node: NodeCard, level: int) -> bool:
    return level < len(previous) - 1 and previous[level] is node


def _merge_down(tbl: Table, first_row: int, paths: list[list[NodeCard]], levels: int) -> None:
    """Merge each level column over consecutive leaves that share that ancestor."""
    for level in range(levels - 1):
        start = 0
        while start < len(paths):
            node = paths[start][level] if level < len(paths[start]) - 1 else None
            end = start
            while (
                node is not None and end + 1 < len(paths) and _shares(paths[end + 1], node, level)
            ):
                end += 1
            if end > start:
                top = tbl.cell(first_row + start, level)
                top.merge(tbl.cell(first_row + end, level))
            start = end + 1


def build(
    card: Scorecard,
    *,
    heading: str,
    when_line: str,
    rule_texts: Mapping[str, str | None],
    checkpoint: str,
) -> Document:
    doc = layout.official_document(checkpoint)
    layout.title(doc, heading)
    layout.body(doc, when_line)
    paths = _paths(card.nodes)
    levels = max((len(p) for p in paths), default=1)
    rule_width = TEXT_WIDTH - LEVEL_WIDTH * levels - sum(w for _, w in FIXED)
    widths = [LEVEL_WIDTH] * levels + [w or rule_width for _, w in FIXED]
    headers = [*LEVEL_NAMES[:levels], *(h for h, _ in FIXED)]
    tbl = layout.table(doc, headers, widths)
    first_row = 1
    for index, path in enumerate(paths):
        leaf = path[-1]
        # An ancestor's label goes only in the top cell of its merge.
        cells = [
            _label(node) if index == 0 or not _shares(paths[index - 1], node, level) else ""
            for level, node in enumerate(path[:-1])
        ]
        cells += [""] * (levels - len(cells))
        cells[len(path) - 1] = _label(leaf)
        row = layout.add_row(
            tbl,
            [
                *cells,
                labels.score(leaf.weight),
                labels.score(leaf.score),
                rule_texts.get(leaf.code) or "—",
                _rule_result(leaf),
            ],
            widths,
            center=(levels, levels + 1),
        )
        if len(path) < levels:  # a shallow leaf spans the level columns it lacks
            row.cells[len(path) - 1].merge(row.cells[levels - 1])
    _merge_down(tbl, first_row, paths, levels)
    total_row = tbl.add_row()  # type: ignore[no-untyped-call]
    merged = total_row.cells[0].merge(total_row.cells[levels - 1])
    layout.fill_cell_text(merged.paragraphs[0], "合计", bold=True, center=True)
    roots = sum((n.weight for n in card.nodes if n.parent is None), start=Decimal(0))
    for cell, text in zip(
        total_row.cells[levels:],
        (labels.score(roots), labels.score(card.total), f"等级：{card.grade or '—'}", ""),
        strict=True,
    ):
        layout.fill_cell_text(cell.paragraphs[0], text, bold=True, center=True)
    if card.stated_total is not None and card.total_difference:
        layout.body(
            doc,
            f"注：报告所列总分{labels.score(card.stated_total)}（{card.stated_grade or '—'}），"
            f"与按各项得分计算的{labels.score(card.total)}相差{labels.score(card.total_difference)}。",
        )
    return doc
