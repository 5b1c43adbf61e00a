"""Who may change what in a member's action plan, on top of members.permissions.get_member_for_user."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from actionplan.models import Indicator, IndicatorValue, Measure, MeasureUpdate
from members.models import Member
from members.permissions import MemberAccess, get_member_for_user


@dataclass(frozen=True)
class TimelineEntryAccess:
    access: MemberAccess
    measure: Measure
    entry: MeasureUpdate


def get_timeline_entry_for_user(request: HttpRequest, slug: str, measure_pk: int, entry_pk: int) -> TimelineEntryAccess:
    """An entry its author, the lead coordinator or the secretariat may correct or remove.

    Outsiders get a 404 (from get_member_for_user), another editor of the same member a 403: they can read the
    entry on the measure page, but it is not theirs to change.
    """
    access = get_member_for_user(request, slug)
    measure = get_object_or_404(
        Measure.objects.active().select_related("commitment"), pk=measure_pk, plan__member=access.member
    )
    entry = get_object_or_404(MeasureUpdate.objects.select_related("author"), pk=entry_pk, measure=measure)
    if not can_change_entry(access, request.user, entry):
        raise PermissionDenied("Only the author, the lead coordinator or the secretariat may change this entry.")
    return TimelineEntryAccess(access=access, measure=measure, entry=entry)


def can_change_entry(access: MemberAccess, user, entry: MeasureUpdate) -> bool:
    # The secretariat's role is lead (members.permissions.member_role).
    return access.is_lead or entry.author_id == user.pk


def get_indicator_for_user(request: HttpRequest, slug: str, pk: int, *, retired: bool = False) -> tuple[Member, Indicator]:
    """An indicator of the member's plan that the user may change: every coordinator of the member and the
    secretariat (a value is the member's shared figure, not one person's statement). Outsiders get a 404.
    A retired indicator is found only with `retired=True` (a form posted just after someone retired it)."""
    member = get_member_for_user(request, slug).member
    indicators = Indicator.objects.select_related("commitment", "measure")
    if not retired:
        indicators = indicators.active()
    return member, get_object_or_404(indicators, pk=pk, plan__member=member)


def get_indicator_value_for_user(request: HttpRequest, slug: str, pk: int, value_pk: int) -> tuple[Member, Indicator, IndicatorValue]:
    member, indicator = get_indicator_for_user(request, slug, pk)
    value = get_object_or_404(IndicatorValue, pk=value_pk, indicator=indicator)
    value.indicator = indicator  # its baseline, without another query
    return member, indicator, value
