"""The demo's history: a small province from the project's own generator.

Four departments over three fiscal years (findings in every state, some overdue,
carried over, repeats, score revisions, budget adjustments), seeded and
deterministic, beside the two shipped packages. Each event is dated on the day its
step happened in that fiscal year (never after the house clock's now), so timelines
and the list as of a date read like a real history. Recorded once: a second `demo`
finds the first generated department and records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from rectify.bootstrap.generator import generate
from rectify.bootstrap.house import House
from rectify.domain.department import Department

DEPARTMENTS = 4
FIRST_YEAR = 2023
YEARS = 3
SEED = 2024
MARKER = "D0001"  # the generator's first department: there once the history is


@dataclass(frozen=True)
class DemoHistory:
    events: int  # 0 when it was already there
    departments: int
    years: tuple[int, ...]
    findings: int


def seed_history(house: House) -> DemoHistory:
    """Generate the history into the demo store unless it is already there."""
    years = tuple(range(FIRST_YEAR, FIRST_YEAR + YEARS))
    app = house.services.app
    if app.find(Department.create_id(MARKER), Department) is not None:
        return DemoHistory(0, DEPARTMENTS, years, 0)
    stats = generate(
        app,
        10**9,
        seed=SEED,
        departments=DEPARTMENTS,
        first_year=FIRST_YEAR,
        years=YEARS,
        people=False,
        until=house.clock.now(),
    )
    house.catch_up()
    return DemoHistory(stats.events, stats.departments, years, stats.findings)
