"""The README's two commands are what CI and a new user actually run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    blocks = re.findall(r"```\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    return [b.strip() for b in blocks if b.strip().startswith("python3 -m venv")]


def test_readme_has_exactly_two_setup_commands() -> None:
    first, second = readme_commands()
    assert first.endswith("rectify demo")
    assert second.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_readme_and_docs_point_at_files_that_exist() -> None:
    """Every `docs/…`, `src/…`, `tests/…` or `bench/…` path a document names exists."""
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    pattern = re.compile(r"(?<![\w/.])((?:docs|src|tests|bench)/[\w./-]+\.(?:md|py|toml|json))")
    missing = [
        f"{doc.name}: {path}"
        for doc in documents
        for path in pattern.findall(doc.read_text(encoding="utf-8"))
        if not (ROOT / path).exists()
    ]
    assert (ROOT / "docs" / "ARCHITECTURE.md").exists()
    assert not missing, missing
