"""`rectify tui`: parse the options and hand the House over to the Textual app.

Logging in is the House's (session file or RECTIFY_USER/RECTIFY_PASSWORD); with no
valid session, or with `--login` (a shared entry point), the app opens on its login
screen (same users, same scrypt check).
"""

from __future__ import annotations

import argparse

from rectify.bootstrap import open_house
from rectify.domain.errors import InvalidInput, NoActor
from rectify.domain.identity import Principal

SCREENS = ("home", "problems", "evaluations", "log", "cycle")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tui = sub.add_parser(
        "tui",
        help="终端界面：首页、问题清单、问题详情与操作、评价、预算、事件日志",
        description="打开终端界面。未登录时先显示登录界面。"
        "按 ? 看帮助，Ctrl+P 跳转到问题、部门或评价，1–6 切换界面，Ctrl+Q 退出。",
    )
    tui.add_argument("--screen", choices=SCREENS, default="home", help="打开时显示的界面")
    tui.add_argument("--finding", metavar="REF", help="打开时显示该问题")
    tui.add_argument("--light", action="store_true", help="浅色主题（默认深色；Ctrl+T 切换）")
    tui.add_argument(
        "--with-scheduler",
        action="store_true",
        help="在界面内运行提醒扫描（单人使用的 SQLite 库；多人共用的库请用 rectify scheduler run）",
    )
    tui.add_argument(
        "--login",
        action="store_true",
        help="总是先显示登录界面，不用会话文件或 RECTIFY_USER（多人共用的入口：SSH 强制命令、textual-serve）",
    )
    tui.set_defaults(func=run_tui)


def run_tui(args: argparse.Namespace) -> int:
    launch(
        screen=args.screen,
        finding=args.finding,
        light=args.light,
        with_scheduler=args.with_scheduler,
        login=args.login,
    )
    return 0


def launch(
    *,
    screen: str = "home",
    finding: str | None = None,
    light: bool = False,
    with_scheduler: bool = False,
    login: bool = False,
) -> None:
    # Imported here: starting Textual costs time every other command should not pay.
    from rectify.scheduler.background import BackgroundScan
    from rectify.tui.app import make_app
    from rectify.tui.backend import Backend

    with open_house() as house:
        if with_scheduler and house.store.engine.dialect.name != "sqlite":
            raise InvalidInput(
                "--with-scheduler 只用于单人使用的 SQLite 库；多人共用的 PostgreSQL 库"
                "请把 rectify scheduler run 作为服务运行（见 docs/scheduler.md）"
            )
        background = BackgroundScan(house) if with_scheduler else None
        house.catch_up()
        # A shared entry point (`--login`) must not hand its own account's session to
        # whoever connects: each person logs in as themselves.
        principal: Principal | None = None
        if not login:
            try:
                principal = house.principal_from_environment()
            except NoActor:
                principal = None
        app = make_app(
            Backend(house, principal),
            screen=screen,
            finding=finding,
            light=light,
            background=background,
        )
        app.run()
