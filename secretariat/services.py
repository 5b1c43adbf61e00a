"""Announcements: who receives one, and sending it in batches so that one bad address does not stop the rest.

A member without an active coordinator is reached through its contacts published with consent; the members
that nothing reaches are named in one e-mail to the secretariat (members/notifications.py, `member_reach`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.mail import message, person_name, render_templated
from members.models import Contact, Member, User
from members.notifications import REACH_PREFETCH, Reach, contact_language, member_reach, secretariat_told_unreached
from secretariat.models import DEFAULT_ANNOUNCEMENT_STATUSES, Announcement

BATCH_SIZE = 50  # messages per SMTP connection


class AnnouncementError(ValidationError):
    pass


def announcement_members(announcement: Announcement) -> QuerySet[Member]:
    members = Member.objects.filter(status__in=announcement.statuses or DEFAULT_ANNOUNCEMENT_STATUSES)
    if announcement.countries:
        members = members.filter(country__in=announcement.countries)
    if announcement.working_group_id:
        members = members.filter(working_groups=announcement.working_group_id)
    return members.order_by("name", "pk")


@dataclass
class AnnouncementReach:
    coordinators: list[User]  # each once, however many members they coordinate
    by_contact: list[Reach]  # members without a coordinator, reached through a published contact
    nobody: list[Reach]  # members no message reaches: the secretariat is told

    @property
    def contacts(self) -> list[tuple[Contact, Member]]:
        """Each address once (a contact may serve two members), with the member it is written to about."""
        seen, contacts = set(), []
        for reach in self.by_contact:
            for contact in reach.contacts:
                if contact.email.lower() not in seen:
                    seen.add(contact.email.lower())
                    contacts.append((contact, reach.member))
        return contacts


def announcement_reach(announcement: Announcement) -> AnnouncementReach:
    """Four queries however many members match: the members, their assignments, users and contacts."""
    coordinators: dict[int, User] = {}
    by_contact, nobody = [], []
    for member in announcement_members(announcement).prefetch_related(*REACH_PREFETCH):
        reach = member_reach(member)
        for user in reach.coordinators:
            coordinators.setdefault(user.pk, user)
        if reach.by_contact:
            by_contact.append(reach)
        elif reach.nobody:
            nobody.append(reach)
    return AnnouncementReach(coordinators=sorted(coordinators.values(), key=lambda u: u.pk), by_contact=by_contact, nobody=nobody)


def _in_english(announcement: Announcement, language: str) -> bool:
    return language == "en" and bool(announcement.subject_en and announcement.body_en)


def _message(announcement: Announcement, user: User):
    english = _in_english(announcement, user.language)
    subject, body = (announcement.subject_en, announcement.body_en) if english else (announcement.subject_de, announcement.body_de)
    return message(subject=subject, body=body, to=[user.email])


def _contact_message(announcement: Announcement, contact: Contact, member: Member):
    """The announcement with a line that says why the contact receives it (the member has no coordinator)."""
    language = "en" if _in_english(announcement, contact_language(member)) else "de"
    subject, body = (announcement.subject_en, announcement.body_en) if language == "en" else (announcement.subject_de, announcement.body_de)
    context = {"subject": subject, "body": body, "member": member, "name": contact.name}
    return render_templated(template="secretariat/email/announcement_contact", context=context, to=[contact.email], language=language)


def announcement_send(*, announcement: Announcement, by) -> Announcement:
    """Send once (a second click finds it sent), in batches; failures are counted and named, not fatal."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.sent_at is not None:
            raise AnnouncementError(_("This announcement was already sent."), code="sent")
        reach = announcement_reach(locked)
        if not reach.coordinators and not reach.by_contact:
            if reach.nobody:
                raise AnnouncementError(
                    _("No member matching these filters can be reached (no coordinator, no published contact); nothing was sent."),
                    code="nobody",
                )
            raise AnnouncementError(_("No coordinator matches these filters; nothing was sent."), code="nobody")
        outgoing = [(user.email, lambda user=user: _message(locked, user)) for user in reach.coordinators]
        outgoing += [(contact.email, lambda c=contact, m=member: _contact_message(locked, c, m)) for contact, member in reach.contacts]
        sent, failed = 0, []
        for start in range(0, len(outgoing), BATCH_SIZE):
            batch = outgoing[start:start + BATCH_SIZE]
            with get_connection(fail_silently=False) as connection:
                for address, build in batch:
                    try:
                        sent += connection.send_messages([build()]) or 0
                    except Exception:  # noqa: BLE001 - one refused address must not stop the others
                        failed.append(address)
        unreached = [r.member for r in reach.nobody]
        if unreached:
            try:
                secretariat_told_unreached(mailing=locked.subject_de, members=[(member, None) for member in unreached])
            except Exception:  # noqa: BLE001 - the announcement went out; the record names them anyway
                failed.append(str(_("the notice to the secretariat")))
        locked.sent_at, locked.recipient_count = timezone.now(), sent
        locked.contact_count = len(reach.contacts)
        locked.unreached_members = "\n".join(member.name for member in unreached)
        locked.failed_count, locked.failed_addresses = len(failed), "\n".join(failed)
        locked.save(update_fields=["sent_at", "recipient_count", "contact_count", "unreached_members", "failed_count", "failed_addresses"])
    return locked
