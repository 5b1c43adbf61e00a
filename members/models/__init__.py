"""The members app's models: the member and its people (member.py), its lifecycle (lifecycle.py), the way in
(application.py), the invitations that give coordinators access (invitation.py) and the secretariat's notes
(note.py)."""

from members.models.application import ApplicationError, ApplicationStatus, MembershipApplication, new_token, token_digest
from members.models.invitation import Invitation, InvitationError, InvitationStatus
from members.models.lifecycle import (
    ALLOWED_TRANSITIONS,
    MembershipTransition,
    MembershipTransitionCorrection,
    MembershipTransitionError,
    allowed_targets,
)
from members.models.member_import import IMPORT_MEMBERS, MemberImport
from members.models.member import (
    CHANGE_MEMBER_STATUS,
    COORDINATE_EVERY_MEMBER,
    PUBLIC_MEMBER_STATUSES,
    Authority,
    Contact,
    ContactConsent,
    CoordinatorAssignment,
    CoordinatorRole,
    DatePrecision,
    Member,
    MemberKind,
    MemberQuerySet,
    MemberStatus,
    Network,
    NetworkMembership,
    SitePage,
    SitePageKey,
    Source,
    User,
    WorkingGroup,
    WorkingGroupParticipation,
    format_partial_date,
    public_member_q,
    visible_q,
)
from members.models.note import MemberNote, MemberNoteKind

__all__ = [
    "ALLOWED_TRANSITIONS", "CHANGE_MEMBER_STATUS", "COORDINATE_EVERY_MEMBER", "PUBLIC_MEMBER_STATUSES",
    "ApplicationError", "ApplicationStatus", "Authority", "Contact", "ContactConsent", "CoordinatorAssignment", "CoordinatorRole",
    "DatePrecision", "IMPORT_MEMBERS", "Invitation", "InvitationError", "InvitationStatus", "Member", "MemberKind", "MemberQuerySet",
    "MemberImport", "MemberNote", "MemberNoteKind", "MemberStatus", "MembershipApplication", "MembershipTransition",
    "MembershipTransitionCorrection", "MembershipTransitionError", "Network",
    "NetworkMembership", "SitePage", "SitePageKey", "Source", "User", "WorkingGroup", "WorkingGroupParticipation",
    "allowed_targets", "format_partial_date", "new_token", "public_member_q", "token_digest", "visible_q",
]
