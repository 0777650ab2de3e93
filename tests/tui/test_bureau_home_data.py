"""The bureau's home lists the newest evaluations only: a province's thousand
scorecards made the first screen wait seconds (bench/bench_tui.py)."""

from __future__ import annotations

from rectify.bootstrap import House
from rectify.bootstrap.generator import BUREAU, generate
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
