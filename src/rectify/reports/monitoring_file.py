"""A monitoring report (绩效监控报告) as JSON: read and shape-check it.

    {"format": "rectify/monitoring@1", "department": "WB-GXJ", "fiscal_year": 2024,
     "period": "H1", "filed_on": "2024-07-10",
     "execution": {"budget": 533.63, "spent": 180.00},
     "values": [{"code": "T1", "reached": 15, "expected": 30,
                 "cause": "企业走访受汛期影响", "measure": "下半年增加走访频次"}]}

`filed_on` null: today. The period must exist in the bureau's plan and each code in
the targets in force at the period's end (checked by the domain, naming `values[i]`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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

FORMAT = "rectify/monitoring@1"
KEYS = {"format", "department", "fiscal_year", "period", "filed_on", "execution", "values", "note"}
VALUE_KEYS = {"code", "reached", "expected", "cause", "measure", "note"}


@dataclass(frozen=True)
class MonitoringFile:
    department: str
    fiscal_year: int
    period: str
    filed_on: date | None
    execution: dict[str, Any]
    values: list[dict[str, Any]]


def load_monitoring_file(path: Path) -> MonitoringFile:
    data = read_json_object(path, FORMAT, KEYS)
    at = f"{path}: $"
    department, period = text_field(data, "department", at), text_field(data, "period", at)
    assert department is not None and period is not None
    execution = data.get("execution")
    if not isinstance(execution, dict):
        raise InvalidInput(f"{at}.execution：应为对象 {{budget, spent}}")
    unknown_keys(execution, {"budget", "spent", "note"}, f"{at}.execution")
    values = data.get("values")
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise InvalidInput(f"{at}.values：应为指标完成情况对象的列表")
    for i, v in enumerate(values):
        unknown_keys(v, VALUE_KEYS, f"{at}.values[{i}]")
        for key in ("reached", "expected"):
            if v.get(key) is not None and not isinstance(v[key], Decimal):
                raise InvalidInput(f"{at}.values[{i}].{key}：应为数字或 null")
    return MonitoringFile(
        department,
        year_field(data, "fiscal_year", at),
        period,
        date_field(data, "filed_on", at),
        execution,
        values,
    )
