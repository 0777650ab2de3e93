"""Self-evaluation against review (自评 vs 复核): the deviation per indicator, per
department, across years — read from the score read models (`leaf_scores` per stage).

An indicator with no review score (seed 004's empty 复核 columns) has no deviation:
it is listed as not reviewed, never as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, and_, select

from rectify.domain.errors import NotFound
from rectify.domain.identity import Principal, Role
from rectify.projections.evaluations import evaluation_indicators, evaluations, leaf_scores


@dataclass(frozen=True)
class Deviation:
    evaluation_key: str
    department_code: str
    fiscal_year: int
    code: str
    name: str
    weight: Decimal
    self_score: Decimal | None
    review_score: Decimal | None

    @property
    def deviation(self) -> Decimal | None:
        """review − self (negative: the department scored itself higher than review)."""
        if self.self_score is None or self.review_score is None:
            return None
        return self.review_score - self.self_score


def _visible(principal: Principal, department_code: str) -> bool:
    # Another department's evaluations read as missing: a refusal would say they exist.
    return principal.role is not Role.DEPARTMENT or department_code == principal.department


def deviations(
    conn: Connection,
    *,
    principal: Principal,
    key: str | None = None,
    department_code: str | None = None,
    code: str | None = None,
) -> list[Deviation]:
    """Per leaf: self and review score. By evaluation key, or a department across years
    (optionally one indicator code)."""
    ev = evaluations
    where = ev.c.key == key if key is not None else ev.c.department_code == department_code
    heads = conn.execute(
        select(ev.c.key, ev.c.department_code, ev.c.fiscal_year)
        .where(where)
        .order_by(ev.c.fiscal_year, ev.c.key)
    ).all()
    heads = [h for h in heads if _visible(principal, h.department_code)]
    if not heads:
        raise NotFound(
            f"评价 {key} 不存在" if key is not None else f"部门 {department_code} 没有评价"
        )
    out: list[Deviation] = []
    ind = evaluation_indicators
    for h in heads:
        selfs = leaf_scores.alias("self_scores")
        reviews = leaf_scores.alias("review_scores")
        query = (
            select(
                ind.c.code,
                ind.c.printed_code,
                ind.c.name,
                ind.c.weight,
                selfs.c.value.label("self_value"),
                reviews.c.value.label("review_value"),
            )
            .select_from(
                ind.outerjoin(
                    selfs,
                    and_(
                        selfs.c.evaluation_key == ind.c.evaluation_key,
                        selfs.c.code == ind.c.code,
                        selfs.c.stage == "self",
                    ),
                ).outerjoin(
                    reviews,
                    and_(
                        reviews.c.evaluation_key == ind.c.evaluation_key,
                        reviews.c.code == ind.c.code,
                        reviews.c.stage == "review",
                    ),
                )
            )
            .where((ind.c.evaluation_key == h.key) & ind.c.is_leaf)
            .order_by(ind.c.position)
        )
        for r in conn.execute(query).all():
            shown = r.printed_code or r.code
            if code is not None and code not in (r.code, shown):
                continue
            out.append(
                Deviation(
                    h.key,
                    h.department_code,
                    h.fiscal_year,
                    shown,
                    r.name,
                    r.weight,
                    r.self_value,
                    r.review_value,
                )
            )
    return out
