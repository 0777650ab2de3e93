"""Ctrl+P: jump to any finding (by its number, a part of it, or words), department,
evaluation or the yearly cycle (年度流程) of an evaluation's department and year.

Searches run in a thread (the backend is blocking) and only over what the user may
see: the finding queries are scoped to the principal.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from textual.command import Hit, Hits, Provider

from rectify.domain.errors import RectifyError
from rectify.domain.identity import Role
from rectify.tui.labels import JUMP_KINDS
from rectify.tui.problem_filter import ProblemFilter

LIMIT = 8


def _candidates(backend: Any, text: str) -> list[tuple[str, str, str]]:
    """(kind, id, label) for everything `text` may name."""
    out: list[tuple[str, str, str]] = []
    try:
        detail = backend.finding(text.strip())
        out.append(
            ("finding", detail.finding.ref, f"问题 {detail.finding.ref} {detail.finding.title}")
        )
    except RectifyError:
        pass
    # Part of a number (`2023-007`, `007`) as well as words of the title or description.
    for flt in (ProblemFilter(ref_part=text), ProblemFilter(text=text)):
        for f in backend.findings_page(flt, None, LIMIT):
            out.append(("finding", f.ref, f"问题 {f.ref} {f.title}"))
    needle = text.lower()
    for d in backend.departments():
        if not _may_list(backend.principal, d):
            continue
        if needle in d.code.lower() or needle in d.name.lower():
            out.append(("department", d.code, f"部门 {d.code} {d.name}（问题清单）"))
    for e in backend.evaluations():
        if needle in e.key.lower() or needle in e.title.lower():
            out.append(("evaluation", e.key, f"评价 {e.title}（{e.key}）"))
            cycle = f"{e.department_code}|{e.fiscal_year}|{e.key}"
            out.append(("cycle", cycle, f"年度流程 {e.department_code} {e.fiscal_year}（{e.key}）"))
    return out


def _may_list(principal: Any, department: Any) -> bool:
    """A department user is offered its own department and units only (another's list
    would be empty: offering it would only tell that it exists)."""
    if principal.role is not Role.DEPARTMENT:
        return True
    own = principal.department
    return own is not None and own in (department.code, department.parent_code)


class JumpProvider(Provider):
    async def search(self, query: str) -> Hits:
        backend = getattr(self.app, "backend", None)
        if backend is None or backend.principal is None or not query.strip():
            return
        matcher = self.matcher(query)
        try:
            found = await asyncio.to_thread(_candidates, backend, query.strip())
        except Exception:  # noqa: BLE001 - a palette search must never crash the app
            return
        seen: set[tuple[str, str]] = set()
        for kind, ident, label in found:
            if (kind, ident) in seen:
                continue
            seen.add((kind, ident))
            score = matcher.match(label) or 0.5
            yield Hit(
                score,
                matcher.highlight(label),
                partial(self._jump, kind, ident),
                help=JUMP_KINDS[kind],
            )

    async def _jump(self, kind: str, ident: str) -> None:
        app: Any = self.app
        if kind == "finding":
            app.open_finding(ident)
        elif kind == "department":
            await app.open_department(ident)
        elif kind == "cycle":
            department, year, key = ident.split("|", 2)
            await app.open_cycle(department, int(year), key)
        else:
            await app.open_evaluation(ident)
