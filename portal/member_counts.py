"""How many members a page counts, said so that the numbers agree: "260 active members; 290 including the on-hold
and former members". The figure alone ("members 260" beside "All 290 members") left readers guessing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.text import get_text_list
from django.utils.translation import gettext as _, ngettext, pgettext

from core.numbers import format_number
from members.models import Member, MemberStatus

# The statuses besides "member" that a count may include, in the order the sentence names them.
_OTHERS = (MemberStatus.ON_HOLD, MemberStatus.SUSPENDED, MemberStatus.FORMER, MemberStatus.APPLICANT, MemberStatus.DECLINED)


def _other_label(status: str) -> str:
    # Adjectives before "members" ("the on-hold and former members"; German "den ruhenden und ehemaligen Mitgliedern").
    return {
        MemberStatus.ON_HOLD: pgettext("members counted", "on-hold"),
        MemberStatus.SUSPENDED: pgettext("members counted", "suspended"),
        MemberStatus.FORMER: pgettext("members counted", "former"),
        MemberStatus.APPLICANT: pgettext("members counted", "applicant"),
        MemberStatus.DECLINED: pgettext("members counted", "declined"),
    }[status]


@dataclass(frozen=True)
class MemberCounts:
    active: int
    total: int
    # Statuses other than "member" with at least one member in the count, in the order of _OTHERS.
    others: tuple[str, ...]

    @property
    def text(self) -> str:
        active = ngettext("%(count)s active member", "%(count)s active members", self.active) % {
            "count": format_number(self.active)
        }
        if not self.others:
            return active
        kinds = get_text_list([_other_label(s) for s in self.others], _("and"))
        return _("%(active)s; %(total)s including the %(kinds)s members") % {
            "active": active, "total": format_number(self.total), "kinds": kinds,
        }


def member_counts(members: QuerySet[Member]) -> MemberCounts:
    """Active members and all of `members`, with the statuses the difference is made of: one query."""
    row = members.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=MemberStatus.MEMBER)),
        **{s.value: Count("id", filter=Q(status=s)) for s in _OTHERS},
    )
    return MemberCounts(active=row["active"], total=row["total"], others=tuple(s.value for s in _OTHERS if row[s.value]))
