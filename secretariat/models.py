from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import BoundedTextField

from members.models import MemberStatus, WorkingGroup


class Announcement(models.Model):
    """An e-mail from the secretariat to all coordinators or a filtered set of them, kept as a record."""

    subject_de = models.CharField(_("subject (German)"), max_length=200)
    body_de = BoundedTextField(_("text (German)"), max_length=20000)
    # Coordinators who read English get these; left empty, they get the German text.
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = BoundedTextField(_("text (English)"), blank=True, max_length=20000)
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
    # Of the recipients, the published contacts of members without a coordinator; and the members nothing
    # reached (the secretariat was told), one name a line.
    contact_count = models.PositiveIntegerField(_("of them published contacts"), default=0)
    unreached_members = models.TextField(_("members not reached"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        permissions = [("send_announcement", _("Can send announcements to coordinators"))]

    def __str__(self) -> str:
        return self.subject_de


# Statuses whose coordinators receive announcements by default.
DEFAULT_ANNOUNCEMENT_STATUSES = [MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED]


class OpenDataLicence(models.Model):
    """The licence under which the open data are published. The secretariat chooses it; the newest row applies,
    earlier rows stay as the record of what applied when."""

    name = models.CharField(_("licence"), max_length=200, help_text=_('e.g. "Creative Commons Attribution 4.0 (CC BY 4.0)"'))
    url = models.URLField(_("address of the licence text"), max_length=500)
    note = BoundedTextField(_("note"), blank=True, help_text=_("e.g. how to credit the source"), max_length=1000)
    chosen_at = models.DateTimeField(_("chosen at"), default=timezone.now)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chosen by")
    )

    class Meta:
        ordering = ["-chosen_at", "-pk"]
        verbose_name = _("open data licence")
        verbose_name_plural = _("open data licences")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> OpenDataLicence | None:
        return cls.objects.order_by("-chosen_at", "-pk").first()
