"""The TUI world plus one department's yearly cycle, built through the House's
services as each role would: targets declared and one revised, a monitoring report
raising two warnings, self-evaluation and review scores, a comment round answered,
a result decision and the next year's budget opened."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rectify.domain.evaluation import ScoreStage
from rectify.domain.monitoring import Period
from rectify.domain.results import parse_bands
from rectify.reports.monitoring_file import load_monitoring_file
from rectify.reports.targets_file import load_targets_file
from tests.cli.cycle_helpers import targets_file
from tests.cli.test_monitoring_cli import report
from tests.tui.conftest import PRINCIPALS, R2, World

KEY = "WB-GXJ/2024/department"


def add_cycle(world: World) -> World:
    house, tmp = world.house, world.tmp
    targets = load_targets_file(targets_file(tmp))
    filed = load_monitoring_file(report(tmp))
    with house.acting(PRINCIPALS["department"]):
        house.targets.declare_targets(
            targets.department,
            targets.fiscal_year,
            targets.rows,
            effective=targets.effective,
            where=targets.source,
        )
    with house.acting(PRINCIPALS["bureau"]):
        house.targets.revise_target(
            "WB-GXJ",
            2024,
            "T1",
            {"value": "35"},
            reason="卫财〔2024〕12号",
            effective=date(2024, 7, 1),
        )
        house.monitoring.plan_monitoring(
            "WB-GXJ", 2024, [Period("H1", date(2024, 1, 1), date(2024, 6, 30), date(2024, 7, 15))]
        )
    with house.acting(PRINCIPALS["department"]):
        house.monitoring.file_monitoring_report(
            filed.department,
            filed.fiscal_year,
            filed.period,
            filed.values,
            filed.execution,
            filed_on=filed.filed_on,
        )
        house.evaluations.set_score(
            KEY, "B1.2", Decimal("2.00"), stage=ScoreStage.SELF, reason=None
        )
    with house.acting(PRINCIPALS["bureau"]):
        house.evaluations.set_score(
            KEY,
            "B1.2",
            Decimal("0.50"),
            stage=ScoreStage.REVIEW,
            reason=None,
            narrative="调整率超出±10%",
        )
        house.comments.open_round(KEY, date(2026, 1, 31))
    with house.acting(PRINCIPALS["department"]):
        house.comments.reply(KEY, "finding", R2, agrees=False, reasons="目标已细化量化，见附件")
    with house.acting(PRINCIPALS["bureau"]):
        house.comments.respond(KEY, "R1", accepted=False, reason="附件未见测算依据")
        bands: list[dict[str, str | None]] = [
            {"grade": "优", "min": "90", "max": None, "consequence": "priority", "share": None},
            {"grade": "良", "min": "80", "max": "90", "consequence": "keep", "share": None},
            {"grade": "中", "min": "60", "max": "80", "consequence": "cut", "share": "10"},
            {"grade": "差", "min": "0", "max": "60", "consequence": "suspend", "share": None},
        ]
        house.results.set_policy(parse_bands(bands, "--band"), "卫财〔2025〕8号")
        house.results.decide(KEY, reason="按政策")
        house.evaluations.open_budget(
            "WB-GXJ",
            2025,
            unit="万元",
            lines=[{"code": "basic", "name": "基本支出", "nature": None, "initial": Decimal(120)}],
        )
    return world
