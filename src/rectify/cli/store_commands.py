"""Store administration: init, db upgrade, rebuild, verify, checkpoint."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from rectify.bootstrap import House, checkpoints, open_house
from rectify.cli.output import console, error, print_json, warning
from rectify.cli.prompts import read_new_password
from rectify.domain.errors import InvalidInput, StoreError
from rectify.domain.identity import Principal, Role
from rectify.domain.permissions import MAINTENANCE_PERMISSIONS, require
from rectify.projections import seal
from rectify.projections.parallel_rebuild import default_workers
from rectify.projections.store import init_lock


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "init",
        help="创建库、升级架构并创建首个财政局用户（create the store and the first bureau user）",
        description="创建或升级 RECTIFY_DB 指定的库；库中还没有用户时，创建首个财政局用户并为其登录。",
    )
    p.add_argument("--user", help="首个财政局用户的登录名（默认 RECTIFY_USER）")
    p.add_argument("--display-name", default="", help="显示名称")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    p.set_defaults(func=run_init)

    db = sub.add_parser("db", help="数据库架构（schema）")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    up = db_sub.add_parser(
        "upgrade", help="把读模型表升级到最新架构（migrate read-model tables to head）"
    )
    up.set_defaults(func=run_upgrade)

    rb = sub.add_parser(
        "rebuild", help="清空并从事件重放全部读模型（drop and replay every read model）"
    )
    rb.add_argument(
        "--batch",
        type=int,
        default=None,  # the runner's DEFAULT_BATCH / GROUP_BATCH, measured (projections/runner.py)
        help="每个事务处理的事件数（events per transaction；默认单进程 5000，分组工作进程各 10000）",
    )
    rb.add_argument(
        "--workers",
        type=int,
        default=None,
        help="1：在本进程内逐批重放；2 及以上：5 万个事件起每组读模型一个进程（现为 2 组；默认按 CPU 核数）",
    )
    rb.set_defaults(func=run_rebuild)

    vf = sub.add_parser("verify", help="校验事件日志未被篡改（recompute the hash chain）")
    vf.add_argument(
        "--checkpoint",
        metavar="P:H",
        help="证明日志仍延续此检查点（默认：检查点文件中最远的一个；prove the log extends P:H）",
    )
    vf.add_argument(
        "--no-checkpoint",
        action="store_true",
        help="不与检查点文件比对（只校验链本身，发现不了末尾被截断）",
    )
    vf.add_argument("--json", action="store_true", help="输出 JSON")
    vf.set_defaults(func=run_verify)

    cp = sub.add_parser(
        "checkpoint",
        help="打印当前封存检查点 position:head-hash 并记入检查点文件（可由 cron 定时运行）",
        description=(
            "打印当前封存检查点并追加到检查点文件（RECTIFY_CHECKPOINT_FILE，默认在用户状态目录下）。"
            "每个命令结束后也会自动记录；`rectify verify` 默认与文件中最远的检查点比对。"
            "cron 示例：*/30 * * * * RECTIFY_DB=… RECTIFY_USER=… RECTIFY_PASSWORD=… rectify checkpoint"
        ),
    )
    cp.set_defaults(func=run_checkpoint)


def run_init(args: argparse.Namespace) -> int:
    # Concurrent inits: the first creates store and user, the others wait and find them.
    with init_lock(), open_house(create=True) as house:
        applied = house.catch_up()
        console.print(f"库已就绪：{house.label}（追上 {applied} 个事件）")
        if checkpoints.current(house.store).position == 0:
            retired = checkpoints.retire(house.store, house.clock.now())
            if retired is not None:
                console.print(
                    f"[yellow]库是空的：此前的检查点文件已改名为 {retired}（若库不是你刚重建的，请立即核查）[/]"
                )
        if house.people.has_users():
            if args.user:
                console.print(
                    f"库中已有用户，未创建用户 {args.user}；"
                    "请由财政局用户登录后用 `rectify user add` 添加"
                )
            return 0
        name = (args.user or os.environ.get("RECTIFY_USER") or "").strip()
        if not name:
            raise InvalidInput("库中还没有用户：请用 --user 指定首个财政局用户的登录名")
        password = read_new_password(args.password_stdin, prompt=f"用户 {name} 的密码")
        principal = house.people.bootstrap_first_user(name, password, args.display_name)
        path = house.remember_login(principal)
        house.catch_up()
        checkpoints.save(house.store, house.clock.now())
        console.print(f"已创建首个财政局用户 {name} 并登录（会话：{path}）")
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    # Who upgrades is checked before anything is migrated (a store with users only).
    try:
        with open_house(outdated_ok=True) as house:
            if house.people.has_users():
                _maintainer(house, "upgrade")
    except StoreError as exc:
        if "尚未初始化" not in exc.message and "不存在" not in exc.message:
            raise
    with init_lock(), open_house(create=True) as house:
        console.print(f"架构已是最新：{house.label}")
    return 0


def run_rebuild(args: argparse.Namespace) -> int:
    with (
        open_house() as house,
        _maintaining(house, "rebuild"),
        Progress(
            TextColumn("重建读模型"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        ) as bar,
    ):
        task = bar.add_task("rebuild", total=None)

        def progress(done: int, head: int) -> None:
            bar.update(task, completed=done, total=max(head, done))

        workers = default_workers() if args.workers is None else max(1, args.workers)
        warnings: list[str] = []
        count = house.store.runner.rebuild(
            batch_size=None if args.batch is None else max(1, args.batch),
            progress=progress,
            workers=workers,
            warn=warnings.append,  # printed below the bar, once it is done
        )
    for text in warnings:
        warning(text)
    console.print(f"已重放 {count} 个事件")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    expected = seal.Checkpoint.parse(args.checkpoint) if args.checkpoint else None
    with open_house() as house, _maintaining(house, "verify"):
        source = "--checkpoint 给出"
        if expected is None and not args.no_checkpoint:
            expected = checkpoints.furthest(house.store)
            source = f"检查点文件 {checkpoints.checkpoint_file(house.store)}"
        with house.store.engine.connect() as conn:
            result = seal.verify(conn, house.store.events, expected)
        missing_file = expected is None and not args.no_checkpoint
        path = checkpoints.checkpoint_file(house.store)
    if args.json:
        print_json(result)
    elif result.ok:
        console.print(
            f"日志完整：已校验 {result.checked} 个事件，封存至第 {result.sealed_position} 号"
        )
        if expected is not None:
            console.print(f"日志延续检查点 {expected}（{source}）")
        elif missing_file:
            console.print(f"[yellow]没有检查点文件 {path}：无法发现末尾事件连同封存被删除[/]")
    else:
        error(f"日志校验失败：{result.problem}（通知编号 {result.first_bad_id}）")
    return 0 if result.ok else 1


def run_checkpoint(args: argparse.Namespace) -> int:
    with open_house() as house, _maintaining(house, "checkpoint"):
        house.catch_up()
        point = checkpoints.save(house.store, house.clock.now())
        console.print(str(point))
    return 0


def _maintainer(house: House, what: str) -> Principal:
    """The logged-in principal, if its role may do this maintenance (permissions.py).

    A store without any user (fresh, or emptied by someone) can still be verified:
    there is no one to log in, and hiding the alarm behind a login would help the
    one who emptied it."""
    if what == "verify" and not house.people.has_users():
        return Principal("verify", Role.SYSTEM)
    principal = house.principal_from_environment()
    require(MAINTENANCE_PERMISSIONS[what], principal)
    return principal


@contextmanager
def _maintaining(house: House, what: str) -> Iterator[Principal]:
    with house.acting(_maintainer(house, what), catch_up=False) as principal:
        yield principal
