"""Similar members: "cities like you", for the member page and the comparison page.

A similar member is a public member of the same kind (city, district, Amt, joint membership) in the same population
band. The bands are fixed, so that the rule can be said in one sentence on the page and two members are always
similar to each other or not at all (a ratio such as "half to twice the size" is not symmetric in that sense once it
is cut to a few names):

    under 20,000 · 20,000 to under 100,000 · 100,000 to under 500,000 · 500,000 and more

Members of the same country come first; within that, the closest population, then the name. A member without a
stated population has no band: its similar members are the public members of the same kind and country (closest
population not being defined, by name). Members without a population never appear for a member that has one.

One query. At 10,000 members it reads one band of one kind through the partial index on (kind, population) of the
public members (members/migrations/0013_similar_members_index.py): about 2.6 ms for a band of 3,600 members, where the
sequential scan took 8 ms. Members without a population use the public-name index.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Case, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Abs
from django.utils.translation import gettext_lazy as _

from members.models import Member

# The lower bound of each band; the band ends where the next one starts.
POPULATION_BANDS: tuple[int, ...] = (0, 20_000, 100_000, 500_000)


@dataclass(frozen=True)
class Band:
    low: int
    high: int | None  # exclusive; None for the top band

    @property
    def label(self) -> str:
        if self.low == 0:
            return str(_("under %(high)s inhabitants") % {"high": _number(self.high)})
        if self.high is None:
            return str(_("%(low)s inhabitants or more") % {"low": _number(self.low)})
        return str(_("%(low)s to under %(high)s inhabitants") % {"low": _number(self.low), "high": _number(self.high)})


def _number(value: int) -> str:
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)


def population_band(population: int | None) -> Band | None:
    if population is None:
        return None
    lows = [low for low in POPULATION_BANDS if low <= population]
    low = lows[-1]
    index = POPULATION_BANDS.index(low)
    high = POPULATION_BANDS[index + 1] if index + 1 < len(POPULATION_BANDS) else None
    return Band(low=low, high=high)


def all_bands() -> list[Band]:
    return [population_band(low) for low in POPULATION_BANDS]


def similar_members(*, member: Member, limit: int = 5) -> list[Member]:
    return list(similar_members_queryset(member=member)[:limit])


def similar_members_queryset(*, member: Member) -> QuerySet[Member]:
    qs = Member.objects.public().filter(kind=member.kind).exclude(pk=member.pk)
    band = population_band(member.population)
    if band is None:
        return qs.filter(country=member.country).order_by("name", "pk")
    qs = qs.filter(population__gte=band.low)
    if band.high is not None:
        qs = qs.filter(population__lt=band.high)
    same_country = Case(When(country=member.country, then=Value(True)), default=Value(False), output_field=BooleanField())
    distance = Abs(F("population") - Value(member.population, output_field=IntegerField()))
    return qs.annotate(same_country=same_country, population_distance=distance).order_by(
        "-same_country", "population_distance", "name", "pk"
    )


def similarity_rule(member: Member) -> str:
    """The rule in words, for the pages."""
    band = population_band(member.population)
    if band is None:
        return str(
            _(
                "Public members of the same kind (%(kind)s) in the same country. %(name)s has not stated its "
                "population, so no population band applies."
            )
            % {"kind": member.get_kind_display(), "name": member.name}
        )
    return str(
        _(
            "Public members of the same kind (%(kind)s) in the same population band (%(band)s), those in the same "
            "country first, then the closest in population. The bands are: under 20,000; 20,000 to under 100,000; "
            "100,000 to under 500,000; 500,000 inhabitants or more."
        )
        % {"kind": member.get_kind_display(), "band": band.label}
    )
