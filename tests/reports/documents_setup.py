"""A house with the real Weibin and Zhengzhou packages, their findings issued."""

from __future__ import annotations

from datetime import date

from rectify.bootstrap import House
from rectify.domain.clock import FixedClock
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role
from rectify.projections import seal
from rectify.reports.importer import import_package
from rectify.reports.package import load_package
from tests.conftest import WEIBIN, ZHENGZHOU

BUREAU = Principal("王科长", Role.BUREAU)
WB = Principal("卫滨工信", Role.DEPARTMENT, "WB-GXJ")
ZZ = Principal("郑州工信", Role.DEPARTMENT, "ZZ-GXJ")
R1, R2 = "WB-GXJ/2024/01", "WB-GXJ/2024/02"
ISSUED_ON = date(2025, 9, 1)
DUE = date(2025, 11, 30)


def seeded(house: House) -> None:
    # Nothing may be issued after today: the house's day moves to the issue date.
    if isinstance(house.clock, FixedClock) and house.clock.today() < ISSUED_ON:
        house.clock.advance(days=(ISSUED_ON - house.clock.today()).days)
    with house.acting(BUREAU):
        for package in (WEIBIN, ZHENGZHOU):
            import_package(house.services, load_package(package))
        for ref in (R1, R2):
            house.findings.issue_finding(
                ref,
                rectification_class=RectificationClass.PHASED,
                requirements="细化预算测算，完善绩效目标",
                issued_on=ISSUED_ON,
                due=DUE,
            )


def checkpoint_of(house: House) -> str:
    with house.store.engine.connect() as conn:
        return str(seal.checkpoint(conn))
