"""Benchmark (issue #13): a 1,000-item 问题清单 docx; a 10,000-row 整改台账 export and
import. Each figure is a ratio against writing (or reading) the same cells with the
bare library — python-docx `cell.text`, openpyxl `ws.append` / `iter_rows` — in the
same run on the same machine.

Run: .venv/bin/python bench/bench_documents.py [--items 1000] [--rows 10000] [--url URL]
Not run by pytest.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
from openpyxl import Workbook, load_workbook

from rectify.bootstrap import House, open_house
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role, acting_as
from rectify.projections.ledger import LedgerRow, ledger_rows
from rectify.projections.queries import FindingView
from rectify.reports.docx import problem_list
from rectify.reports.importer import import_package
from rectify.reports.package import load_package
from rectify.reports.xlsx import ledger_export
from rectify.reports.xlsx.columns import SHEET, letter
from rectify.reports.xlsx.ledger_apply import apply_ledger
from rectify.reports.xlsx.ledger_read import read_ledger

EXAMPLE = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "rectify"
    / "examples"
    / "weibin-2024.evaluation.json"
)
BUREAU = Principal("bench-bureau", Role.BUREAU)
DEPARTMENT = Principal("bench-wb", Role.DEPARTMENT, "WB-GXJ")
CHECKPOINT = "1:" + "0" * 64


def timed(fn: Callable[[], Any], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def views(n: int) -> list[FindingView]:
    now = datetime.now(UTC)
    return [
        FindingView(
            ref=f"WB-GXJ/2024/{i:05d}",
            department_code="WB-GXJ",
            department_name="新乡市卫滨区工业和信息化局",
            unit_code=None,
            fiscal_year=2024,
            evaluation_key=None,
            category=("预算管理", "绩效管理")[i % 2],
            title="预算编制管理不够精细",
            description="一是预算编制不够精细，缺乏必要的资金测算过程。" * 2,
            indicator_codes=(),
            amount=Decimal("320.44"),
            amount_unit="万元",
            rectification_class="phased",
            due=date(2025, 11, 30),
            status="issued",
            recorded_at=now,
            recorded_by="bench",
        )
        for i in range(n)
    ]


def bare_docx(items: list[FindingView], path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=len(problem_list.HEADERS))
    for cell, text in zip(table.rows[0].cells, problem_list.HEADERS, strict=True):
        cell.text = text
    for seq, f in enumerate(items, start=1):
        for cell, text in zip(table.add_row().cells, problem_list.row_values(seq, f), strict=True):
            cell.text = text
    document.save(str(path))


def bare_xlsx(rows: list[LedgerRow], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for seq, row in enumerate(rows, start=1):
        ws.append(ledger_export.row_values(seq, row))
    wb.save(path)


def bare_read(path: Path) -> int:
    ws = load_workbook(path, data_only=True)[SHEET]
    return sum(1 for row in ws.iter_rows(min_row=2) for c in row if c.value is not None)


def seeded_house(url: str, blobs: Path, rows: int) -> House:
    house = open_house(url, create=True, blob_dir=blobs)
    with acting_as(BUREAU):
        import_package(house.services, load_package(EXAMPLE))
        for ref in ("WB-GXJ/2024/01", "WB-GXJ/2024/02"):
            house.findings.issue_finding(
                ref,
                rectification_class=RectificationClass.PHASED,
                requirements="细化预算测算",
                issued_on=date(2025, 9, 1),
            )
        template = house.findings.get_finding("WB-GXJ/2024/01")
        batch = []
        for i in range(rows):
            # Recorded and issued in batches of 500 per save: the set-up, not what is measured.
            finding = house.findings.new_finding(
                ref=f"WB-GXJ/2024/B{i:05d}",
                department_code="WB-GXJ",
                fiscal_year=2024,
                category=template.category,
                title=template.title,
                description=template.description,
                amount=Decimal(i),
                amount_unit="万元",
            )
            finding.issue(
                rectification_class=RectificationClass.PHASED,
                issued_on=date(2025, 9, 1),
                due=date(2025, 11, 30),
                re_review_on=None,
                requirements="细化预算测算",
            )
            batch.append(finding)
            if len(batch) == 500:
                house.findings.app.save_all(*batch)
                batch = []
        if batch:
            house.findings.app.save_all(*batch)
    house.catch_up()
    return house


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--url")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="rectify-bench-docs-"))

    items = views(args.items)
    ours = timed(
        lambda: problem_list.build(
            items, heading="问题清单", scope_line="bench", checkpoint=CHECKPOINT
        ).save(str(tmp / "ours.docx"))
    )
    bare = timed(lambda: bare_docx(items, tmp / "bare.docx"))
    print(
        f"问题清单 docx, {args.items} items: {ours:.2f} s; bare python-docx {bare:.2f} s; ratio {ours / bare:.2f}"
    )

    store = seeded_house(args.url or f"sqlite:///{tmp / 'bench.db'}", tmp / "blobs", args.rows)
    try:

        def query() -> list[LedgerRow]:
            with store.store.engine.connect() as conn:
                return list(
                    ledger_rows(
                        conn, principal=DEPARTMENT, fiscal_year=2024, today=date(2025, 10, 15)
                    )
                )

        rows = query()
        ledger = tmp / "台账.xlsx"
        query_time = timed(query)
        write_time = timed(
            lambda: ledger_export.export(rows, ledger, checkpoint=CHECKPOINT, info={})
        )
        bare = timed(lambda: bare_xlsx(rows, tmp / "bare.xlsx"))
        print(
            f"台账 export, {len(rows)} rows: query {query_time:.2f} s + write {write_time:.2f} s; "
            f"bare openpyxl write {bare:.2f} s; ratio {(query_time + write_time) / bare:.2f} "
            f"(write alone {write_time / bare:.2f})"
        )
        wb = load_workbook(ledger)
        ws = wb[SHEET]
        for r in range(2, len(rows) + 2):
            ws[f"{letter('整改措施')}{r}"] = "建立追加资金测算审核制度"
            ws[f"{letter('整改进展')}{r}"] = "制度已起草"
            ws[f"{letter('完成比例')}{r}"] = 60
        wb.save(ledger)
        read_time = timed(lambda: read_ledger(ledger))
        sheet = read_ledger(ledger)
        with acting_as(DEPARTMENT):
            start = time.perf_counter()
            outcome = apply_ledger(store.findings, sheet, today=date(2025, 10, 15), dry_run=False)
            apply_time = time.perf_counter() - start
            store.catch_up()
            again_sheet = read_ledger(ledger)
            start = time.perf_counter()
            again = apply_ledger(
                store.findings,
                again_sheet,
                today=date(2025, 10, 15),
                dry_run=False,
                current={r.finding.ref: r for r in query()},
            )
            second = time.perf_counter() - start
        bare = timed(lambda: bare_read(ledger))
        print(
            f"台账 import, {len(sheet.entries)} rows ({len(outcome.changes)} changes recorded): "
            f"read {read_time:.2f} s + apply {apply_time:.2f} s; bare openpyxl read {bare:.2f} s; "
            f"read ratio {read_time / bare:.2f}, whole ratio {(read_time + apply_time) / bare:.2f}; "
            f"second import (records {len(again.changes)}; read-model check + apply) {second:.2f} s"
        )
    finally:
        store.close()


if __name__ == "__main__":
    main()
