"""Filters and search of the good-practice library (a commitment's page)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from actionplan.figures import public_figures
from actionplan.models import Commitment, Measure, MeasureStatus
from core.countries import country_name
from core.forms import LenientFilterForm
from members import search


class LibraryFilterForm(LenientFilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=10_000)
    status = forms.ChoiceField(label=_("Status"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, data, *, commitment: Commitment):
        super().__init__(data)
        self.fields["status"].choices = [("", _("Any status")), *MeasureStatus.choices]
        # The countries of the public members with public measures under this commitment, from the maintained
        # figures (at most one row per member) rather than from every measure.
        countries = (
            public_figures()
            .filter(**{f"c{commitment.number}__gt": 0})
            .order_by("plan__member__country")
            .values_list("plan__member__country", flat=True)
            .distinct()
        )
        # By name in the page's language, as the member directory shows them ("Österreich", not "AT").
        named = sorted(((c, country_name(c)) for c in countries), key=lambda choice: choice[1])
        self.fields["country"].choices = [("", _("All countries")), *named]



def filter_library(measures: QuerySet[Measure], form: LibraryFilterForm) -> tuple[QuerySet[Measure], str]:
    if status := form.value("status"):
        measures = measures.filter(status=status)
    if country := form.value("country"):
        measures = measures.filter(plan__member__country=country)
    query = search.clean_query(form.data.get("q"))
    if query:
        measures = measures.filter(search.measure_matches(query)).annotate(rank=search.measure_rank(query))
        return measures.order_by("-rank", "plan__member__name", "title"), query
    return measures.order_by("plan__member__name", "title"), query
