"""`rectify comments open|reply|respond|close|show`: the comment round (征求意见).

Parsing and printing only; the commands are `House.comments`, the reads the
comment-round read model.
"""

from __future__ import annotations

import argparse

from rich.table import Table

from rectify.bootstrap import open_house
from rectify.cli.evaluation_commands import _decimal
from rectify.cli.output import console, print_json
from rectify.domain.errors import InvalidInput
from rectify.domain.parsing import parse_date
from rectify.projections.comments import comment_round


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    com = sub.add_parser("comments", help="征求意见（发送、回复、答复、定稿）")
    csub = com.add_subparsers(dest="comments_command", required=True, metavar="COMMAND")

    open_ = csub.add_parser("open", help="发送征求意见稿，给出回复期限（财政局/评价机构）")
    open_.add_argument("key", help="评价键")
    open_.add_argument("--deadline", required=True, help="回复期限 YYYY-MM-DD")
    open_.add_argument("--on", help="发送日期（默认今天）")
    open_.set_defaults(func=run_open)

    reply = csub.add_parser("reply", help="部门对一个问题或一项得分回复意见")
    reply.add_argument("key", help="评价键")
    target = reply.add_mutually_exclusive_group(required=True)
    target.add_argument("--finding", help="问题编号")
    target.add_argument("--score", help="末级指标代码")
    stance = reply.add_mutually_exclusive_group(required=True)
    stance.add_argument("--agree", action="store_true", help="无异议")
    stance.add_argument("--disagree", action="store_true", help="有异议（须 --reasons）")
    reply.add_argument("--reasons", help="理由")
    reply.add_argument("--evidence", action="append", default=[], help="佐证材料编号，可重复")
    reply.add_argument("--proposed", type=_decimal, help="部门认为应得的分数")
    reply.add_argument("--on", help="回复日期（默认今天；晚于期限记为逾期）")
    reply.set_defaults(func=run_reply)

    respond = csub.add_parser(
        "respond", help="评价机构答复部门意见：采纳（修改得分或撤销问题）或不采纳"
    )
    respond.add_argument("key", help="评价键")
    respond.add_argument("reply", help="回复编号，如 R1")
    verdict = respond.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--accept", action="store_true", help="采纳：按理由修改得分或撤销问题")
    verdict.add_argument("--reject", action="store_true", help="不采纳：保留理由，不作修改")
    respond.add_argument("--reason", required=True, help="采纳或不采纳的理由")
    respond.add_argument("--score", type=_decimal, help="采纳后的得分（默认部门建议的分数）")
    respond.set_defaults(func=run_respond)

    close = csub.add_parser("close", help="结束征求意见并定稿（最终得分 = 现行得分）")
    close.add_argument("key", help="评价键")
    close.add_argument("--on", help="结束日期（默认今天）")
    close.set_defaults(func=run_close)

    show = csub.add_parser("show", help="征求意见的全过程")
    show.add_argument("key", help="评价键")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)


def run_open(args: argparse.Namespace) -> int:
    deadline = parse_date(args.deadline, "回复期限")
    if deadline is None:
        raise InvalidInput("须给出回复期限 --deadline")
    with open_house() as house, house.session():
        round_ = house.comments.open_round(args.key, deadline, parse_date(args.on, "发送日期"))
    console.print(f"已向 {round_.department_code} 发送 {args.key} 征求意见稿，{deadline} 前回复")
    return 0


def run_reply(args: argparse.Namespace) -> int:
    kind, subject = ("finding", args.finding) if args.finding else ("score", args.score)
    with open_house() as house, house.session():
        reply_id = house.comments.reply(
            args.key,
            kind,
            subject,
            agrees=args.agree,
            reasons=args.reasons,
            evidence=tuple(args.evidence),
            proposed=args.proposed,
            replied_on=parse_date(args.on, "回复日期"),
        )
        late = house.comments.get_round(args.key).replies[reply_id]["late"]
    console.print(f"已记录回复 {reply_id}" + ("（逾期回复）" if late else ""))
    return 0


def run_respond(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        house.comments.respond(
            args.key, args.reply, accepted=args.accept, reason=args.reason, score=args.score
        )
    console.print(f"已答复 {args.reply}：{'采纳' if args.accept else '不采纳'}（{args.reason}）")
    return 0


def run_close(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        fixed = house.comments.close_round(args.key, parse_date(args.on, "结束日期"))
    console.print(f"征求意见结束，{args.key} 定稿：{fixed} 个末级指标的最终得分已确定")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_house() as house, house.session() as principal, house.store.engine.connect() as conn:
        view = comment_round(conn, args.key, principal=principal)
    if args.json:
        print_json(view)
        return 0
    state = f"{view.closed_on} 定稿" if view.closed_on else "进行中"
    console.print(
        f"{view.evaluation_key} 征求意见：{view.sent_on} 发送，{view.deadline} 前回复，{state}"
    )
    table = Table()
    for col in ("编号", "对象", "意见", "理由", "回复日", "答复", "答复理由"):
        table.add_column(col)
    for r in view.replies:
        what = f"{'问题' if r['kind'] == 'finding' else '得分'} {r['subject']}"
        stance = (
            "无异议"
            if r["agrees"]
            else "有异议" + (f"（建议 {r['proposed']}）" if r["proposed"] is not None else "")
        )
        verdict = "—" if r["accepted"] is None else ("采纳" if r["accepted"] else "不采纳")
        table.add_row(
            r["reply_id"],
            what,
            stance,
            r["reasons"] or "—",
            f"{r['replied_on']}{'（逾期）' if r['late'] else ''}",
            verdict,
            r["response"] or "—",
        )
    console.print(table)
    return 0
