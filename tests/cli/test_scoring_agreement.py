"""`rectify check` (on the package) and `evaluation show` (on the event log) agree.

Both compute through domain/scoring (figures.py for rates, composites and measures,
the rule engine for ranges, the tree for totals and grades). This runs both on each
example package, in process, on SQLite and PostgreSQL, and compares the total, the
grade and every leaf whose score contradicts its written rule.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rectify.cli.main import main
from tests.conftest import WEIBIN, ZHENGZHOU

# package, evaluation key, (total, grade), leaves off their written rule (A1.1 of
# zhengzhou reads the budget execution rate: the budget figures must agree too).
CASES = [
    (WEIBIN, "WB-GXJ/2024/department", ("87.66", "良"), {"A2.2", "C2.1", "C2.2"}),
    (ZHENGZHOU, "ZZ-GXJ/2021/project/QYFW", ("100.00", "优秀"), {"A1.1"}),
]


def _run(capsys: pytest.CaptureFixture[str], *argv: str, ok: tuple[int, ...] = (0,)) -> str:
    code = main(list(argv))
    out = capsys.readouterr()
    assert code in ok, f"rectify {' '.join(argv)} → {code}\n{out.out}\n{out.err}"
    return out.out


def _num(value: Any) -> Any:
    """JSON numbers as Decimals, intervals as (lo, hi), so 3 and 3.00 compare equal."""
    if isinstance(value, list):
        return tuple(Decimal(v) for v in value)
    if value is None:
        return None
    lo = Decimal(value)
    return (lo, lo)


@pytest.mark.parametrize(("package", "key", "expected", "off"), CASES, ids=["weibin", "zhengzhou"])
def test_check_and_show_agree(
    package: Path,
    key: str,
    expected: tuple[str, str],
    off: set[str],
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("RECTIFY_USER", "RECTIFY_PASSWORD", "RECTIFY_TODAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RECTIFY_DB", db_url)
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    monkeypatch.setattr("sys.stdin", io.StringIO("bureau-secret-1\n"))
    _run(capsys, "init", "--user", "admin", "--password-stdin")
    _run(capsys, "import", "evaluation", str(package))

    checked = json.loads(_run(capsys, "check", str(package), "--json", ok=(0, 1)))
    shown = json.loads(_run(capsys, "evaluation", "show", key, "--json"))

    assert (shown["total"], shown["grade"]) == (checked["total"], checked["grade"]) == expected

    # Every leaf the scorecard finds off its rule is a rule_mismatch of the checker,
    # with the same range, and nothing else is.
    off_rule = {
        f"indicators[{n['code']}]": _num(n["rule_range"])
        for n in shown["nodes"]
        if n["is_leaf"]
        and n["rule_difference"] not in (None, "0")
        and Decimal(n["rule_difference"]) != 0
    }
    mismatches = {
        c["path"]: _num(c["computed"]) for c in checked["checks"] if c["kind"] == "rule_mismatch"
    }
    assert off_rule == mismatches
    assert set(off_rule) == {f"indicators[{code}]" for code in off}
