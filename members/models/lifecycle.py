"""A member's lifecycle: applicant → member → on hold → suspended → former, and back where that is allowed.

Every step is a method on Member (`member.suspend(by=…, on=…, reason=…)`) that ends here: it locks the row,
re-reads the status under the lock, refuses a step that is not allowed (nothing written), saves the new status
through the one versioning path and records a MembershipTransition with who, when, the effective date and why.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.fields import BoundedTextField
from core.versioning import save_versioned
from members.models.member import CHANGE_MEMBER_STATUS, Member, MemberStatus

# Where each status may lead. Declined is final: a town that tries again applies again.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MemberStatus.APPLICANT: (MemberStatus.MEMBER, MemberStatus.DECLINED),
    MemberStatus.MEMBER: (MemberStatus.ON_HOLD, MemberStatus.SUSPENDED, MemberStatus.FORMER),
    MemberStatus.ON_HOLD: (MemberStatus.MEMBER, MemberStatus.SUSPENDED, MemberStatus.FORMER),
    MemberStatus.SUSPENDED: (MemberStatus.MEMBER, MemberStatus.FORMER),
    MemberStatus.FORMER: (MemberStatus.MEMBER,),
    MemberStatus.DECLINED: (),
}


class MembershipTransitionError(ValidationError):
    """A status change that is not allowed now; raised before anything is written."""


class MembershipTransition(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("member"))
    from_status = models.CharField(_("from"), max_length=20, choices=MemberStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=MemberStatus.choices)
    effective_on = models.DateField(_("effective on"))
    reason = BoundedTextField(_("reason"), blank=True, max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # Set on the admissions a members import recorded: where the member came from.
    source_import = models.ForeignKey(
        "members.MemberImport", null=True, blank=True, on_delete=models.PROTECT, related_name="transitions",
        verbose_name=_("imported by the members import"),
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("membership status change")
        verbose_name_plural = _("membership status changes")
        indexes = [models.Index(fields=["member", "-at"])]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_from_status_display()} → {self.get_to_status_display()}"


def allowed_targets(status: str) -> tuple[str, ...]:
    return ALLOWED_TRANSITIONS.get(status, ())


def change_status(member: Member, to_status: str, *, by, on: dt.date | None, reason: str, admission: bool = False) -> None:
    reason = (reason or "").strip()
    if by is None or not by.has_perm(CHANGE_MEMBER_STATUS):
        raise MembershipTransitionError(_("Only the secretariat can change a membership status."), code="not_allowed")
    if not isinstance(on, dt.date):
        raise MembershipTransitionError(_("Please give the date the change takes effect."), code="no_date")
    if not reason and not admission:
        raise MembershipTransitionError(_("Please give a reason; it is kept with the change."), code="no_reason")
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        from_status = locked.status
        if to_status not in allowed_targets(from_status):
            raise MembershipTransitionError(
                _("A member that is %(from)s cannot become %(to)s.")
                % {"from": MemberStatus(from_status).label, "to": MemberStatus(to_status).label},
                code="wrong_status",
            )
        fields = ["status", "status_since"]
        locked.status, locked.status_since = to_status, on
        if from_status == MemberStatus.APPLICANT and to_status == MemberStatus.MEMBER:
            locked.admitted_on, locked.admitted_precision = on, "day"
            fields += ["admitted_on", "admitted_precision"]
        if to_status == MemberStatus.FORMER:
            if locked.admitted_on and on < locked.admitted_on:
                raise MembershipTransitionError(
                    _("A membership cannot end before it began (%(date)s).") % {"date": formats.date_format(locked.admitted_on)},
                    code="before_admission",
                )
            locked.left_on = on
            fields.append("left_on")
        elif from_status == MemberStatus.FORMER:
            # Rejoining: the earlier end no longer applies; the transitions keep it.
            locked.left_on = None
            fields.append("left_on")
        save_versioned(locked, expected_version=locked.version, by=by, update_fields=fields)
        MembershipTransition.objects.create(
            member=locked, from_status=from_status, to_status=to_status, effective_on=on, reason=reason, by=by
        )
    for field in ["version", "updated_at", *fields]:
        setattr(member, field, getattr(locked, field))


def status_since_text(member: Member) -> str:
    since = member.status_since or (member.left_on if member.status == MemberStatus.FORMER else None)
    if member.status == MemberStatus.MEMBER or since is None:
        return ""
    month = formats.date_format(since, "YEAR_MONTH_FORMAT")
    texts = {
        MemberStatus.ON_HOLD: _("Membership on hold since %(month)s"),
        MemberStatus.SUSPENDED: _("Membership suspended since %(month)s"),
        MemberStatus.FORMER: _("Former member since %(month)s"),
    }
    text = texts.get(member.status)
    return str(text % {"month": month}) if text else ""
