"""The way in: a town's application for membership, from the public form to the secretariat's decision.

unconfirmed (the e-mail link is not yet clicked) → confirmed (in the secretariat's queue, an applicant member
exists) → in process (the contact person was invited and drafts the plan) → admitted or declined.
Only confirmed applications reach the queue; an applicant member is never public.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.fields import BoundedTextField
from core.countries import country_choices
from core.i18n import LANGUAGE_CHOICES
from members.models.member import Authority, Contact, Member, MemberKind, MemberStatus


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
    motivation = BoundedTextField(_("motivation"), max_length=3000)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="de")
    confirmation_digest = models.CharField(_("confirmation token digest"), max_length=64, unique=True, editable=False)
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
    decline_reason = BoundedTextField(_("reason for declining"), blank=True, max_length=2000)

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

    # --- Steps: each locks the row, checks the status, records who and when -----------------------

    def confirm(self) -> Member:
        return confirm(self)

    def accept_for_processing(self, *, by) -> None:
        """The secretariat takes the application up; the caller invites the contact person to draft the plan."""
        with transaction.atomic():
            locked = _lock(self, (ApplicationStatus.CONFIRMED,), _("Only a confirmed application can be accepted for processing."))
            locked.status, locked.accepted_by, locked.accepted_at = ApplicationStatus.IN_PROCESS, by, timezone.now()
            locked.save(update_fields=["status", "accepted_by", "accepted_at"])
        _sync(self, locked)

    def admit(self, *, by, on) -> None:
        with transaction.atomic():
            locked = _lock(
                self, (ApplicationStatus.CONFIRMED, ApplicationStatus.IN_PROCESS), _("Only an open application can be admitted.")
            )
            locked.member.admit(by=by, on=on, reason=str(_("Application admitted")))
            locked.status, locked.decided_by, locked.decided_at = ApplicationStatus.ADMITTED, by, timezone.now()
            locked.save(update_fields=["status", "decided_by", "decided_at"])
        _sync(self, locked)

    def decline(self, *, by, on, reason: str) -> None:
        reason = (reason or "").strip()
        if not reason:
            raise ApplicationError(_("Please give the reason; it is sent to the applicant."), code="no_reason")
        with transaction.atomic():
            locked = _lock(
                self, (ApplicationStatus.CONFIRMED, ApplicationStatus.IN_PROCESS), _("Only an open application can be declined.")
            )
            locked.member.decline(by=by, on=on, reason=reason)
            locked.status, locked.decided_by, locked.decided_at = ApplicationStatus.DECLINED, by, timezone.now()
            locked.decline_reason = reason
            locked.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        _sync(self, locked)

    @property
    def authority_names(self) -> list[str]:
        return [a.get("name", "") for a in self.authorities]

    def authority_kind_label(self, kind: str) -> str:
        try:
            return Authority.Kind(kind).label
        except ValueError:
            return kind


class ApplicationError(ValidationError):
    """A step that is not allowed in the application's current status; nothing was written."""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "member"
    slug, n = base, 2
    while Member.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _lock(application: MembershipApplication, allowed: tuple[str, ...], message) -> MembershipApplication:
    locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status not in allowed:
        raise ApplicationError(
            _("%(message)s This application is: %(status)s.") % {"message": message, "status": locked.get_status_display()},
            code="wrong_status",
        )
    return locked


def _sync(application: MembershipApplication, locked: MembershipApplication) -> None:
    for field in locked._meta.concrete_fields:
        setattr(application, field.attname, getattr(locked, field.attname))


def confirm(application: MembershipApplication) -> Member:
    """The e-mail link was followed: the application becomes an applicant member, never public, and reaches
    the secretariat's queue."""
    with transaction.atomic():
        locked = _lock(application, (ApplicationStatus.UNCONFIRMED,), _("This application is already confirmed."))
        member = Member.objects.create(
            name=locked.name, slug=_unique_slug(locked.name), kind=locked.kind, country=locked.country,
            region=locked.region, population=locked.population, website=locked.website,
            status=MemberStatus.APPLICANT, admitted_on=None, council_resolution_on=locked.council_resolution_on,
        )
        for position, authority in enumerate(locked.authorities):
            Authority.objects.create(member=member, name=authority["name"], kind=authority["kind"], position=position)
        # Consent to be contacted is not consent to be published: the contact stays internal.
        Contact.objects.create(
            member=member, name=locked.contact_name, role=locked.contact_role, email=locked.contact_email,
            phone=locked.contact_phone, publish=False,
        )
        locked.status, locked.confirmed_at, locked.member = ApplicationStatus.CONFIRMED, timezone.now(), member
        locked.save(update_fields=["status", "confirmed_at", "member"])
    _sync(application, locked)
    return member
