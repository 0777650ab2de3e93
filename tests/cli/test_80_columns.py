"""Every table the CLI prints fits an 80-column terminal (issue #7 item 7).

In process, at COLUMNS=80, on the two example packages: no printed line is wider than
80 display cells (a CJK character takes two: rich's `cell_len`), and the codes and refs
that must never wrap are still found whole on one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len

from rectify.bootstrap import open_house
from rectify.cli import output
from rectify.cli.main import main
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.vocabulary import ScoreStage
from rectify.reports.importer import import_package
from rectify.reports.package import load_package
from tests.cli.helpers import in_process_env
from tests.conftest import WEIBIN, ZHENGZHOU

ADMIN = "admin-secret-1"
WB_KEY = "WB-GXJ/2024/department"
ZZ_KEY = "ZZ-GXJ/2021/project/QYFW"
REF = "WB-GXJ/2024/01"
BUREAU = Principal("admin", Role.BUREAU)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The examples imported, one finding issued and worked on, one score changed."""
    tmp = tmp_path_factory.mktemp("eighty")
    url = f"sqlite:///{tmp / 'rectify.db'}"
    with open_house(url, create=True, blob_dir=tmp / "blobs") as house:
        house.people.password_cost_n = 2**10
        house.people.bootstrap_first_user("admin", ADMIN, "管理员")
        with acting_as(BUREAU):
            for package in (WEIBIN, ZHENGZHOU):
                import_package(house.services, load_package(package))
            house.findings.issue_finding(
                REF,
                rectification_class=RectificationClass.PHASED,
                requirements="细化预算测算，完善绩效目标，按季度报送整改进展并附佐证材料",
                issued_on=date(2025, 1, 6),
                due=date(2025, 2, 5),
            )
            house.findings.extend_deadline(
                REF, date(2025, 2, 20), "部门申请：决算数据尚未出具，需待决算后核实"
            )
            house.evaluations.set_score(
                WB_KEY,
                "A2.2",
                Decimal("2.00"),
                stage=ScoreStage.THIRD_PARTY,
                reason="复核后按评分规则重新计算：预算编制科学性的得分应与规则计算值一致",
            )
        house.catch_up()
    return url


@pytest.fixture
def eighty(store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    in_process_env(
        monkeypatch,
        store,
        tmp_path,
        RECTIFY_USER="admin",
        RECTIFY_PASSWORD=ADMIN,
        RECTIFY_TODAY="2025-03-03",
        COLUMNS="80",
    )
    assert output.console.width == 80  # the console reads COLUMNS, so this run is at 80
    yield


TABLES = [
    (("findings", "list"), [REF]),
    (("findings", "list", "--overdue"), [REF]),
    (("findings", "show", REF), [REF, "2025-02-20"]),
    (("findings", "figures"), ["WB-GXJ", "0.00%"]),
    (("evaluation", "show", WB_KEY), ["A2.2", "87.66"]),
    (("evaluation", "show", ZZ_KEY), ["A1.1"]),
    (("score", "history", WB_KEY, "A2.2"), ["北京时间"]),
    (("compare", "WB-GXJ", "A2.2"), [WB_KEY]),
    (("check", str(WEIBIN)), ["A2.2"]),
    (("check", str(ZHENGZHOU)), ["A1.1"]),
    (("scheduler", "tick", "--now", "2025-03-03"), [REF]),
    (("inbox",), [REF]),
    (("policy", "show"), ["reminder.immediate"]),
]


@pytest.mark.parametrize(
    ("argv", "whole"),
    TABLES,
    ids=[" ".join(a[:3]).replace(str(WEIBIN.parent) + "/", "") for a, _ in TABLES],
)
def test_fits_80_columns(
    eighty: None, argv: tuple[str, ...], whole: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(list(argv))
    out = capsys.readouterr().out
    assert code in (0, 1), out  # `check` exits 1 when it finds problems
    lines = out.splitlines()
    assert lines, f"rectify {' '.join(argv)} printed nothing"
    wide = [f"{cell_len(line)}: {line}" for line in lines if cell_len(line) > 80]
    assert wide == [], "\n".join(wide)
    for text in whole:
        assert any(text in line for line in lines), f"{text} wrapped or missing:\n{out}"
