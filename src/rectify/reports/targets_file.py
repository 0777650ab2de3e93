"""A performance-targets file (绩效目标表) as JSON: read and shape-check it.

    {"format": "rectify/targets@1", "department": "WB-GXJ", "fiscal_year": 2024,
     "project": null, "effective": "2024-01-15",
     "targets": [{"code": "T1", "name": "企业服务次数", "category": "quantity",
                  "operator": ">=", "value": 40, "unit": "次", "source": "目标表"}]}

Numbers are read as Decimal. Every problem names the file and the JSON path; the
meaning of each target (unit, operator, category) is checked by the domain
(`rectify.domain.targets.parse_target`) with the same path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from rectify.domain.errors import InvalidInput

FORMAT = "rectify/targets@1"
KEYS = {"format", "department", "fiscal_year", "project", "effective", "targets", "note"}
ROW_KEYS = {"code", "name", "category", "operator", "value", "unit", "source", "note"}


@dataclass(frozen=True)
class TargetsFile:
    department: str
    fiscal_year: int
    project: str | None
    effective: date | None
    rows: list[dict[str, Any]]
    source: str


def load_targets_file(path: Path) -> TargetsFile:
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"), parse_float=Decimal, parse_int=Decimal)
    except FileNotFoundError:
        raise InvalidInput(f"{where}：文件不存在") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise InvalidInput(f"{where}：不是 UTF-8 编码的 JSON 文件") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{where}：JSON 语法错误：第 {exc.lineno} 行第 {exc.colno} 列") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: $：顶层应为 JSON 对象")
    if data.get("format") != FORMAT:
        raise InvalidInput(f"{where}: $.format：应为 {FORMAT!r}，实为 {data.get('format')!r}")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise InvalidInput(f"{where}: $.{unknown[0]}：未知字段（拼写错误？）")
    department = data.get("department")
    if not isinstance(department, str) or not department.strip():
        raise InvalidInput(f"{where}: $.department：应为部门代码")
    year = data.get("fiscal_year")
    if not isinstance(year, Decimal) or year != year.to_integral_value():
        raise InvalidInput(f"{where}: $.fiscal_year：应为年度（整数）")
    project = data.get("project")
    if project is not None and not isinstance(project, str):
        raise InvalidInput(f"{where}: $.project：应为项目代码或 null")
    effective = data.get("effective")
    try:
        when = date.fromisoformat(effective) if isinstance(effective, str) else None
    except ValueError:
        when = None
    if effective is not None and when is None:
        raise InvalidInput(f"{where}: $.effective：应为 YYYY-MM-DD 日期或 null")
    rows = data.get("targets")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InvalidInput(f"{where}: $.targets：应为指标对象的列表")
    for i, row in enumerate(rows):
        extra = sorted(set(row) - ROW_KEYS)
        if extra:
            raise InvalidInput(f"{where}: $.targets[{i}].{extra[0]}：未知字段（拼写错误？）")
    return TargetsFile(department.strip(), int(year), project, when, rows, f"{where}: $.targets")
