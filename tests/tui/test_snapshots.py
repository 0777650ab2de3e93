"""Layout of the key screens at 80×24 and 160×48 (pytest-textual-snapshot).

Screens with event timestamps (a finding's timeline, the event log) are left to the
Pilot tests: their times are when the test ran. Update after a deliberate layout
change with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import World, open_weibin_evaluation, settle

SMALL = (80, 24)
LARGE = (160, 48)


def test_bureau_home_small(world: World, snap_compare: Any) -> None:
    assert snap_compare(world.app("bureau"), terminal_size=SMALL, run_before=settle)


def test_bureau_home_large(world: World, snap_compare: Any) -> None:
    assert snap_compare(world.app("bureau"), terminal_size=LARGE, run_before=settle)


def test_problem_list_small(world: World, snap_compare: Any) -> None:
    assert snap_compare(
        world.app("department", screen="problems"), terminal_size=SMALL, run_before=settle
    )


def test_evaluation_tree_large(world: World, snap_compare: Any) -> None:
    assert snap_compare(
        world.app("evaluator", screen="evaluations"),
        terminal_size=LARGE,
        run_before=open_weibin_evaluation,
    )


def test_department_home_small(world: World, snap_compare: Any) -> None:
    assert snap_compare(world.app("department"), terminal_size=SMALL, run_before=settle)


def test_evaluator_home_small(world: World, snap_compare: Any) -> None:
    assert snap_compare(world.app("evaluator"), terminal_size=SMALL, run_before=settle)


def test_auditor_home_small(world: World, snap_compare: Any) -> None:
    assert snap_compare(world.app("auditor"), terminal_size=SMALL, run_before=settle)


def test_evaluation_tree_small(world: World, snap_compare: Any) -> None:
    assert snap_compare(
        world.app("evaluator", screen="evaluations"),
        terminal_size=SMALL,
        run_before=open_weibin_evaluation,
    )
