"""Who may do what with a member. Views and the report workflow ask these; they never check roles themselves.

Outsiders get a 404 (the member's private pages do not exist for them); an editor asking for what only the
lead coordinator may do gets a 403. Anonymous users never get here: views carry @login_required first.

There is no read-only role (DESIGN.md: the editor edits, the lead also submits and records the adoption), so
the helper has no "write" switch: every assigned coordinator and the secretariat may edit the member.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from members.models import COORDINATE_EVERY_MEMBER, CoordinatorAssignment, CoordinatorRole, Member


def member_role(user, member: Member) -> str | None:
    """The one role check: the user's role for this member, or None when they may not act for it.

    The secretariat acts as lead coordinator of every member. That power is a Django permission (the
    "Secretariat" group has it): `is_staff` alone only opens the admin's door and gives nothing here.
    """
    if not user.is_authenticated:
        return None
    if user.is_staff and user.has_perm(COORDINATE_EVERY_MEMBER):
        return CoordinatorRole.LEAD
    return CoordinatorAssignment.objects.filter(user=user, member=member).values_list("role", flat=True).first()


@dataclass(frozen=True)
class MemberAccess:
    """What the user may do with a member: every role edits; the lead also submits and records the adoption."""

    member: Member
    role: str

    @property
    def is_lead(self) -> bool:
        return self.role == CoordinatorRole.LEAD


def get_member_for_user(request: HttpRequest, slug: str, *, lead: bool = False) -> MemberAccess:
    """The member with this slug and the user's role for it, if the user coordinates it (or is staff).

    lead: the user must be the lead coordinator (or staff), e.g. to submit a report; an editor gets a 403.
    Raises Http404 for an unknown slug and for users not assigned to the member.
    """
    try:
        member = Member.objects.get(slug=slug)
    except Member.DoesNotExist:
        raise Http404 from None
    role = member_role(request.user, member)
    if role is None:
        raise Http404
    if lead and role != CoordinatorRole.LEAD:
        raise PermissionDenied("Only the lead coordinator may do this.")
    return MemberAccess(member=member, role=role)
