"""Announcements: who receives one, and sending it in batches so that one bad address does not stop the rest."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User
from secretariat.models import DEFAULT_ANNOUNCEMENT_STATUSES, Announcement

BATCH_SIZE = 50  # messages per SMTP connection


class AnnouncementError(ValidationError):
    pass


def announcement_recipients(announcement: Announcement) -> QuerySet[User]:
    members = {"assignments__member__status__in": announcement.statuses or DEFAULT_ANNOUNCEMENT_STATUSES}
    if announcement.countries:
        members["assignments__member__country__in"] = announcement.countries
    if announcement.working_group_id:
        members["assignments__member__working_groups"] = announcement.working_group_id
    return User.objects.filter(is_active=True, **members).exclude(email="").distinct().order_by("pk")


def _message(announcement: Announcement, user: User) -> EmailMessage:
    english = user.language == "en" and announcement.subject_en and announcement.body_en
    subject, body = (announcement.subject_en, announcement.body_en) if english else (announcement.subject_de, announcement.body_de)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def announcement_send(*, announcement: Announcement, by) -> Announcement:
    """Send once (a second click finds it sent), in batches; failures are counted and named, not fatal."""
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if locked.sent_at is not None:
            raise AnnouncementError(_("This announcement was already sent."), code="sent")
        recipients = list(announcement_recipients(locked))
        if not recipients:
            raise AnnouncementError(_("No coordinator matches these filters; nothing was sent."), code="nobody")
        sent, failed = 0, []
        for start in range(0, len(recipients), BATCH_SIZE):
            batch = recipients[start:start + BATCH_SIZE]
            with get_connection(fail_silently=False) as connection:
                for user in batch:
                    try:
                        sent += connection.send_messages([_message(locked, user)]) or 0
                    except Exception:  # noqa: BLE001 - one refused address must not stop the others
                        failed.append(user.email)
        locked.sent_at, locked.recipient_count = timezone.now(), sent
        locked.failed_count, locked.failed_addresses = len(failed), "\n".join(failed)
        locked.save(update_fields=["sent_at", "recipient_count", "failed_count", "failed_addresses"])
    return locked
