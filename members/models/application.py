"""The way in: a town's application for membership, from the public form to the secretariat's decision.

unconfirmed (the e-mail link is not yet clicked) → confirmed (in the secretariat's queue, an applicant member
exists) → in process (the contact person was invited and drafts the plan) → admitted or declined.
Only confirmed applications reach the queue; an applicant member is never public.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.countries import country_choices
from core.i18n import LANGUAGE_CHOICES
from members.models.member import Authority, Member, MemberKind


def token_digest(token: str) -> str:
    # Only a digest is stored: a leaked database does not hand out working links.
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


class ApplicationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the e-mail confirmation")
    CONFIRMED = "confirmed", _("Waiting for the secretariat")
    IN_PROCESS = "in_process", _("Accepted for processing")
    ADMITTED = "admitted", _("Admitted")
    DECLINED = "declined", _("Declined")


def resolution_upload_to(instance: MembershipApplication, filename: str) -> str:
    # Never the applicant's file name.
    return f"applications/{timezone.now():%Y%m%d%H%M%S%f}.pdf"


class MembershipApplication(models.Model):
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.UNCONFIRMED)
    name = models.CharField(_("name of the membership"), max_length=200)
    # [{"name": "Stadt Ratzeburg", "kind": "city"}, …]: one authority, or several for a joint membership.
    authorities = models.JSONField(_("authorities"), default=list)
    kind = models.CharField(_("kind"), max_length=20, choices=MemberKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_role = models.CharField(_("function"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"))
    contact_phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_consent = models.BooleanField(_("consents to be contacted"), default=False)
    resolution = models.FileField(_("council resolution (PDF)"), upload_to=resolution_upload_to, blank=True, max_length=255)
    council_resolution_on = models.DateField(_("council resolution of"), null=True, blank=True)
    council_decision_expected_on = models.DateField(_("council decision expected on"), null=True, blank=True)
    motivation = models.TextField(_("motivation"), max_length=3000)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="de")
    confirmation_digest = models.CharField(max_length=64, unique=True, editable=False)
    submitted_from = models.GenericIPAddressField(_("submitted from"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    member = models.OneToOneField(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="application", verbose_name=_("applicant member")
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted by")
    )
    accepted_at = models.DateTimeField(_("accepted for processing at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["contact_email", "created_at"]),
            models.Index(fields=["submitted_from", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def authority_names(self) -> list[str]:
        return [a.get("name", "") for a in self.authorities]

    def authority_kind_label(self, kind: str) -> str:
        try:
            return Authority.Kind(kind).label
        except ValueError:
            return kind
