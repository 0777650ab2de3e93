"""`rectify policy show|set`: reminder lead times, report periods, scan time, deadlines.

Changes are events (who, when, why); every recorded reminder names the policy version
it was computed under. Only the bureau may change the policy.
"""

from __future__ import annotations

import argparse

from rectify.bootstrap import open_house
from rectify.cli.output import console, print_json
from rectify.domain.errors import InvalidInput
from rectify.domain.schedule_policy import DEFAULTS, SETTING_LABELS, SchedulePolicy, describe


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("policy", help="时限与提醒政策（查看；财政局修改）")
    psub = parser.add_subparsers(dest="policy_command", required=True, metavar="COMMAND")
    show = psub.add_parser("show", help="显示当前政策")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)
    keys = "、".join(sorted(DEFAULTS))
    put = psub.add_parser(
        "set",
        help="修改政策（财政局）",
        description=f"KEY=VALUE，可设：{keys}。例：reminder.phased=30,7,1",
    )
    put.add_argument("settings", nargs="+", metavar="KEY=VALUE")
    put.add_argument("--reason", required=True, help="修改理由（记入事件）")
    put.set_defaults(func=run_set)


def _print(policy: SchedulePolicy) -> None:
    data = describe(policy)
    console.print(f"政策版本 {data['version']}（0 为内置默认）")
    for cls, days in data["reminder_days"].items():
        console.print(
            f"  reminder.{cls} = {','.join(map(str, days))}   {SETTING_LABELS['reminder']}"
        )
    for cls, days in data["deadline_days"].items():
        console.print(
            f"  deadline.{cls} = {days if days is not None else 'none'}   {SETTING_LABELS['deadline']}"
        )
    for key in (
        "first_report_days",
        "report_period_months",
        "report_grace_working_days",
        "scan_hour",
        "scan_interval_minutes",
    ):
        console.print(f"  {key} = {data[key]}   {SETTING_LABELS[key]}")


def run_show(args: argparse.Namespace) -> int:
    with open_house() as house, house.session(catch_up=False):
        policy = house.schedule.policy()
    if args.json:
        print_json(describe(policy))
    else:
        _print(policy)
    return 0


def run_set(args: argparse.Namespace) -> int:
    settings: dict[str, str] = {}
    for item in args.settings:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"政策设置 {item!r} 应为 KEY=VALUE，如 reminder.phased=30,7,1")
        settings[key.strip()] = value
    with open_house() as house, house.session():
        policy = house.schedule.set_policy(settings, args.reason)
    _print(policy)
    return 0
