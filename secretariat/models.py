from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import MemberStatus, WorkingGroup


class Announcement(models.Model):
    """An e-mail from the secretariat to all coordinators or a filtered set of them, kept as a record."""

    subject_de = models.CharField(_("subject (German)"), max_length=200)
    body_de = models.TextField(_("text (German)"), max_length=20000)
    # Coordinators who read English get these; left empty, they get the German text.
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=20000, blank=True)
    # Empty filters mean "all": every status but applicant and declined, every country, no working group filter.
    statuses = models.JSONField(_("member statuses"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("working group")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    failed_addresses = models.TextField(_("addresses that failed"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        permissions = [("send_announcement", _("Can send announcements to coordinators"))]

    def __str__(self) -> str:
        return self.subject_de


# Statuses whose coordinators receive announcements by default.
DEFAULT_ANNOUNCEMENT_STATUSES = [MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED]
