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

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rectify.domain.errors import InvalidInput
from rectify.reports.json_file import (
    date_field,
    read_json_object,
    text_field,
    unknown_keys,
    year_field,
)

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
    data = read_json_object(path, FORMAT, KEYS)
    at = f"{path}: $"
    department = text_field(data, "department", at)
    assert department is not None
    rows = data.get("targets")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InvalidInput(f"{at}.targets：应为指标对象的列表")
    for i, row in enumerate(rows):
        unknown_keys(row, ROW_KEYS, f"{at}.targets[{i}]")
    return TargetsFile(
        department,
        year_field(data, "fiscal_year", at),
        text_field(data, "project", at, required=False),
        date_field(data, "effective", at),
        rows,
        f"{at}.targets",
    )
