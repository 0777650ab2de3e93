"""Fast table rows: one formatted row is built through python-docx, then copied.

python-docx inserts every property element by searching its ordered siblings, which
makes a 1,000-row table several times slower than its plain `cell.text`. A row built
once with `gbt9704.add_row` (widths, style, East Asian fonts on the run)
is deep-copied for each further row and only its texts are replaced, so every row
carries exactly the same formatting.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from typing import Any

from docx.oxml.ns import qn
from docx.table import Table, _Row

from rectify.reports.docx import gbt9704 as layout

_T = qn("w:t")
_R = qn("w:r")
_SPACE = qn("xml:space")


class RowWriter:
    def __init__(self, tbl: Table, widths_mm: Sequence[float], center: Sequence[int] = ()) -> None:
        self.tbl = tbl
        self.widths = widths_mm
        self.center = center
        self._template: Any = None  # the w:tr of the first row, once built

    def add(self, values: Sequence[str]) -> _Row:
        if self._template is None:
            # Placeholder text in every cell, so the template has a formatted run in each.
            row = layout.add_row(self.tbl, ["字"] * len(values), self.widths, self.center)
            self._template = deepcopy(row._tr)
            tr = row._tr
        else:
            tr = deepcopy(self._template)
            self.tbl._tbl.append(tr)
        cells = tr.findall(qn("w:tc"))
        if len(cells) != len(values):
            raise ValueError(f"{len(values)} values for a row of {len(cells)} cells")
        for tc, text in zip(cells, values, strict=True):
            run = tc.find(f".//{_R}")
            if not text:
                run.getparent().remove(run)  # no run: an empty cell stays empty when merged
                continue
            t = run.find(_T)
            t.text = text
            t.set(_SPACE, "preserve")
        return _Row(tr, self.tbl)
