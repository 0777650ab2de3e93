"""The probe that found the holes, kept: hostile input through the real CLI, in-process.

Four kinds of input — mutated evaluation packages, evidence files with hostile names
and contents, random command lines, and broken session files. For each, the rule is
the same: the command ends with an exit code (never an exception escaping `main`),
and a refused command records nothing. `tests/faults/test_fuzz.py` runs a few dozen
examples of each; `bench/fuzz_long.py` runs 10,000.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy
from hypothesis import strategies as st

from rectify.cli.main import main
from rectify.domain.application import EVENTS_TABLE

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "rectify" / "examples"
WEIBIN = EXAMPLES / "weibin-2024.evaluation.json"
ADMIN_PASSWORD = "bureau-secret-1"

HOSTILE: list[Any] = [
    None,
    True,
    -1,
    0,
    10**30,
    -(10**30),
    "NaN",
    "",
    "长" * 30_000,
    [],
    {},
    [[[[[]]]]],
    "2099-12-31",
    "1900-01-01",
    "9999-99-99",
    1e308,
    -1e-30,
    "\u202e\x00",
    {"note": 1},
]
RAW_LITERALS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1" * 5000,
    "1e999999",
    "1e9999999",  # past Decimal's Emax (found by bench/fuzz_long.py)
    "[" * 5000 + "]" * 5000,
    "1e-400",
]


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    wrote: int


@dataclass
class Probe:
    """One store (SQLite file) with a logged-in bureau user, for many probes."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.url = f"sqlite:///{self.root / 'probe.db'}"
        self.env = {
            "RECTIFY_DB": self.url,
            "RECTIFY_SESSION_FILE": str(self.root / "session.json"),
            "RECTIFY_CHECKPOINT_FILE": str(self.root / "checkpoints.log"),
            "RECTIFY_BLOB_DIR": str(self.root / "blobs"),
            "COLUMNS": "200",
        }
        self.engine = sqlalchemy.create_engine(self.url)
        done = self.run(
            ["init", "--user", "admin", "--password-stdin"], stdin=ADMIN_PASSWORD + "\n"
        )
        assert done.code == 0, done
        assert self.run(["import", "evaluation", str(WEIBIN)]).code == 0

    def events(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(sqlalchemy.text(f"select count(*) from {EVENTS_TABLE}")).scalar_one()
            )

    def run(self, argv: list[str], stdin: str = "") -> Outcome:
        """`rectify ARGV`: an exception escaping main (a traceback) propagates to the caller."""
        saved = {k: os.environ.get(k) for k in (*self.env, "RECTIFY_USER", "RECTIFY_PASSWORD")}
        os.environ.update(self.env)
        os.environ.pop("RECTIFY_USER", None)
        os.environ.pop("RECTIFY_PASSWORD", None)
        out, err = io.StringIO(), io.StringIO()
        before = self.events() if (self.root / "probe.db").exists() else 0
        import sys

        real_stdin = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(argv)
                except SystemExit as exc:  # argparse: usage errors and --help
                    code = exc.code if isinstance(exc.code, int) else 2
        finally:
            sys.stdin = real_stdin
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        return Outcome(code, out.getvalue(), err.getvalue(), self.events() - before)

    # -- the four kinds of probe ---------------------------------------------------------

    def package(self, text: str) -> None:
        path = self.root / "fuzzed.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        checked = self.run(["check", str(path)])
        assert checked.code in (0, 1, 2) and checked.wrote == 0, checked
        imported = self.run(["import", "evaluation", str(path)])
        assert imported.code in (0, 1, 2, 3, 4, 5), imported
        if imported.code != 0:
            assert imported.wrote == 0, imported
        if checked.code == 2:
            assert imported.code != 0, (checked, imported)  # import refuses what check refuses

    def evidence(self, name: str, content: bytes) -> None:
        """The file's own name is the evidence name (what a user's file system allows)."""
        safe = name.replace("/", "_").replace("\x00", "_").encode("utf-8", "replace")[:200]
        folder = self.root / "evidence"
        folder.mkdir(exist_ok=True)
        path = folder / (safe.decode("utf-8", "ignore") or "x")
        if path.name in (".", ".."):
            path = folder / "dots"
        try:
            path.write_bytes(content)
        except OSError:
            return  # a name this file system refuses never reaches rectify
        try:
            done = self.run(
                [
                    "evidence",
                    "submit",
                    str(path),
                    "--indicator",
                    "B1.2",
                    "--effective-date",
                    "2025-01-01",
                ]
            )
            if done.code != 0:
                assert done.wrote == 0, done
        finally:
            path.unlink()

    def argv(self, argv: list[str]) -> None:
        done = self.run(argv)
        assert isinstance(done.code, int)

    def session_file(self, content: bytes) -> None:
        path = self.root / "session.json"
        saved = path.read_bytes()
        try:
            path.write_bytes(content)
            os.chmod(path, 0o600)
            done = self.run(["whoami"])
            assert done.code != 0 or "admin" in done.out, done
        finally:
            path.write_bytes(saved)
            os.chmod(path, 0o600)


# -- strategies -------------------------------------------------------------------------


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*prefix, index))
    return out


_BASE: dict[str, Any] = json.loads(WEIBIN.read_text(encoding="utf-8"))
_PATHS = [p for p in _paths(_BASE) if p]
_BASE_TEXT = WEIBIN.read_text(encoding="utf-8")


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@st.composite
def packages(draw: st.DrawFn) -> str:
    """A package mutated at 1–3 JSON paths, then (sometimes) at the byte level."""
    data = json.loads(_BASE_TEXT)
    marker = None
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_PATHS))
        try:
            choice = draw(st.sampled_from([*HOSTILE, "RAW"]))
            if choice == "RAW":
                marker = draw(st.sampled_from(RAW_LITERALS))
                choice = "@@RAW@@"
            _set(data, path, choice)
        except (KeyError, IndexError, TypeError):
            continue
    text = json.dumps(data, ensure_ascii=False)
    if marker is not None:
        text = text.replace('"@@RAW@@"', marker)
    if draw(st.booleans()):
        rng = random.Random(draw(st.integers(0, 2**32)))
        chars = list(text)
        for _ in range(draw(st.integers(1, 5))):
            chars[rng.randrange(len(chars))] = rng.choice('{}[]",:0123456789eE-.\\ ')
        text = "".join(chars)
    return text


evidence_names = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "../../etc/passwd",
            "a" * 5000 + ".pdf",
            ".",
            "..",
            "/",
            "\x00.pdf",
            "报告.pdf\u202egpj.exe",
            "CON",
            "x.xlsx",
            "",
        ]
    ),
)
evidence_contents = st.one_of(
    st.binary(max_size=2048),
    st.sampled_from(
        [
            b"",
            b"%PDF-1.7 ok",
            b"MZ\x90\x00",
            b"PK\x03\x04broken",
            b"\x7fELF",
            "整改报告".encode("gb18030"),
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64),
        ]
    ),
)
WORDS = [
    "check",
    "import",
    "evaluation",
    "findings",
    "list",
    "show",
    "record",
    "issue",
    "evidence",
    "submit",
    "score",
    "history",
    "set",
    "compare",
    "budget",
    "adjust",
    "user",
    "add",
    "verify",
    "checkpoint",
    "rebuild",
    "whoami",
    "db",
    "upgrade",
    "--json",
    "--stage",
    "--reason",
    "--version",
    "--as-of",
    "--checkpoint",
    "--finding",
    "--batch",
    "-1",
    "0",
    "1e9",
    "NaN",
    "WB-GXJ/2024/department",
    "B1.2",
    "2099-01-01",
    "x" * 300,
    "",
    "--help",
]
argvs = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=40)), max_size=7)
session_contents = st.one_of(
    st.binary(max_size=512),
    st.builds(
        lambda v: json.dumps(v).encode(),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=10), inner, max_size=3)
            ),
            max_leaves=8,
        ),
    ),
)
