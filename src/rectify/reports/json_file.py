"""Reading a small JSON input file (targets, monitoring reports): one Chinese error
naming the file and the JSON path; numbers as Decimal."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from rectify.domain.errors import InvalidInput


def read_json_object(path: Path, fmt: str, keys: Collection[str]) -> dict[str, Any]:
    where = str(path)
    try:
        data = json.loads(
            path.read_text(encoding="utf-8-sig"), parse_float=Decimal, parse_int=Decimal
        )
    except FileNotFoundError:
        raise InvalidInput(f"{where}：文件不存在") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise InvalidInput(f"{where}：不是 UTF-8 编码的 JSON 文件") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{where}：JSON 语法错误：第 {exc.lineno} 行第 {exc.colno} 列") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: $：顶层应为 JSON 对象")
    if data.get("format") != fmt:
        raise InvalidInput(f"{where}: $.format：应为 {fmt!r}，实为 {data.get('format')!r}")
    unknown_keys(data, keys, f"{where}: $")
    return data


def unknown_keys(obj: dict[str, Any], keys: Collection[str], path: str) -> None:
    extra = sorted(set(obj) - set(keys))
    if extra:
        raise InvalidInput(f"{path}.{extra[0]}：未知字段（拼写错误？）")


def text_field(data: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{path}.{key}：应为非空文本")
    return value.strip()


def year_field(data: dict[str, Any], key: str, path: str) -> int:
    value = data.get(key)
    if not isinstance(value, Decimal) or value != value.to_integral_value():
        raise InvalidInput(f"{path}.{key}：应为年度（整数）")
    return int(value)


def date_field(data: dict[str, Any], key: str, path: str) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidInput(f"{path}.{key}：应为 YYYY-MM-DD 日期或 null")
