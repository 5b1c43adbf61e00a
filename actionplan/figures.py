"""Reading the maintained public-measure figures (actionplan.models.PlanFigures) instead of counting measures.

The rows count measures that are public and not retired; the member part of the public rule is applied here,
through `public_member_q`, so a member that becomes an applicant again drops out at once without any rewrite.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from actionplan.models import COMMITMENT_NUMBERS, MeasureStatus, PlanFigures
from members.models import public_member_q


def public_figures() -> QuerySet[PlanFigures]:
    return PlanFigures.objects.filter(public_member_q("plan__member__"))


def coalition_figures() -> dict:
    """Public measures of the whole coalition: the total, by status, by commitment number, and per commitment
    number the members with any public measure under it. One aggregate over at most one row per member."""
    sums = {f"sum_{value}": Coalesce(Sum(value), 0) for value in MeasureStatus.values}
    sums |= {f"sum_c{n}": Coalesce(Sum(f"c{n}"), 0) for n in COMMITMENT_NUMBERS}
    sums |= {f"members_c{n}": Count("pk", filter=Q(**{f"c{n}__gt": 0})) for n in COMMITMENT_NUMBERS}
    row = public_figures().aggregate(**sums)
    return {
        "measures": sum(row[f"sum_c{n}"] for n in COMMITMENT_NUMBERS),
        "by_status": {value: row[f"sum_{value}"] for value in MeasureStatus.values},
        "by_commitment": {n: row[f"sum_c{n}"] for n in COMMITMENT_NUMBERS},
        "members_by_commitment": {n: row[f"members_c{n}"] for n in COMMITMENT_NUMBERS},
    }
