"""Start-up: `--version` and `--help` import no command module; a query imports no Alembic,
no checker, no scoring engine, no pydantic, no TUI, no document writers and (on a
caught-up store) no eventsourcing Application, ORM or projector; the lazy command table
stays equal to what the modules register."""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from rectify.cli.main import COMMANDS, command_module
from rectify.domain.services import PeopleService
from rectify.projections.schema_version import known_revisions, script_heads
from rectify.projections.store import open_store

HEAVY = ("sqlalchemy", "alembic", "eventsourcing", "rectify.reports.checker", "rectify.bootstrap")
# What a query has no use for: each one cost tens of milliseconds of a query's start-up.
NOT_FOR_A_QUERY = (
    "alembic",
    "rectify.reports",
    "rectify.domain.scoring",
    "pydantic",
    "textual",
    "rectify.tui",
    "apscheduler",
    "docx",
    "openpyxl",
    # A query on a caught-up store logs in from the event table and reads the read
    # models: no eventsourcing Application, ORM, projector or other aggregate module.
    "eventsourcing_sqlalchemy",
    "sqlalchemy.orm",
    "sqlalchemy_utils",
    "rectify.domain.application",
    "rectify.domain.services.bundle",
    "rectify.domain.finding",
    "rectify.projections.catalog",
    "rectify.projections.runner",
    # The figures and their projector's upserts (both dialects' insert): ~50 ms.
    "rectify.projections.figures",
    "rectify.projections.figure_counts",
    "sqlalchemy.dialects.postgresql",
    # Default paths only (no RECTIFY_DB, session file, checkpoint file or blob folder set).
    "platformdirs",
)


def loaded_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    """Which HEAVY modules a fresh interpreter has loaded after running `code`."""
    script = (
        "import sys\n"
        "from rectify.cli.main import main\n"
        f"try:\n    main({code})\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', sorted(m for m in {HEAVY + NOT_FOR_A_QUERY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("LOADED")][-1]
    return list(ast.literal_eval(line.removeprefix("LOADED ")))


def test_the_command_table_is_what_the_modules_register() -> None:
    registered: dict[str, tuple[str, str]] = {}
    for module in sorted({m for m, _ in COMMANDS.values()}):
        sub = argparse.ArgumentParser().add_subparsers()
        command_module(module).register(sub)
        for action in sub._choices_actions:
            registered[action.dest] = (module, str(action.help))
    assert registered == COMMANDS


def test_version_and_help_import_nothing_heavy() -> None:
    assert loaded_after("['--version']") == []
    assert loaded_after("['--help']") == []


def test_a_query_opens_the_store_without_what_it_does_not_use(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    store = open_store(url, create=True)
    people = PeopleService(store.app)
    people.password_cost_n = 2
    people.bootstrap_first_user("chief", "Correct-Horse-9", "科长")
    store.close()
    # a store with evaluations, budgets and findings: the query catches up every aggregate's events
    demo = subprocess.run(
        [sys.executable, "-m", "rectify.cli.main", "demo", "--no-tui"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "RECTIFY_DB": url,
            "RECTIFY_USER": "chief",
            "RECTIFY_PASSWORD": "Correct-Horse-9",
        },
        check=True,
    )
    assert "WB-GXJ" in demo.stdout
    env = {
        **os.environ,
        "RECTIFY_DB": url,
        "RECTIFY_USER": "chief",
        "RECTIFY_PASSWORD": "Correct-Horse-9",
    }
    loaded = loaded_after("['findings', 'list']", env)
    assert [m for m in loaded if m in NOT_FOR_A_QUERY] == []
    assert "sqlalchemy" in loaded  # it did open the store


def test_schema_versions_read_as_text_agree_with_alembic() -> None:
    config = Config()
    config.set_main_option("script_location", "rectify:migrations")
    scripts = ScriptDirectory.from_config(config)
    assert known_revisions() == {rev.revision for rev in scripts.walk_revisions()}
    assert script_heads() == set(scripts.get_heads())


def test_the_executable_freezes_what_its_command_imported() -> None:
    """The console script is `process.run`: the command's module is imported with the
    collector paused and frozen, and the collector is back on for the command's work."""
    with open(Path(__file__).parents[2] / "pyproject.toml", "rb") as f:
        scripts = tomllib.load(f)["project"]["scripts"]
    assert scripts == {"rectify": "rectify.cli.process:run"}
    script = (
        "import gc, sys\n"
        "from rectify.cli.process import prepare\n"
        "before = gc.get_freeze_count()\n"
        "prepare(['findings', 'list'])\n"
        "print(before, gc.get_freeze_count() > 10000, gc.isenabled(),"
        " 'rectify.cli.findings_command' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "True", "True", "True"]


def test_the_executable_runs_a_command_and_returns_its_exit_code(tmp_path: Path) -> None:
    rectify = Path(sys.executable).with_name("rectify")
    env = {**os.environ, "RECTIFY_DB": f"sqlite:///{tmp_path / 'missing.db'}"}
    version = subprocess.run([rectify, "--version"], capture_output=True, text=True, env=env)
    assert (version.returncode, version.stdout.split()[0]) == (0, "rectify")
    missing = subprocess.run([rectify, "findings", "list"], capture_output=True, text=True, env=env)
    assert missing.returncode != 0
    assert "rectify init" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_the_executable_imports_the_postgresql_driver_with_the_command_if_the_store_is_there() -> (
    None
):
    """PostgreSQL's driver is imported (and frozen) with a store command's module when
    RECTIFY_DB names PostgreSQL; never for SQLite, nor for a command without a store."""
    script = (
        "import gc, sys\n"
        "from rectify.cli.process import prepare\n"
        "prepare(sys.argv[1:])\n"
        "print('psycopg' in sys.modules, 'sqlalchemy.dialects.postgresql.psycopg' in sys.modules)\n"
    )

    def loaded(url: str, *argv: str) -> list[str]:
        env = {**os.environ, "RECTIFY_DB": url}
        out = subprocess.run(
            [sys.executable, "-c", script, *argv],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        return out.stdout.split()

    pg = "postgresql+psycopg://postgres@127.0.0.1:5432/any"
    assert loaded(pg, "findings", "list") == ["True", "True"]
    assert loaded("sqlite:///x.db", "findings", "list") == ["False", "False"]
    assert loaded(pg, "--version") == ["False", "False"]
