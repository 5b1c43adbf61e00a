"""Invitations: a one-time link that gives a person a coordinator role for one member.

Only a digest of the token is stored. A link works once, until it expires (`INVITATION_DAYS`) or is revoked;
re-sending issues a new token, so an older e-mail's link stops working (its digest is kept, so that its page can
say it was replaced by a newer link rather than that it was copied wrongly).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import short_date
from core.models import SecurityEventKind
from core.security import security_record
from core.i18n import LANGUAGE_CHOICES
from members.models.application import MembershipApplication, new_token, token_digest
from members.models.member import CoordinatorAssignment, CoordinatorRole, Member


class InvitationError(ValidationError):
    """The link cannot be used (expired, used, revoked, unknown); nothing was changed."""


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    EXPIRED = "expired", _("Expired")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def expired(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=timezone.now())


def invitation_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS)


class Invitation(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("member"))
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=CoordinatorRole.choices, default=CoordinatorRole.EDITOR)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="de")
    digest = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    # The digests of the links this invitation was sent with before (re-sending replaces the link).
    replaced_digests = models.JSONField(_("digests of replaced links"), default=list, blank=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    application = models.ForeignKey(
        MembershipApplication, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations",
        verbose_name=_("application"),
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent at"), default=timezone.now)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    expires_at = models.DateTimeField(_("expires at"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted as")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("revoked by")
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["member", "-created_at"]), models.Index(fields=["accepted_at", "revoked_at", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.email} – {self.member} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label

    @classmethod
    def issue(cls, *, member: Member, email: str, role: str, language: str, by, application=None) -> tuple[Invitation, str]:
        """A new invitation and its token (to put in the e-mail; it is not stored)."""
        token, digest = new_token()
        invitation = cls.objects.create(
            member=member, email=email.strip(), role=role, language=language, digest=digest, invited_by=by, application=application
        )
        return invitation, token

    @classmethod
    def for_token(cls, token: str) -> Invitation:
        """The invitation a link belongs to, if it can still be used; else InvitationError saying why."""
        digest = token_digest(token or "")
        invitation = cls.objects.select_related("member").filter(digest=digest).first()
        if invitation is None:
            replaced = cls.objects.filter(replaced_digests__contains=[digest]).first()
            if replaced is None:
                raise InvitationError(_("This invitation link is not valid. Please check that you copied all of it."), code="unknown")
            replaced.require_usable()  # used, withdrawn or expired since: that is what the person needs to know
            raise InvitationError(
                _("This link was replaced by a newer one: the invitation was sent again on %(date)s. Please use the link in "
                  "the most recent e-mail.") % {"date": short_date(replaced.sent_at)},
                code="replaced",
            )
        invitation.require_usable()
        return invitation

    def require_usable(self) -> None:
        status = self.status
        if status == InvitationStatus.ACCEPTED:
            raise InvitationError(_("This invitation has already been used. Please log in instead."), code="used")
        if status == InvitationStatus.REVOKED:
            raise InvitationError(_("This invitation was withdrawn. Please ask the secretariat for a new one."), code="revoked")
        if status == InvitationStatus.EXPIRED:
            raise InvitationError(
                _("This invitation expired on %(date)s. Please ask for a new one.")
                % {"date": short_date(self.expires_at)},
                code="expired",
            )

    def renew(self, *, by) -> str:
        """For re-sending: a fresh token and a fresh expiry; the link in the earlier e-mail stops working."""
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=self.pk)
            if locked.accepted_at or locked.revoked_at:
                raise InvitationError(_("Only an open invitation can be sent again."), code="closed")
            token, digest = new_token()
            now = timezone.now()
            Invitation.objects.filter(pk=self.pk).update(
                digest=digest, sent_at=now, send_count=models.F("send_count") + 1, expires_at=invitation_expiry(),
                replaced_digests=[*locked.replaced_digests, locked.digest],
            )
        self.refresh_from_db()
        return token

    def revoke(self, *, by) -> None:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=self.pk)
            if locked.accepted_at:
                raise InvitationError(_("This invitation has already been accepted; remove the person's access instead."), code="used")
            if locked.revoked_at:
                return
            locked.revoked_at, locked.revoked_by = timezone.now(), by
            locked.save(update_fields=["revoked_at", "revoked_by"])
        self.revoked_at, self.revoked_by = locked.revoked_at, locked.revoked_by

    def accept(self, *, user) -> CoordinatorAssignment:
        """Give `user` the invited role for the member, once; the row lock makes a double click use it once."""
        if user.is_staff or user.is_superuser:
            # A staff account's powers are a superuser's to give (members/user_admin.py), never an invitation's.
            raise InvitationError(
                _("This invitation cannot be accepted with a staff account. Please ask the secretariat to invite another e-mail address."),
                code="staff",
            )
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=self.pk)
            locked.require_usable()
            assignment = CoordinatorAssignment.objects.filter(user=user, member_id=locked.member_id).first()
            if assignment is None:
                assignment = CoordinatorAssignment(user=user, member_id=locked.member_id, role=locked.role)
            elif locked.role != CoordinatorRole.LEAD or assignment.role == CoordinatorRole.LEAD:
                assignment = None  # already has this access or more
            else:
                assignment.role = CoordinatorRole.LEAD
            if assignment is not None:
                # The access log (the assignment's history) names the person who invited, not the invitee.
                assignment._history_user = locked.invited_by
                assignment.save()
            else:
                assignment = CoordinatorAssignment.objects.get(user=user, member_id=locked.member_id)
            locked.accepted_at, locked.accepted_user = timezone.now(), user
            locked.save(update_fields=["accepted_at", "accepted_user"])
            security_record(SecurityEventKind.INVITATION_ACCEPTED, user=user, detail=f"member {locked.member_id} ({locked.role})")
        self.accepted_at, self.accepted_user = locked.accepted_at, user
        return assignment
