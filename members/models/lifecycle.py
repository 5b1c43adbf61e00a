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
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.dates import add_months
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


# --- Plausible dates ---------------------------------------------------------------------------------
# ECCAR was founded in Nuremberg on 10 December 2004 (the Ten-Point Plan, /work/shared/ECCAR.md): no town was
# admitted, resolved to join, left or changed status before that year. A change may be scheduled at most a year
# ahead (a suspension from the next budget year); a date further out is a typing slip such as 31.12.9999.
EARLIEST_LIFECYCLE_DATE = dt.date(2004, 1, 1)
SCHEDULE_MONTHS_AHEAD = 12


def latest_effective_date(today: dt.date | None = None) -> dt.date:
    return add_months(today or timezone.localdate(), SCHEDULE_MONTHS_AHEAD)


def validate_effective_date(value: dt.date | None, *, today: dt.date | None = None) -> None:
    """The date a status change takes effect: from 2004 to a year ahead (a later one is scheduled)."""
    if value is None:
        return
    latest = latest_effective_date(today)
    if not EARLIEST_LIFECYCLE_DATE <= value <= latest:
        raise ValidationError(
            _("Enter a date between %(earliest)s (ECCAR was founded in 2004) and %(latest)s (a change can be scheduled "
              "at most a year ahead).")
            % {"earliest": _short(EARLIEST_LIFECYCLE_DATE), "latest": _short(latest)},
            code="implausible_date",
        )


def validate_recorded_date(value: dt.date | None, *, today: dt.date | None = None) -> None:
    """A date entered as a fact (admitted, council resolution, left, a corrected date): from 2004 to today."""
    if value is None:
        return
    today = today or timezone.localdate()
    if not EARLIEST_LIFECYCLE_DATE <= value <= today:
        raise ValidationError(
            _("Enter a date between %(earliest)s (ECCAR was founded in 2004) and today, %(today)s. A change that takes "
              "effect later is scheduled on the member's status page.")
            % {"earliest": _short(EARLIEST_LIFECYCLE_DATE), "today": _short(today)},
            code="implausible_date",
        )


def _short(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


class MembershipTransitionError(ValidationError):
    """A status change that is not allowed now; raised before anything is written."""


class MembershipTransition(models.Model):
    """One status change. Applied at once when it takes effect today or earlier; a later one is *scheduled*
    (`applied_at` empty) until the daily command applies it on its day, or the secretariat cancels it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("member"))
    # Empty for the first entry of a member entered directly in the admin: it had no status before.
    from_status = models.CharField(_("from"), max_length=20, choices=MemberStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=MemberStatus.choices)
    effective_on = models.DateField(_("effective on"))
    reason = BoundedTextField(_("reason"), blank=True, max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("cancelled by")
    )
    cancel_reason = BoundedTextField(_("reason for cancelling"), blank=True, max_length=2000)
    # Set on the admissions a members import recorded: where the member came from.
    source_import = models.ForeignKey(
        "members.MemberImport", null=True, blank=True, on_delete=models.PROTECT, related_name="transitions",
        verbose_name=_("imported by the members import"),
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("membership status change")
        verbose_name_plural = _("membership status changes")
        indexes = [
            models.Index(fields=["member", "-at"]),
            models.Index(fields=["effective_on"], condition=Q(applied_at__isnull=True, cancelled_at__isnull=True), name="transition_scheduled"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_from_status_display() or '–'} → {self.get_to_status_display()}"

    @property
    def is_scheduled(self) -> bool:
        return self.applied_at is None and self.cancelled_at is None

    @property
    def state_display(self) -> str:
        if self.cancelled_at is not None:
            return str(_("cancelled"))
        if self.applied_at is None:
            return str(_("scheduled"))
        return str(_("applied"))


SCHEDULED = Q(applied_at__isnull=True, cancelled_at__isnull=True)
APPLIED = Q(applied_at__isnull=False)


class MembershipTransitionCorrection(models.Model):
    """A wrong effective date put right: the date before and after, who and why. The transition carries the
    corrected date; this record keeps the original in the history."""

    transition = models.ForeignKey(
        MembershipTransition, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("status change")
    )
    original_on = models.DateField(_("date before the correction"))
    corrected_on = models.DateField(_("corrected date"))
    reason = BoundedTextField(_("reason"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["at"]
        verbose_name = _("correction of a status change")
        verbose_name_plural = _("corrections of status changes")

    def __str__(self) -> str:
        return f"{self.transition}: {self.original_on} → {self.corrected_on}"


def allowed_targets(status: str) -> tuple[str, ...]:
    return ALLOWED_TRANSITIONS.get(status, ())


def last_applied(member: Member) -> MembershipTransition | None:
    return member.transitions.filter(APPLIED).order_by("-applied_at", "-pk").first()


def scheduled_transition(member: Member) -> MembershipTransition | None:
    return member.transitions.filter(SCHEDULED).order_by("effective_on", "pk").first()


def _check_power(by) -> None:
    if by is None or not by.has_perm(CHANGE_MEMBER_STATUS):
        raise MembershipTransitionError(_("Only the secretariat can change a membership status."), code="not_allowed")


def _raise_date(error: ValidationError) -> None:
    raise MembershipTransitionError(error.messages[0], code="implausible_date")


def change_status(
    member: Member, to_status: str, *, by, on: dt.date | None, reason: str, admission: bool = False
) -> MembershipTransition:
    """Record a status change; applied now when `on` is today or earlier, else scheduled for that day.

    While a change is scheduled, no other is accepted for the member: the secretariat cancels it first. So the
    order of the changes is always the order of their dates, and the scheduled one still applies as decided."""
    reason = (reason or "").strip()
    _check_power(by)
    if not isinstance(on, dt.date):
        raise MembershipTransitionError(_("Please give the date the change takes effect."), code="no_date")
    if not reason and not admission:
        raise MembershipTransitionError(_("Please give a reason; it is kept with the change."), code="no_reason")
    today = timezone.localdate()
    try:
        validate_effective_date(on, today=today)
    except ValidationError as error:
        _raise_date(error)
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        from_status = locked.status
        if to_status not in allowed_targets(from_status):
            raise MembershipTransitionError(
                _("A member that is %(from)s cannot become %(to)s.")
                % {"from": MemberStatus(from_status).label, "to": MemberStatus(to_status).label},
                code="wrong_status",
            )
        pending = scheduled_transition(locked)
        if pending is not None:
            raise MembershipTransitionError(
                _("A change is already scheduled: %(status)s from %(date)s. Cancel it on the status page first, then "
                  "record the new change.")
                % {"status": pending.get_to_status_display(), "date": formats.date_format(pending.effective_on)},
                code="scheduled",
            )
        previous = last_applied(locked)
        if previous is not None and on < previous.effective_on:
            raise MembershipTransitionError(
                _("The date cannot be before the previous status change (%(status)s on %(date)s).")
                % {"status": previous.get_to_status_display(), "date": formats.date_format(previous.effective_on)},
                code="before_previous",
            )
        if to_status == MemberStatus.FORMER and locked.admitted_on and on < locked.admitted_on:
            raise MembershipTransitionError(
                _("A membership cannot end before it began (%(date)s).") % {"date": formats.date_format(locked.admitted_on)},
                code="before_admission",
            )
        transition = MembershipTransition.objects.create(
            member=locked, from_status=from_status, to_status=to_status, effective_on=on, reason=reason, by=by
        )
        if on <= today:
            _apply(locked, transition)
    _sync(member, locked)
    return transition


def _apply(locked: Member, transition: MembershipTransition) -> None:
    """Under the member's lock: the member takes the transition's status and dates, through the versioning path."""
    from_status, to_status, on = locked.status, transition.to_status, transition.effective_on
    fields = ["status", "status_since"]
    locked.status, locked.status_since = to_status, on
    if from_status == MemberStatus.APPLICANT and to_status == MemberStatus.MEMBER:
        locked.admitted_on, locked.admitted_precision = on, "day"
        fields += ["admitted_on", "admitted_precision"]
    if to_status == MemberStatus.FORMER:
        locked.left_on = on
        fields.append("left_on")
    elif from_status == MemberStatus.FORMER:
        # Rejoining: the earlier end no longer applies; the transitions keep it.
        locked.left_on = None
        fields.append("left_on")
    save_versioned(locked, expected_version=locked.version, by=transition.by, update_fields=fields)
    transition.applied_at = timezone.now()
    transition.save(update_fields=["applied_at"])


def _sync(member: Member, locked: Member) -> None:
    for field in ["version", "updated_at", *Member.lifecycle_fields]:
        setattr(member, field, getattr(locked, field))


def apply_due(*, today: dt.date) -> list[MembershipTransition]:
    """Apply every scheduled change whose day has come, oldest first; safe to run again (an applied change is
    no longer scheduled). One that is no longer possible (the status moved meanwhile) is cancelled, recorded."""
    done = []
    due = MembershipTransition.objects.filter(SCHEDULED, effective_on__lte=today).order_by("effective_on", "pk")
    for pk, member_id in due.values_list("pk", "member_id"):
        with transaction.atomic():
            locked = Member.objects.select_for_update().get(pk=member_id)
            transition = MembershipTransition.objects.select_for_update().get(pk=pk)
            if not transition.is_scheduled:
                continue  # applied or cancelled by someone else meanwhile
            if locked.status != transition.from_status or transition.to_status not in allowed_targets(locked.status):
                transition.cancelled_at = timezone.now()
                transition.cancel_reason = str(_("No longer possible on its day: the member was %(status)s.") % {"status": locked.get_status_display()})
                transition.save(update_fields=["cancelled_at", "cancel_reason"])
                continue
            _apply(locked, transition)
            transition.member = locked
        done.append(transition)
    return done


def cancel_scheduled(transition: MembershipTransition, *, by, reason: str) -> None:
    """The secretariat takes back a change before its day; the record stays, marked cancelled."""
    reason = (reason or "").strip()
    _check_power(by)
    if not reason:
        raise MembershipTransitionError(_("Please give a reason; it is kept with the change."), code="no_reason")
    with transaction.atomic():
        Member.objects.select_for_update().get(pk=transition.member_id)
        locked = MembershipTransition.objects.select_for_update().get(pk=transition.pk)
        if not locked.is_scheduled:
            raise MembershipTransitionError(_("Only a scheduled change can be cancelled; this one is %(state)s.") % {"state": locked.state_display}, code="not_scheduled")
        locked.cancelled_at, locked.cancelled_by, locked.cancel_reason = timezone.now(), by, reason
        locked.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    transition.cancelled_at, transition.cancelled_by, transition.cancel_reason = locked.cancelled_at, by, reason


def correct_date(transition: MembershipTransition, *, on: dt.date | None, by, reason: str) -> MembershipTransitionCorrection:
    """Put a wrong effective date right. Recorded with the original date, reason and author; the member's dates
    that came from this change (admitted, status since, left) follow, through the versioning path."""
    reason = (reason or "").strip()
    _check_power(by)
    if not isinstance(on, dt.date):
        raise MembershipTransitionError(_("Please give the date the change takes effect."), code="no_date")
    if not reason:
        raise MembershipTransitionError(_("Please give a reason; it is kept with the change."), code="no_reason")
    try:
        validate_recorded_date(on)
    except ValidationError as error:
        _raise_date(error)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=transition.member_id)
        locked = MembershipTransition.objects.select_for_update().get(pk=transition.pk)
        if locked.applied_at is None:
            raise MembershipTransitionError(
                _("Only an applied change can be corrected; cancel a scheduled one and record it again."), code="not_applied"
            )
        applied = list(member.transitions.filter(APPLIED).order_by("applied_at", "pk"))
        index = next(i for i, t in enumerate(applied) if t.pk == locked.pk)
        before = applied[index - 1] if index > 0 else None
        after = applied[index + 1] if index + 1 < len(applied) else None
        if before is not None and on < before.effective_on:
            raise MembershipTransitionError(
                _("The date cannot be before the previous status change (%(status)s on %(date)s).")
                % {"status": before.get_to_status_display(), "date": formats.date_format(before.effective_on)},
                code="before_previous",
            )
        if after is not None and on > after.effective_on:
            raise MembershipTransitionError(
                _("The date cannot be after the next status change (%(status)s on %(date)s).")
                % {"status": after.get_to_status_display(), "date": formats.date_format(after.effective_on)},
                code="after_next",
            )
        original = locked.effective_on
        fields = []
        if after is None:
            member.status_since = on
            fields.append("status_since")
            if locked.to_status == MemberStatus.FORMER:
                member.left_on = on
                fields.append("left_on")
        if locked.from_status == MemberStatus.APPLICANT and locked.to_status == MemberStatus.MEMBER and member.admitted_on == original:
            member.admitted_on, member.admitted_precision = on, "day"
            fields += ["admitted_on", "admitted_precision"]
        if member.left_on and member.admitted_on and member.left_on < member.admitted_on:
            raise MembershipTransitionError(
                _("A membership cannot end before it began (%(date)s).") % {"date": formats.date_format(member.admitted_on)},
                code="before_admission",
            )
        correction = MembershipTransitionCorrection.objects.create(
            transition=locked, original_on=original, corrected_on=on, reason=reason, by=by
        )
        locked.effective_on = on
        locked.save(update_fields=["effective_on"])
        if fields:
            save_versioned(member, expected_version=member.version, by=by, update_fields=fields)
    transition.effective_on = on
    return correction


def record_entry(member: Member, *, by) -> MembershipTransition:
    """A member entered directly in the admin starts its status history with the status it was entered in."""
    on = (
        member.left_on if member.status == MemberStatus.FORMER and member.left_on else None
    ) or member.status_since or member.admitted_on or timezone.localdate()
    return MembershipTransition.objects.create(
        member=member, from_status="", to_status=member.status, effective_on=on,
        reason=str(_("Entered in the admin")), by=by, applied_at=timezone.now(),
    )


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
