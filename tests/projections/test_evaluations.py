"""Evaluations end to end: import the example packages, re-import, revise, look back.

Every test runs on a SQLite file and on PostgreSQL (`store` fixture).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import eventsourcing.domain
import pytest

from rectify.bootstrap import House
from rectify.domain.evaluation import Evaluation, ScoreStage
from rectify.projections import evaluations as ev
from rectify.projections.store import alembic_check
from rectify.reports.evaluation_import import REIMPORT_REASON
from rectify.reports.importer import import_package
from rectify.reports.package import load_package
from tests.conftest import WEIBIN, ZHENGZHOU

WEIBIN_KEY = "WB-GXJ/2024/department"
ZZ_KEY = "ZZ-GXJ/2021/project/QYFW"


def event_count(house: House) -> int:
    with house.store.engine.connect() as conn:
        return house.store.runner.head(conn)


def changed_copy(tmp_path: Path, code: str, awarded: str) -> Path:
    data = json.loads(WEIBIN.read_text("utf-8"), parse_float=Decimal)
    for ind in data["indicators"]:
        if ind["code"] == code:
            ind["awarded"] = Decimal(awarded)
    out = tmp_path / "changed.json"
    text = json.dumps(
        data, ensure_ascii=False, default=lambda d: float(d) if isinstance(d, Decimal) else d
    )
    out.write_text(text, "utf-8")
    return out


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """Event timestamps from a settable clock (tests never sleep)."""
    now = [datetime(2025, 9, 1, 10, 0, tzinfo=UTC)]
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: now[0])
    return now


def test_examples_import_and_reproduce_stated_totals(house: House, bureau: object) -> None:
    for path, key, total, grade in (
        (WEIBIN, WEIBIN_KEY, "87.66", "良"),
        (ZHENGZHOU, ZZ_KEY, "100.00", None),
    ):
        result = import_package(house.services, load_package(path))
        assert result.evaluation_new and result.scores_entered > 0
        card = house.evaluations.scorecard(key)
        assert card.total == Decimal(total)
        assert card.total_difference == 0
        if grade is not None:
            assert card.grade == grade == card.stated_grade
        # A parent's score is the sum of its children.
        nodes = {n.code: n for n in card.nodes}
        for node in card.nodes:
            if not node.is_leaf:
                kids = [n.score or 0 for n in card.nodes if n.parent == node.code]
                assert node.score == sum(kids)
        assert total == str(sum(n.score or 0 for n in card.nodes if n.parent is None))
        del nodes
    # The rule engine flags where the evaluator departed from the written rule.
    weibin = {n.code: n for n in house.evaluations.scorecard(WEIBIN_KEY).nodes}
    assert weibin["A2.2"].rule_range is not None and weibin["A2.2"].rule_difference == Decimal(
        "1.50"
    )
    assert house.store.catch_up() > 0
    alembic_check(house.store)
    with house.store.engine.connect() as conn:
        summary = ev.get_evaluation_summary(conn, WEIBIN_KEY)
        assert summary is not None and summary.stated_total == Decimal("87.66")
        budget = ev.budget_view(conn, "WB-GXJ", 2024)
        assert budget is not None
        assert budget.adjustment_rate is not None
        assert round(budget.adjustment_rate, 2) == Decimal("-37.52")


def test_reimport_adds_no_event(house: House, bureau: object) -> None:
    pkg = load_package(WEIBIN)
    import_package(house.services, pkg)
    before = event_count(house)
    again = import_package(house.services, pkg)
    assert again.events == 0 and again.scores_revised == 0 and not again.evaluation_revised
    assert event_count(house) == before


def test_changed_package_records_one_revision(house: House, bureau: object, tmp_path: Path) -> None:
    import_package(house.services, load_package(WEIBIN))
    before = event_count(house)
    result = import_package(house.services, load_package(changed_copy(tmp_path, "B1.2", "1.00")))
    assert result.events == 1 and result.scores_revised == 1
    assert event_count(house) == before + 1
    house.store.catch_up()
    with house.store.engine.connect() as conn:
        history = ev.score_history_of(conn, WEIBIN_KEY, "B1.2")
    assert [(h.kind, h.value, h.previous) for h in history] == [
        ("entered", Decimal("0.0"), None),
        ("revised", Decimal("1.0"), Decimal("0.0")),
    ]
    assert history[-1].reason == REIMPORT_REASON == "重新导入"
    assert history[-1].actor == "bureau-test" and history[-1].stage == "third_party"
    assert house.evaluations.scorecard(WEIBIN_KEY).total == Decimal("88.66")


def test_as_of_and_version_show_the_earlier_state(
    house: House, bureau: object, clock: list[datetime]
) -> None:
    import_package(house.services, load_package(WEIBIN))
    registered_version = house.evaluations.get_evaluation(WEIBIN_KEY).version
    clock[0] += timedelta(days=10)
    house.evaluations.set_score(
        WEIBIN_KEY, "B1.2", Decimal("2"), stage=ScoreStage.THIRD_PARTY, reason="复核后调整"
    )
    now = house.evaluations.scorecard(WEIBIN_KEY)
    assert now.total == Decimal("89.66") and now.grade == "良"
    earlier = house.evaluations.scorecard(WEIBIN_KEY, as_of=date(2025, 9, 5))
    assert earlier.total == Decimal("87.66")
    assert {n.code: n.score for n in earlier.nodes}["B1.2"] == Decimal("0.00")
    by_version = house.evaluations.scorecard(WEIBIN_KEY, version=registered_version)
    assert by_version.total == Decimal("87.66")
    assert house.evaluations.scorecard(WEIBIN_KEY, as_of=date(2025, 9, 11)).total == Decimal(
        "89.66"
    )
    from rectify.domain.errors import NotFound

    with pytest.raises(NotFound):
        house.evaluations.scorecard(WEIBIN_KEY, as_of=date(2025, 8, 31))


def test_compare_across_years(house: House, bureau: object, tmp_path: Path) -> None:
    import_package(house.services, load_package(WEIBIN))
    data: dict[str, Any] = json.loads(WEIBIN.read_text("utf-8"))
    data["evaluation"]["key"] = "WB-GXJ/2025/department"
    data["evaluation"]["fiscal_year"] = 2025
    data["findings"] = []
    data["suggestions"] = []
    for ind in data["indicators"]:
        if ind["code"] == "B1.2":
            ind["awarded"] = 2.0
    data["evaluation"]["stated"]["total"] = 89.66
    path = tmp_path / "2025.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    import_package(house.services, load_package(path))
    house.store.catch_up()
    with house.store.engine.connect() as conn:
        by_code = ev.compare(conn, "WB-GXJ", "B1.2")
        by_name = ev.compare(conn, "WB-GXJ", "预算调整率")
        parent = ev.compare(conn, "WB-GXJ", "B")
    assert [(p.fiscal_year, p.score) for p in by_code] == [
        (2024, Decimal("0.00")),
        (2025, Decimal("2.00")),
    ]
    assert by_name == by_code
    assert [p.score for p in parent] == [Decimal("22.00"), Decimal("24.00")]


def test_rebuild_equals_incremental(house: House, bureau: object) -> None:
    import_package(house.services, load_package(WEIBIN))
    house.evaluations.set_score(
        WEIBIN_KEY, "B1.2", Decimal("1"), stage=ScoreStage.FINAL, reason=None
    )
    house.store.catch_up()
    with house.store.engine.connect() as conn:
        first = ev.score_history_of(conn, WEIBIN_KEY, "B1.2")
    house.store.runner.rebuild()
    with house.store.engine.connect() as conn:
        assert ev.score_history_of(conn, WEIBIN_KEY, "B1.2") == first
    assert house.evaluations.scorecard(WEIBIN_KEY).total == Decimal("88.66")  # final counts
    assert isinstance(house.evaluations.get_evaluation(WEIBIN_KEY), Evaluation)
