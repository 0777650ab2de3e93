"""The bureau's and the evaluator's homes list the newest evaluations only: a province's
thousand scorecards made the first screen wait seconds, and the evaluator's home kept a
core busy for minutes (bench/bench_tui.py)."""

from __future__ import annotations

import pytest

from rectify.bootstrap import House
from rectify.bootstrap.generator import BUREAU, EVALUATOR, generate
from rectify.tui import home_data
from rectify.tui.backend import Backend
from rectify.tui.home_data import BUREAU_EVALUATIONS, gather


def test_the_bureau_home_holds_the_newest_evaluations(sqlite_house: House) -> None:
    stats = generate(
        sqlite_house.services.app, 10**9, seed=3, departments=8, first_year=2021, years=3
    )
    sqlite_house.catch_up()
    assert stats.evaluations == 24 > BUREAU_EVALUATIONS
    backend = Backend(sqlite_house, BUREAU)
    every = backend.evaluations()
    shown = gather(backend).evaluations
    assert [line.key for line in shown] == [e.key for e in every[:BUREAU_EVALUATIONS]]
    years = [line.year for line in shown]
    assert years == sorted(years, reverse=True) and years.count(2021) == 4  # newest first
    assert all(line.total and line.grade for line in shown)


def test_the_evaluator_home_holds_the_newest_evaluations(
    sqlite_house: House, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(sqlite_house.services.app, 10**9, seed=3, departments=8, first_year=2021, years=3)
    sqlite_house.catch_up()
    monkeypatch.setattr(home_data, "EVALUATOR_EVALUATIONS", 10)
    backend = Backend(sqlite_house, EVALUATOR)
    every = backend.evaluations()
    shown = gather(backend)
    assert len(every) == 24
    assert [line.key for line in shown.evaluations] == [e.key for e in every[:10]]
    assert {c.key for c in shown.checks} <= {e.key for e in every[:10]}
