"""Tree arithmetic: parent = sum of children, the total, and the grade from bands."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rectify.domain.scoring.numbers import ZERO, Rounding


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min: Decimal


DEFAULT_GRADE_BANDS: tuple[GradeBand, ...] = (
    GradeBand("优", Decimal(90)),
    GradeBand("良", Decimal(80)),
    GradeBand("中", Decimal(60)),
    GradeBand("差", Decimal(0)),
)


def grade_for(score: Decimal, bands: Sequence[GradeBand] = DEFAULT_GRADE_BANDS) -> str | None:
    """The grade of the highest band whose `min` the score reaches (None below all)."""
    for band in sorted(bands, key=lambda b: b.min, reverse=True):
        if score >= band.min:
            return band.grade
    return None


@dataclass(frozen=True)
class TreeNode:
    code: str
    parent: str | None
    weight: Decimal
    awarded: Decimal | None = None


def children_of(nodes: Sequence[TreeNode]) -> dict[str | None, list[TreeNode]]:
    """Children per parent code, in the given order; roots under None."""
    out: dict[str | None, list[TreeNode]] = {}
    for node in nodes:
        out.setdefault(node.parent, []).append(node)
    return out


def leaves(nodes: Sequence[TreeNode]) -> list[TreeNode]:
    parents = {n.parent for n in nodes}
    return [n for n in nodes if n.code not in parents]


@dataclass(frozen=True)
class TreeScores:
    """Computed score per node code (leaves as awarded), and the rounded total."""

    scores: Mapping[str, Decimal]
    total: Decimal


DEFAULT_ROUNDING = Rounding()


def compute_scores(nodes: Sequence[TreeNode], rounding: Rounding = DEFAULT_ROUNDING) -> TreeScores:
    """Sum leaf scores up the tree.

    `sum_of_rounded`: each leaf is rounded first, parents are exact sums of those.
    `round_of_sum`: leaves are summed unrounded, and every subtotal is rounded for
    display (the total is rounded once from the exact sum).
    A leaf without `awarded` counts as 0.
    """
    kids = children_of(nodes)
    exact: dict[str, Decimal] = {}

    def visit(node: TreeNode) -> Decimal:
        children = kids.get(node.code, [])
        if not children:
            value = node.awarded if node.awarded is not None else ZERO
            if rounding.aggregate == "sum_of_rounded":
                value = rounding.round(value)
        else:
            value = sum((visit(c) for c in children), ZERO)
        exact[node.code] = value
        return value

    total = sum((visit(r) for r in kids.get(None, [])), ZERO)
    shown = {code: rounding.round(v) for code, v in exact.items()}
    return TreeScores(scores=shown, total=rounding.round(total))


def weight_sums(nodes: Sequence[TreeNode]) -> dict[str | None, Decimal]:
    """Σ children's weight per parent code (None: the roots)."""
    return {
        parent: sum((c.weight for c in children), ZERO)
        for parent, children in children_of(nodes).items()
    }
