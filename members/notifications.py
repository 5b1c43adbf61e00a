"""E-mails of the members app, each in its recipient's language, through Django's mail API.

Links are absolute with PORTAL_URL: the e-mail may be sent outside a request. Who a mailing to a member reaches
is decided here too (`member_reach`): its coordinators, else its published contacts, else nobody, and then the
secretariat is told (`secretariat_told_unreached`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.i18n import LANGUAGE_CHOICES
from core.mail import person_name, send_templated
from members.models import Contact, ContactConsent, CoordinatorRole, Member, User

LANGUAGES = {code for code, _name in LANGUAGE_CHOICES}


def send(*, template: str, **kwargs) -> None:
    send_templated(template=f"members/email/{template}", **kwargs)


def _inviter(invitation, by) -> dict:
    """Who invites, as the invitee reads it: a staff member of the secretariat or the member's lead coordinator."""
    inviter = by or invitation.invited_by
    if inviter is None:
        return {"inviter_name": "", "inviter_kind": "secretariat"}
    if inviter.is_staff:
        kind = "secretariat"
    elif inviter.assignments.filter(member_id=invitation.member_id, role=CoordinatorRole.LEAD).exists():
        kind = "lead"
    else:
        kind = ""
    return {"inviter_name": person_name(inviter), "inviter_kind": kind}


def invitation(invitation, token: str, *, by=None) -> None:
    """`by` is who sends it now (a resent invitation may come from someone else than the first one)."""
    with translation.override(invitation.language):
        link = settings.PORTAL_URL + reverse("accounts:invitation_accept", args=[token])
    send(
        template="invitation",
        context={"invitation": invitation, "member": invitation.member, "link": link, **_inviter(invitation, by)},
        to=[invitation.email],
        language=invitation.language,
    )


def application_received(application, token: str) -> None:
    with translation.override(application.language):
        link = settings.PORTAL_URL + reverse("members:apply_confirm", args=[token])
    send(template="application_confirm", context={"application": application, "link": link},
         to=[application.contact_email], language=application.language)


def application_confirmed(application) -> None:
    """Tell the secretariat that an application waits in its queue."""
    if settings.REPORTS_NOTIFY_EMAILS:
        link = settings.PORTAL_URL + reverse("admin:members_membershipapplication_change", args=[application.pk])
        send(template="application_new", context={"application": application, "link": link},
             to=list(settings.REPORTS_NOTIFY_EMAILS), language=settings.LANGUAGE_CODE)


def application_decided(application, *, effective_on: dt.date | None = None) -> None:
    """Admitted (as of `effective_on`, which may lie ahead) or declined with the reason: the contact person hears
    it in the application's language. The date is passed in: the member read before the admission was saved (or
    whose admission is only scheduled) has none yet."""
    member = application.member
    effective_on = effective_on or member.admitted_on
    with translation.override(application.language):
        link = settings.PORTAL_URL + reverse("members:detail", args=[member.slug])
    context = {
        "application": application, "link": link, "effective_on": effective_on,
        "scheduled": effective_on is not None and effective_on > timezone.localdate(),
    }
    send(template="application_decided", context=context, to=[application.contact_email], language=application.language)


def status_changed(
    member, *, reason: str, transition=None, to_status: str | None = None, effective_on: dt.date | None = None
) -> None:
    """The new status and its date come from the transition (or are passed in): a change scheduled for later has
    not reached the member yet, and the mail says so."""
    from members.models import CoordinatorAssignment, MemberStatus

    if transition is not None:
        to_status, effective_on = transition.to_status, transition.effective_on
        scheduled = transition.is_scheduled
    else:
        to_status = to_status or member.status
        effective_on = effective_on or member.status_since
        scheduled = effective_on is not None and effective_on > timezone.localdate()
    context = {
        "member": member, "reason": reason, "status": MemberStatus(to_status).label, "effective_on": effective_on,
        "scheduled": scheduled, "transition": transition,
    }
    for assignment in CoordinatorAssignment.objects.filter(member=member, user__is_active=True).exclude(user__email="").select_related("user"):
        user = assignment.user
        send(template="status_changed", context={**context, "user": user, "name": person_name(user)},
             to=[user.email], language=user.language)


# --- Who a mailing to a member reaches ----------------------------------------------------------------

# Prefetch these on a member queryset so that member_reach() costs no query per member.
REACH_PREFETCH = ("assignments__user", "contacts")


@dataclass
class Reach:
    member: Member
    coordinators: list[User] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)  # only used when there is no coordinator

    @property
    def by_contact(self) -> bool:
        return not self.coordinators and bool(self.contacts)

    @property
    def nobody(self) -> bool:
        return not self.coordinators and not self.contacts


def contact_language(member: Member) -> str:
    # A contact has no language of its own: the member's description language, if the portal speaks it.
    return member.content_language if member.content_language in LANGUAGES else settings.LANGUAGE_CODE


def member_reach(member: Member) -> Reach:
    """The member's active coordinators with an e-mail address; without any, its contacts that are published
    with consent (the portal shows them to everyone, so writing to them is no surprise); else nobody."""
    coordinators = [a.user for a in member.assignments.all() if a.user.email and a.user.is_active]
    if coordinators:
        return Reach(member=member, coordinators=coordinators)
    contacts = [
        c for c in member.contacts.all() if c.email and c.publish and c.consent != ContactConsent.NONE
    ]
    return Reach(member=member, contacts=contacts)


def secretariat_told_unreached(*, mailing: str, members: list[tuple[Member, dt.date | None]]) -> None:
    """One e-mail to the secretariat naming the members that `mailing` could not reach, each with its report's
    due date where that matters. `mailing` is a lazy translated string: it is rendered in the secretariat's
    language."""
    if not members:
        return
    lines = [
        {"member": member, "due_on": due_on, "link": settings.PORTAL_URL + reverse("admin:members_member_change", args=[member.pk])}
        for member, due_on in members
    ]
    send(template="unreached", context={"mailing": mailing, "lines": lines, "count": len(lines)},
         to=[settings.SECRETARIAT_EMAIL], language=settings.LANGUAGE_CODE)
