"""A real process that records findings one command at a time, as the CLI would.

Usage: python writer.py URL PREFIX COUNT OUT.json — reports which commands it saw
succeed, fail (a RectifyError, as the CLI prints it), or succeed with lagging views;
any traceback ends the process nonzero."""

from __future__ import annotations

import contextlib
import io
import json
import sys

from rectify.bootstrap import open_house
from rectify.bootstrap.catching_up import LAGGING
from rectify.domain.errors import RectifyError
from rectify.domain.identity import Principal, Role


def main() -> int:
    url, prefix, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    done: list[str] = []
    failed: list[str] = []
    lagging = 0
    evaluator = Principal("评价组", Role.EVALUATOR)
    for i in range(count):
        ref = f"{prefix}/{i:04d}"
        notices = io.StringIO()
        try:
            with (
                open_house(url) as house,
                contextlib.redirect_stderr(notices),
                house.acting(evaluator),
            ):
                house.findings.record_finding(
                    ref=ref,
                    department_code="D1",
                    fiscal_year=2024,
                    category="并发",
                    title=f"并发写入 {ref}",
                    description="writer",
                )
        except RectifyError:  # reported to the user as a failure: must have recorded nothing
            failed.append(ref)
            continue
        lagging += LAGGING in notices.getvalue()
        done.append(ref)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"done": done, "failed": failed, "lagging": lagging}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
