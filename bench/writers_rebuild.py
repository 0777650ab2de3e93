"""4 writer processes and a rebuild process at once, 2,000 commands, on each backend (issue #11).

    nice -n 5 .venv/bin/python bench/writers_rebuild.py [--writers 4] [--commands 500]
                                                        [--backend sqlite|postgresql|both]

Each writer records findings one command at a time, opening its House per command as
the CLI does; a rebuilder replays every read model again and again until the writers
are done. Afterwards: tracebacks, commands reported failed whose events were recorded,
commands lost, commands duplicated (all must be 0), the findings view equal to the
events recorded, and the seal verifying. The run is tests/faults/test_concurrency.py's,
only longer. Exit 1 unless clean.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import database  # noqa: E402

from rectify.bootstrap import open_house  # noqa: E402
from rectify.domain.identity import Principal, Role, acting_as  # noqa: E402
from tests.faults.writers_run import run_writers_and_rebuild  # noqa: E402


def one_backend(backend: str, writers: int, commands: int) -> bool:
    with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp), "wrb") as url:
        with open_house(url, create=True, blob_dir=Path(tmp) / "blobs") as house:
            with acting_as(Principal("局", Role.BUREAU)):
                department = house.findings.register_department("D1", "甲局", None)
                house.services.app.save_all(department)
            house.catch_up()
        began = time.perf_counter()
        run = run_writers_and_rebuild(url, Path(tmp), writers, commands, 1)
        seconds = time.perf_counter() - began
    figures = {
        "backend": backend,
        **asdict(run),
        "clean": run.clean,
        "seconds": round(seconds, 1),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return run.clean


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--commands", type=int, default=500, help="per writer")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results = [one_backend(b, args.writers, args.commands) for b in backends]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
