"""`rectify evidence submit | show`: 佐证材料 — the file into the blob store, metadata into the log.

The blob store and the size limit are wired by rectify.bootstrap (RECTIFY_BLOB_DIR,
else `blobs/` beside the SQLite file; RECTIFY_EVIDENCE_MAX_BYTES).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rectify.bootstrap import open_house
from rectify.cli.output import console, print_json
from rectify.domain.parsing import parse_date, parse_uuid


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    evidence = sub.add_parser("evidence", help="佐证材料（evidence files）")
    esub = evidence.add_subparsers(dest="evidence_command", required=True, metavar="COMMAND")
    submit = esub.add_parser("submit", help="提交佐证材料，打印其编号")
    submit.add_argument("file", type=Path, metavar="FILE", help="材料文件")
    submit.add_argument("--finding", metavar="REF", help="支持的问题编号（部门用户必填）")
    submit.add_argument("--indicator", metavar="CODE", help="支持的指标编码")
    submit.add_argument(
        "--effective-date", required=True, metavar="D", help="材料所属日期 YYYY-MM-DD"
    )
    submit.add_argument("--media-type", help="媒体类型（默认按内容判断；给出时须与内容相符）")
    submit.add_argument("--json", action="store_true", help="输出 JSON")
    submit.set_defaults(func=run_submit)

    show = esub.add_parser("show", help="查看佐证材料的信息，并校验其内容")
    show.add_argument("id", metavar="ID", help="佐证材料编号")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)


def run_submit(args: argparse.Namespace) -> int:
    effective = parse_date(args.effective_date, "材料所属日期")
    assert effective is not None
    with open_house() as house, house.session():
        evidence_id = house.evidence.submit_evidence(
            args.file,
            effective_date=effective,
            finding_ref=args.finding,
            indicator_code=args.indicator,
            media_type=args.media_type,
        )
    if args.json:
        print_json({"id": str(evidence_id)})
    else:
        console.print(str(evidence_id))
    return 0


def run_show(args: argparse.Namespace) -> int:
    evidence_id = parse_uuid(args.id, "佐证材料编号")
    with open_house() as house, house.session():
        evidence = house.evidence.get_evidence(evidence_id)
        house.evidence.evidence_content(evidence_id)  # raises if missing or altered
    data = {
        "id": str(evidence.id),
        "original_name": evidence.original_name,
        "media_type": evidence.media_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "effective_date": evidence.effective_date,
        "submitted_by": evidence.submitted_by,
        "finding_ref": evidence.finding_ref,
        "indicator_code": evidence.indicator_code,
        "content_ok": True,
    }
    if args.json:
        print_json(data)
        return 0
    console.print(f"佐证材料 {data['id']}", markup=False)
    console.print(
        f"  文件名：{evidence.original_name}（{evidence.media_type}，{evidence.size} 字节）",
        markup=False,
    )
    console.print(
        f"  所属日期：{evidence.effective_date.isoformat()}；提交人：{evidence.submitted_by}",
        markup=False,
    )
    console.print(
        f"  支持：问题 {evidence.finding_ref or '—'}，指标 {evidence.indicator_code or '—'}",
        markup=False,
    )
    console.print(f"  sha256：{evidence.sha256}（内容校验通过）", markup=False)
    return 0
