"""The layering of ARCHITECTURE.md, enforced: import-linter contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("lint-imports")),
            "--config",
            str(ROOT / "pyproject.toml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    declared = (
        (ROOT / "pyproject.toml")
        .read_text(encoding="utf-8")
        .count("[[tool.importlinter.contracts]]")
    )
    assert f"Contracts: {declared} kept, 0 broken." in result.stdout


def test_every_event_class_has_an_explicit_permanent_topic() -> None:
    from eventsourcing.domain import CanMutateAggregate

    import rectify.domain.application  # noqa: F401  (registers every aggregate)
    from rectify.domain.base import RectifyAggregate

    def walk(cls: type) -> list[type]:
        return [cls, *[d for sub in cls.__subclasses__() for d in walk(sub)]]

    aggregates = [a for a in walk(RectifyAggregate) if a is not RectifyAggregate]
    assert aggregates, "no aggregates found"
    for aggregate in aggregates:
        assert aggregate.__dict__.get("TOPIC", "").startswith("rectify/"), aggregate
        for name, value in vars(aggregate).items():
            if (
                isinstance(value, type)
                and issubclass(value, CanMutateAggregate)
                and name != "Event"
            ):
                assert value.__dict__.get("TOPIC", "").startswith(
                    aggregate.__dict__["TOPIC"] + "."
                ), (aggregate, name)


def test_packages_type_check_strictly() -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("mypy")),
            "--config-file",
            str(ROOT / "pyproject.toml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_projections_never_read_the_wall_clock() -> None:
    """Read models and queries take their day or moment from the caller's clock
    (`House.clock`), so a fixed clock (tests, `RECTIFY_TODAY`) governs every answer."""
    wall_clock = ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time(")
    readers = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in sorted((ROOT / "src" / "rectify" / "projections").rglob("*.py"))
        for needle in wall_clock
        if needle in path.read_text(encoding="utf-8")
    ]
    assert readers == []


MAX_LINES = 400


def test_no_module_over_400_lines_without_a_reason_at_its_top() -> None:
    """Small modules with one job: a longer one says at its top (`Size: ...`) why."""
    unexplained = []
    for path in sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_LINES and not any(line.startswith("Size: ") for line in lines[:40]):
            unexplained.append(f"{path.relative_to(ROOT)} ({len(lines)} lines)")
    assert unexplained == []


def test_ruff_lints_and_formats_the_tree() -> None:
    ruff = str(Path(sys.executable).with_name("ruff"))
    for args in (
        ["check", "src", "tests", "bench"],
        ["format", "--check", "src", "tests", "bench"],
    ):
        result = subprocess.run(
            [ruff, *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
