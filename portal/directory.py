"""The public member directory: filters and full-text search, combined and kept in the URL."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from actionplan.figures import public_figures
from actionplan.models import Commitment
from core.forms import LenientFilterForm
from core.countries import country_name
from members import search
from members.models import COORDINATE_EVERY_MEMBER, PUBLIC_MEMBER_STATUSES, Member, MemberKind, MemberStatus, Network
from portal.member_counts import member_counts


class MemberFilterForm(LenientFilterForm):
    """GET filters; an unknown value is ignored (the list shows everything) rather than refused."""

    q = forms.CharField(label=_("Search"), required=False, max_length=10_000)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    joined = forms.ChoiceField(label=_("Year joined"), required=False)
    network = forms.ChoiceField(label=_("Other network"), required=False)

    def __init__(self, data, *, members: QuerySet[Member], statuses: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c, country_name(c)) for c in members.exclude(country="").order_by("country").values_list("country", flat=True).distinct()
        ]
        self.fields["region"].choices = [("", _("All regions"))] + [
            (r, r) for r in members.exclude(region="").order_by("region").values_list("region", flat=True).distinct()
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *MemberKind.choices]
        self.fields["status"].choices = [("", _("Any status")), *statuses]
        years = members.filter(admitted_on__isnull=False).dates("admitted_on", "year", order="DESC")
        self.fields["joined"].choices = [("", _("Any year"))] + [(str(d.year), str(d.year)) for d in years]
        # Only networks of members this visitor may see: an applicant's networks are not public.
        networks = Network.objects.filter(memberships__member__in=members).distinct().order_by("name").values_list("pk", "name")
        self.fields["network"].choices = [("", _("Any network"))] + [(str(pk), name) for pk, name in networks]



def filter_members(qs: QuerySet[Member], form: MemberFilterForm) -> tuple[QuerySet[Member], str]:
    if country := form.value("country"):
        qs = qs.filter(country=country)
    if region := form.value("region"):
        qs = qs.filter(region=region)
    if kind := form.value("kind"):
        qs = qs.filter(kind=kind)
    if status := form.value("status"):
        qs = qs.filter(status=status)
    if joined := form.value("joined"):
        qs = qs.filter(admitted_on__year=int(joined))
    if network := form.value("network"):
        qs = qs.filter(network_memberships__network_id=int(network))
    query = search.clean_query(form.data.get("q"))
    if query:
        qs = qs.filter(search.member_matches(query)).annotate(rank=search.member_rank(query)).order_by("-rank", "name")
    else:
        qs = qs.order_by("name")
    return qs, query


class MemberListView(ListView):
    template_name = "portal/member_list.html"
    context_object_name = "members"
    paginate_by = 50

    def get_form(self) -> MemberFilterForm:
        if not hasattr(self, "_form"):
            user = self.request.user
            statuses = MemberStatus.choices if user.is_staff and user.has_perm(COORDINATE_EVERY_MEMBER) else [
                (value, label) for value, label in MemberStatus.choices if value in PUBLIC_MEMBER_STATUSES
            ]
            self._form = MemberFilterForm(self.request.GET, members=self.base_queryset(), statuses=statuses)
        return self._form

    def base_queryset(self) -> QuerySet[Member]:
        return Member.objects.visible_to(self.request.user)

    def get_queryset(self):
        qs, self.query = filter_members(self.base_queryset(), self.get_form())
        return qs.only("name", "slug", "kind", "country", "region", "status", "admitted_on", "admitted_precision")

    def paginate_queryset(self, queryset, page_size):
        # A shared link to page 999 (or page "x") shows the nearest real page, never a 404.
        paginator = self.get_paginator(queryset, page_size)
        self.member_counts = None
        if not self.is_filtered():
            # Unfiltered, the count says what it counts (active members, and who else the list includes); the
            # same query gives the paginator its total.
            self.member_counts = member_counts(self.base_queryset())
            paginator.__dict__["count"] = self.member_counts.total
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def is_filtered(self) -> bool:
        form = self.get_form()
        return bool(self.query) or any(form.value(name) for name in ("country", "region", "kind", "status", "joined", "network"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(context["members"])
        # For the members on this page only, in one query, from the maintained figures.
        counts = dict(
            public_figures().filter(plan__member__in=[m.pk for m in members]).values_list("plan__member_id", "measures")
        )
        # Why each member on this page matched, with a snippet: one more query, for this page only.
        hits = search.member_hits(self.query, [m.pk for m in members]) if self.query else {}
        commitments = {c.number: c for c in Commitment.objects.all()} if hits else {}
        for member in members:
            member.measure_count = counts.get(member.pk, 0)
            member.hit = hits.get(member.pk)
            if member.hit and member.hit.commitment:
                member.hit_commitment = commitments.get(member.hit.commitment)
        context.update(
            members=members,
            form=self.get_form(),
            query=self.query,
            query_was_cut=len((self.request.GET.get("q") or "").strip()) > search.MAX_QUERY_LENGTH,
            filtered=self.is_filtered(),
            member_counts=self.member_counts,
        )
        return context

