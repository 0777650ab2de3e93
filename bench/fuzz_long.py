"""The long probe run: 10,000 hostile inputs through the real CLI (issue #11).

    .venv/bin/python bench/fuzz_long.py [--per-kind 2500]

Four kinds (packages, evidence files, command lines, session files), each run through
hypothesis with `--per-kind` examples on one SQLite store; every example must end in
an exit code (no traceback) and a refused command must record nothing. Prints how
many inputs ran and the first counterexample if any; exit 1 on a failure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.faults import probe  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-kind", type=int, default=2500)
    args = parser.parse_args()
    runs = settings(
        max_examples=args.per_kind,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    with tempfile.TemporaryDirectory() as tmp:
        prober = probe.Probe(Path(tmp))
        count = {"n": 0}

        @given(text=probe.packages())
        def packages(text: str) -> None:
            count["n"] += 1
            prober.package(text)

        @given(name=probe.evidence_names, content=probe.evidence_contents)
        def evidence(name: str, content: bytes) -> None:
            count["n"] += 1
            prober.evidence(name, content)

        @given(argv=probe.argvs)
        def argv(argv: list[str]) -> None:
            count["n"] += 1
            prober.argv(argv)

        @given(content=probe.session_contents)
        def session_files(content: bytes) -> None:
            count["n"] += 1
            prober.session_file(content)

        kinds = {
            "packages": packages,
            "evidence": evidence,
            "argv": argv,
            "session files": session_files,
        }
        failed = False
        for name, test in kinds.items():
            start, before = time.perf_counter(), count["n"]
            try:
                runs(test)()
                print(
                    f"{name}: {count['n'] - before} inputs, 0 tracebacks, 0 writes on refusal "
                    f"({time.perf_counter() - start:.0f} s)",
                    flush=True,
                )
            except Exception as exc:  # the shrunk counterexample, reported
                failed = True
                print(f"{name}: FAILED after {count['n'] - before} inputs: {exc!r}", flush=True)
        verified = prober.run(["verify"])
        print(f"total inputs: {count['n']}; store verifies: {verified.code == 0}")
    return 1 if failed or verified.code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
