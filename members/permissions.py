"""Who may do what with a member. Views call these; they never check roles themselves.

Outsiders get a 404 (the member's private pages do not exist for them); an editor asking for what only the
lead coordinator may do gets a 403. Anonymous users never get here: views carry @login_required first.

There is no read-only role (DESIGN.md: the editor edits, the lead also submits and records the adoption), so
the helper has no "write" switch: every assigned coordinator and every staff user may edit the member.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from members.models import CoordinatorAssignment, CoordinatorRole, Member


def get_assignment(user, member: Member) -> CoordinatorAssignment | None:
    return CoordinatorAssignment.objects.filter(user=user, member=member).first()


def get_member_for_user(request: HttpRequest, slug: str, *, lead: bool = False) -> Member:
    """The member with this slug, if the user coordinates it (or is staff); its `role_for_user` says how.

    Every role may read and edit the member's profile, plan and draft reports.
    lead: the user must be the lead coordinator (or staff), e.g. to submit a report; an editor gets a 403.
    Raises Http404 for an unknown slug and for users not assigned to the member.
    """
    user = request.user
    try:
        member = Member.objects.get(slug=slug)
    except Member.DoesNotExist:
        raise Http404 from None
    if user.is_staff:
        member.role_for_user = CoordinatorRole.LEAD
        return member
    assignment = get_assignment(user, member)
    if assignment is None:
        raise Http404
    if lead and assignment.role != CoordinatorRole.LEAD:
        raise PermissionDenied("Only the lead coordinator may do this.")
    member.role_for_user = assignment.role
    return member
