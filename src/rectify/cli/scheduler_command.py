"""`rectify scheduler run|tick`: the clock that records reminders, overdue and reports.

Both act as the `system` principal; no login is needed, only access to the store
(RECTIFY_DB). `tick` runs one scan at a date (default: today in Beijing); `run` is the
foreground daemon (systemd: docs/rectify-scheduler.service), or with --now/--until
drives the same job over simulated days and exits.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from rectify.bootstrap import House, open_house
from rectify.cli import output
from rectify.cli.output import console, print_json
from rectify.domain.clock import FixedClock
from rectify.domain.deadlines import HolidayCalendar
from rectify.domain.errors import InvalidInput
from rectify.scheduler.daemon import Daemon
from rectify.scheduler.mail import SmtpSettings, kind_label, send_pending
from rectify.scheduler.scan import RecordedItem, scan

log = logging.getLogger("rectify.scheduler")


def parse_day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{what} {text!r} 不是存在的日期（应为 YYYY-MM-DD，如 2026-02-28）"
        ) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "scheduler",
        help="时钟：按时记录整改提醒、逾期、复核与整改情况报送（system 用户）",
        description="扫描整改时限，记录提醒、逾期、到期复核、应报送与逾期未报送的整改情况；"
        "每项按其所属日期只记录一次。可选 SMTP：设置 RECTIFY_SMTP_HOST、RECTIFY_SMTP_TO 等环境变量。",
    )
    ssub = parser.add_subparsers(dest="scheduler_command", required=True, metavar="COMMAND")
    tick = ssub.add_parser("tick", help="在某一日扫描一次（脚本、测试、演示用）")
    tick.add_argument("--now", help="扫描的日期 YYYY-MM-DD（默认北京时间今天；可早于今天）")
    tick.add_argument("--json", action="store_true", help="输出本次记录的各项（JSON 列表）")
    tick.add_argument("--holidays", type=Path, help="节假日 JSON 文件（内置日历不知道的年份）")
    tick.set_defaults(func=run_tick)

    run = ssub.add_parser("run", help="前台常驻：按间隔与每日定时扫描，SIGTERM/SIGINT 干净退出")
    run.add_argument("--now", help="模拟运行：从此日开始逐日扫描（须与 --until 同用）")
    run.add_argument("--until", help="模拟运行：扫描到此日（含）后退出")
    run.add_argument("--holidays", type=Path, help="节假日 JSON 文件（内置日历不知道的年份）")
    run.add_argument("--interval-minutes", type=int, help="扫描间隔（分钟；默认取政策）")
    run.add_argument("--hour", type=int, help="每日扫描时刻 0–23（北京时间；默认取政策）")
    run.set_defaults(func=run_daemon)


def _calendar(path: Path | None) -> HolidayCalendar:
    return HolidayCalendar.from_json(path) if path is not None else HolidayCalendar()


def _scan_and_mail(
    house: House, day: date, calendar: HolidayCalendar, smtp: SmtpSettings | None
) -> list[RecordedItem]:
    recorded = scan(house, day, calendar)
    if smtp is not None:
        send_pending(house, smtp)
    return recorded


def run_tick(args: argparse.Namespace) -> int:
    calendar = _calendar(args.holidays)
    smtp = SmtpSettings.from_env()
    clock = FixedClock.on(parse_day(args.now, "--now")) if args.now else None
    with open_house(clock=clock) as house:
        day = house.clock.today()
        recorded = _scan_and_mail(house, day, calendar, smtp)
    if args.json:
        print_json([asdict(r) for r in recorded])
        return 0
    if not recorded:
        console.print(f"{day.isoformat()}：没有新的提醒或逾期")
        return 0
    table = output.table(
        f"{day.isoformat()}：新记录 {len(recorded)} 条",
        ("日期", "类型", "问题", "标题（部门）"),
        codes=("日期", "问题"),
    )
    for r in recorded:
        table.add_row(
            str(r.for_date), kind_label(r.kind), r.ref, f"{r.title}（{r.department_code}）"
        )
    console.print(table)
    return 0


def _setup_logging() -> None:
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )


def run_daemon(args: argparse.Namespace) -> int:
    if (args.now is None) != (args.until is None):
        raise InvalidInput("模拟运行须同时给出 --now 与 --until")
    start = parse_day(args.now, "--now") if args.now else None
    until = parse_day(args.until, "--until") if args.until else None
    if start is not None and until is not None and until < start:
        raise InvalidInput(f"--until {until.isoformat()} 早于 --now {start.isoformat()}")
    calendar = _calendar(args.holidays)
    smtp = SmtpSettings.from_env()
    _setup_logging()
    with open_house() as house:
        policy = house.schedule.policy()
        hour = policy.scan_hour if args.hour is None else args.hour
        interval = (
            policy.scan_interval_minutes if args.interval_minutes is None else args.interval_minutes
        )
        if not 0 <= hour <= 23:
            raise InvalidInput(f"--hour {hour} 应为 0–23")
        if interval <= 0:
            raise InvalidInput(f"--interval-minutes {interval} 应为正整数")
        daemon = Daemon(lambda day: _scan_and_mail(house, day, calendar, smtp), house.clock.today)
        if start is not None and until is not None:
            daemon.run_days(start, until)
        else:
            daemon.run_forever(hour, interval)
    return 0
