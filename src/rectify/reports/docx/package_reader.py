"""Word in: the 评分表 and 问题清单 tables of a report → an evaluation package skeleton.

The skeleton is the JSON of `evaluation-format.md` with what the tables show (the
indicator tree with codes, names, weights, rule texts and scores; the findings with
category, ref, text, class, deadline, amount) and nulls for what they do not (the
department's code, the evaluation key, rules as formulas). Every cell that could not
be read is listed with its table, row and column, and left null — never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx

from rectify.domain.errors import InvalidInput
from rectify.reports import labels
from rectify.reports.docx import numbers
from rectify.reports.docx.grid import Grid, GridCell, read_grid, texts
from rectify.reports.files import check_office_file

LEVELS = ("一级指标", "二级指标", "三级指标", "四级指标")
WEIGHT_HEADERS = ("权重", "分值", "权重分", "标准分", "指标分值")
RULE_HEADERS = ("评分规则", "评分标准", "评分办法")
_LABEL = re.compile(
    r"^([A-Za-z]\d*(?:\.\d+)*)?\s*(.*?)\s*(?:[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）])?$", re.S
)
_GRADE = re.compile(r"等级\s*[:：为]?\s*[“\"]?([优良中差])")
_CLASS_BY_LABEL = {label: code for code, label in labels.CLASS_LABELS.items()}


@dataclass
class Skeleton:
    package: dict[str, Any]
    unread: list[str] = field(default_factory=list)


def _decimal(value: Decimal | None) -> float | None:
    # The package format holds plain JSON numbers; weights and scores keep their places.
    return None if value is None else float(value)


def split_label(text: str) -> tuple[str | None, str, Decimal | None]:
    """ "A 投入 (15分)" → ("A", "投入", 15); "A1.1 绩效目标合理性" → ("A1.1", name, None)."""
    match = _LABEL.match(text.strip())
    assert match is not None  # every part of the pattern is optional
    code, name, weight = match.groups()
    return code, numbers.squeeze(name), Decimal(weight) if weight else None


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for index, text in enumerate(header):
        if text in names:
            return index
    return None


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.unread: list[str] = []
        self.indicators: list[dict[str, Any]] = []
        self.findings: list[dict[str, Any]] = []
        self.nodes: dict[tuple[int, int, int], dict[str, Any]] = {}
        self.codes: set[str] = set()
        self.children: dict[str | None, int] = {}
        self.stated: dict[str, Any] = {}
        self.previous_path: list[dict[str, Any]] = []

    def where(self, table: int, cell: GridCell, title: str) -> str:
        return f"第 {table} 个表格第 {cell.row} 行第 {cell.column} 列（{title}）"

    # -- 评分表 ------------------------------------------------------------------

    def scorecard(self, number: int, grid: Grid, header: list[str]) -> None:
        level_cols = [header.index(name) for name in LEVELS if name in header]
        weight_col = _column(header, WEIGHT_HEADERS)
        score_col = header.index("得分")
        rule_col = _column(header, RULE_HEADERS)
        for row in grid[1:]:
            if [numbers.squeeze(t) for t in texts(row)] == header:
                continue  # a header repeated on the next page
            if any(
                word in numbers.squeeze(row[c].text)
                for c in level_cols
                for word in ("合计", "总分", "总计")
            ):
                self.total_row(number, row, score_col)
                continue
            self.indicator_row(number, row, level_cols, weight_col, score_col, rule_col)

    def total_row(self, number: int, row: list[GridCell], score_col: int) -> None:
        total, _ = numbers.number(row[score_col].text)
        if total is not None:
            self.stated["total"] = _decimal(total)
        elif not numbers.is_empty(row[score_col].text):
            self.unread.append(
                f"{self.where(number, row[score_col], '合计得分')}：「{row[score_col].text}」不是数字"
            )
        grade = _GRADE.search(" ".join(texts(row)))
        if grade:
            self.stated["grade"] = grade.group(1)

    def indicator_row(
        self,
        number: int,
        row: list[GridCell],
        level_cols: list[int],
        weight_col: int | None,
        score_col: int,
        rule_col: int | None,
    ) -> None:
        cells: list[GridCell] = []
        for index, col in enumerate(level_cols):
            if index and row[col] is row[level_cols[index - 1]]:
                break  # merged across: a shallower leaf
            cells.append(row[col])
        path: list[dict[str, Any]] = []
        for depth, cell in enumerate(cells[:-1]):
            if numbers.is_empty(cell.text) and depth < len(self.previous_path) - 1:
                path.append(self.previous_path[depth])  # a table continued on the next page
                continue
            key = (number, cell.row, cell.column)
            if key not in self.nodes:
                self.nodes[key] = self.node(number, cell, path[-1] if path else None, leaf=False)
            path.append(self.nodes[key])
        leaf = self.node(number, cells[-1], path[-1] if path else None, leaf=True)
        if weight_col is not None:
            leaf["weight"] = self.number_at(number, row[weight_col], "权重")
        leaf["awarded"] = self.number_at(number, row[score_col], "得分")
        if rule_col is not None and not numbers.is_empty(row[rule_col].text):
            leaf["rule_text"] = row[rule_col].text
        self.previous_path = [*path, leaf]

    def number_at(self, number: int, cell: GridCell, title: str) -> float | None:
        value, _ = numbers.number(cell.text)
        if value is None:
            shown = cell.text or "空"
            self.unread.append(
                f"{self.where(number, cell, title)}：「{shown}」未能读作数字，已留空"
            )
        return _decimal(value)

    def node(
        self, number: int, cell: GridCell, parent: dict[str, Any] | None, *, leaf: bool
    ) -> dict[str, Any]:
        printed, name, weight = split_label(cell.text)
        parent_code = parent["code"] if parent else None
        seq = self.children[parent_code] = self.children.get(parent_code, 0) + 1
        code = printed or (f"{parent_code}.{seq}" if parent_code else chr(ord("A") + seq - 1))
        node: dict[str, Any] = {"code": code, "parent": parent_code, "name": name or None}
        if code in self.codes:
            node["printed_code"], node["code"] = code, f"{code}#{len(self.indicators) + 1}"
            self.unread.append(
                f"{self.where(number, cell, '指标')}：编号 {code} 重复，暂记为 {node['code']}"
            )
        self.codes.add(node["code"])
        if not name:
            self.unread.append(f"{self.where(number, cell, '指标')}：指标名称为空")
        if not leaf:
            node["weight"] = _decimal(weight)
            if weight is None:
                self.unread.append(
                    f"{self.where(number, cell, '指标')}：「{cell.text}」未印出权重，已留空"
                )
        self.indicators.append(node)
        return node

    # -- 问题清单 ----------------------------------------------------------------

    def problem_list(self, number: int, grid: Grid, header: list[str]) -> None:
        col = {name: _column(header, names) for name, names in _FINDING_COLUMNS.items()}
        category: str | None = None
        for row in grid[1:]:
            if all(c is row[0] for c in row):  # one cell across the row: a category
                category = numbers.squeeze(row[0].text)
                continue
            if [numbers.squeeze(t) for t in texts(row)] == header:
                continue
            self.finding_row(number, row, col, category)

    def finding_row(
        self, number: int, row: list[GridCell], col: dict[str, int | None], category: str | None
    ) -> None:
        def text(name: str) -> str:
            index = col[name]
            return "" if index is None or numbers.is_empty(row[index].text) else row[index].text

        problem = text("problem")
        title, _, description = problem.partition("：")
        finding: dict[str, Any] = {
            "ref": text("ref") or None,
            "category": category or (text("category") or None),
            "title": numbers.squeeze(title) or None,
            "description": description.strip() or problem or None,
            "responsible_unit": None,
            "amount": None,
            "rectification_class": None,
            "due": None,
        }
        first = row[0]
        if finding["ref"] is None:
            self.unread.append(f"{self.where(number, first, '问题编号')}：没有问题编号，请补填")
        if text("unit"):
            self.unread.append(
                f"{self.where(number, row[col['unit'] or 0], '责任单位')}：「{text('unit')}」请改填部门编码"
            )
        if text("amount"):
            value, unit = numbers.number(text("amount"))
            finding["amount"] = _decimal(value)
            if unit in ("万元", "元"):
                finding["amount_unit"] = unit
            if value is None:
                self.unread.append(
                    f"{self.where(number, row[col['amount'] or 0], '涉及金额')}：「{text('amount')}」未能读作金额"
                )
        if text("class"):
            finding["rectification_class"] = _CLASS_BY_LABEL.get(numbers.squeeze(text("class")))
            if finding["rectification_class"] is None:
                self.unread.append(
                    f"{self.where(number, row[col['class'] or 0], '整改类别')}：「{text('class')}」不是整改类别"
                )
        if text("due"):
            due = numbers.day(text("due"))
            finding["due"] = due.isoformat() if due else None
            if due is None:
                self.unread.append(
                    f"{self.where(number, row[col['due'] or 0], '整改时限')}：「{text('due')}」不是存在的日期"
                )
        self.findings.append(finding)


_FINDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("问题编号", "编号"),
    "problem": ("问题", "问题描述", "存在问题", "存在的问题", "问题表现"),
    "unit": ("责任单位", "责任部门"),
    "class": ("整改类别", "整改类型"),
    "due": ("整改时限", "整改期限", "完成时限"),
    "amount": ("涉及金额", "金额"),
    "category": ("问题类别", "类别", "问题类型"),
}


def _kind(header: list[str]) -> str | None:
    if any(level in header for level in LEVELS) and "得分" in header:
        return "scorecard"
    if _column(header, _FINDING_COLUMNS["problem"]) is not None and (
        _column(header, _FINDING_COLUMNS["unit"]) is not None
        or _column(header, _FINDING_COLUMNS["due"]) is not None
    ):
        return "problem_list"
    return None


def read_report(path: Path) -> Skeleton:
    """The skeleton of the report at `path`; InvalidInput when it cannot be opened."""
    check_office_file(path, "docx")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged part
        raise InvalidInput(
            f"{path}：无法读取 Word 文件（{type(exc).__name__}）；文件可能已损坏"
        ) from None
    reader = _Reader(str(path))
    used = 0
    for number, table in enumerate(document.tables, start=1):
        grid = read_grid(table, number, str(path))
        if not grid:
            continue
        header = [numbers.squeeze(t) for t in texts(grid[0])]
        kind = _kind(header)
        if kind == "scorecard":
            reader.scorecard(number, grid, header)
        elif kind == "problem_list":
            reader.problem_list(number, grid, header)
        if kind:
            used += 1
    if not used:
        raise InvalidInput(
            f"{path}：没有找到评分表（一级指标…权重…得分）或问题清单（问题…责任单位/整改时限）表格"
        )
    title = next((p.text.strip() for p in document.paragraphs if p.text.strip()), None)
    package = {
        "format": "rectify/evaluation@1",
        "department": {"code": None, "name": None},
        "evaluation": {"key": None, "fiscal_year": None, "title": title, "stated": reader.stated},
        "indicators": reader.indicators,
        "findings": reader.findings,
        "note": f"由 {path.name} 的表格读取的骨架，请核对并补全留空（null）的内容。"
        + (f"未能读取：{'；'.join(reader.unread)}" if reader.unread else ""),
    }
    return Skeleton(package, reader.unread)
