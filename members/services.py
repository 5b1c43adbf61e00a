from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone

from core.versioning import base_state, save_versioned
from core.files import delete_after_commit, delete_quietly, store_upload
from core.models import SecurityEventKind
from core.security import security_record
from members import notifications
from members.models import (
    ApplicationStatus, CoordinatorAssignment, CoordinatorRole, Invitation, Member, MembershipApplication, MemberStatus, User,
)


def coordinator_add(
    *, username: str, member: Member, lead: bool = False, email: str | None = None, password: str | None = None
) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(username=username, defaults={"email": email or ""})
    if email is not None and user.email != email:
        user.email = email
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()  # they set one through "forgotten password"
    user.save()
    role = CoordinatorRole.LEAD if lead else CoordinatorRole.EDITOR
    CoordinatorAssignment.objects.update_or_create(user=user, member=member, defaults={"role": role})
    return user, created


@transaction.atomic
def member_profile_save(*, member: Member, contact_formset, expected_version: int, by=None) -> Member:
    """The profile and its contacts are one edit: the member's version guards both.

    A population or website the coordinators change becomes the member's own statement, dated today; until
    then it is the seeded fact with its source.
    """
    stored = Member.objects.filter(pk=member.pk).first()
    # Against what the coordinator opened: a fact only a colleague changed meanwhile is not this save's statement.
    opened = base_state(stored, expected_version) if stored is not None and stored.version != expected_version else None
    reference = opened or stored
    for fact in ("population", "website"):
        if reference is not None and getattr(reference, fact) != getattr(member, fact):
            setattr(member, f"{fact}_stated_on", timezone.localdate())
    # The member's version guards the contacts, whose history has no versions: a stale form that posts contacts
    # other than those stored now is not merged, it is the whole form's conflict.
    save_versioned(member, expected_version=expected_version, by=by, merge=not contact_formset.has_changed())
    contacts = contact_formset.save(commit=False)
    for contact in contacts:
        contact.member = member
        if by is not None:
            contact._history_user = by
        contact.save()
    for contact in contact_formset.deleted_objects:
        if by is not None:
            contact._history_user = by
        contact.delete()  # the deletion stays in the contact's history
    return member


def invitation_send(*, member: Member, email: str, role: str, language: str, by, application=None) -> Invitation:
    """Invite a person to coordinate `member`; the e-mail goes out once the invitation is committed."""
    invitation, token = Invitation.issue(member=member, email=email, role=role, language=language, by=by, application=application)
    transaction.on_commit(lambda: notifications.invitation(invitation, token))
    security_record(SecurityEventKind.INVITATION_SENT, user=by, detail=f"{member.slug}: {email} ({role})")
    return invitation


def invitation_resend(*, invitation: Invitation, by) -> None:
    """A new link (the one in the earlier e-mail stops working) and a new expiry."""
    token = invitation.renew(by=by)
    transaction.on_commit(lambda: notifications.invitation(invitation, token, by=by))
    security_record(SecurityEventKind.INVITATION_RESENT, username=invitation.email, detail=f"{invitation.member.slug}: {invitation.email} (by {by.get_username()})")


def application_submit(*, form, authorities: list[dict], ip: str | None, language: str):
    """Store an application (unconfirmed) and e-mail its contact person the confirmation link."""
    from members.models import new_token

    from members.models.application import resolution_upload_to

    token, digest = new_token()
    application = form.save(commit=False)
    application.authorities, application.submitted_from = authorities, ip
    application.language, application.confirmation_digest = language, digest
    field = application.resolution
    upload = field.file if field and not field._committed else None
    stored = ""
    try:
        with transaction.atomic():
            if upload is not None:
                # Written first (a full disk raises StorageFailed with nothing kept); the row records its name.
                stored = store_upload(field.storage, resolution_upload_to(application, upload.name), upload)
                application.resolution = stored
            application.save()
    except BaseException:
        delete_quietly(field.storage, stored)
        raise
    transaction.on_commit(lambda: notifications.application_received(application, token))
    return application


def application_confirm(*, application) -> Member:
    member = application.confirm()
    transaction.on_commit(lambda: notifications.application_confirmed(application))
    return member


def application_accept_for_processing(*, application, by) -> Invitation:
    """The secretariat takes the application up and invites its contact person to draft the plan in the portal."""
    with transaction.atomic():
        application.accept_for_processing(by=by)
        return invitation_send(
            member=application.member, email=application.contact_email, role=CoordinatorRole.LEAD,
            language=application.language, by=by, application=application,
        )


def application_admit(*, application, by, on) -> None:
    application.admit(by=by, on=on)
    transaction.on_commit(lambda: notifications.application_decided(application, effective_on=on))


def application_decline(*, application, by, on, reason: str) -> None:
    application.decline(by=by, on=on, reason=reason)
    transaction.on_commit(lambda: notifications.application_decided(application))


@dataclass(frozen=True)
class ApplicationsPruned:
    deleted: int  # applications deleted, each with its declined applicant member and that member's people
    kept: int  # past the period, but something that must stay refers to the member (a report): left for a person
    addresses_cleared: int


def applications_prune(*, today: dt.date | None = None) -> ApplicationsPruned:
    """Personal data past its use: declined applications (APPLICATION_RETENTION_DAYS after the decision) and
    never-confirmed ones (as long after they were sent) are deleted, a declined one with its applicant member,
    everything of that member (contacts, invitations, notes, a drafted plan) and their history rows; the uploaded
    files go after the commit. Every application's IP address is cleared APPLICATION_IP_RETENTION_DAYS after it
    was sent: it serves only the hourly limit. Safe to rerun: a second run finds nothing."""
    today = today or timezone.localdate()
    cutoff = _start_of(today - dt.timedelta(days=settings.APPLICATION_RETENTION_DAYS))
    ip_cutoff = _start_of(today - dt.timedelta(days=settings.APPLICATION_IP_RETENTION_DAYS))
    deleted = kept = 0
    with transaction.atomic():
        cleared = MembershipApplication.objects.filter(submitted_from__isnull=False, created_at__lt=ip_cutoff).update(submitted_from=None)
        expired = MembershipApplication.objects.filter(
            Q(status=ApplicationStatus.UNCONFIRMED, created_at__lt=cutoff) | Q(status=ApplicationStatus.DECLINED, decided_at__lt=cutoff)
        )
        for application in expired.select_for_update(skip_locked=True).order_by("pk"):
            try:
                with transaction.atomic():
                    _application_delete(application)
            except ProtectedError:
                kept += 1
            else:
                deleted += 1
        if deleted or cleared:
            security_record(
                SecurityEventKind.PERSONAL_DATA_DELETED,
                detail=f"applications: {deleted} deleted, {cleared} IP addresses cleared, {kept} kept (referenced)",
            )
    return ApplicationsPruned(deleted=deleted, kept=kept, addresses_cleared=cleared)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _application_delete(application: MembershipApplication) -> None:
    member = application.member if application.member_id else None
    if member is not None and member.status != MemberStatus.DECLINED:
        member = None  # a member that went on another way is not the application's to delete
    files = _stored_files([application])
    application.delete()  # first: it protects its member
    if member is not None:
        member_pk = member.pk
        files += _stored_files([member])  # ProtectedError if a report refers to it: the caller keeps both
        member.delete()
        _history_forget(member_pk)
    for storage, name in files:
        delete_after_commit(storage, name)


def _stored_files(objects: list[models.Model]) -> list[tuple]:
    """The stored files of `objects` and of every row their deletion cascades to."""
    collector = Collector(using="default")
    collector.collect(objects)
    rows = [(model, instance) for model, instances in collector.data.items() for instance in instances]
    for queryset in collector.fast_deletes:
        rows += [(queryset.model, instance) for instance in queryset]
    return [
        (field.storage, getattr(instance, field.attname).name)
        for model, instance in rows
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and getattr(instance, field.attname)
    ]


def _history_forget(member_pk: int) -> None:
    # django-simple-history keeps a copy of every version, and of the row at its deletion: the member's own
    # and those of its rows (contacts, coordinators, notes, its plan …) go with it.
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager is None:
            continue
        history = getattr(model, manager).model
        if model is Member:
            history.objects.filter(id=member_pk).delete()
        elif any(field.name == "member" for field in history._meta.fields):
            history.objects.filter(member_id=member_pk).delete()


def member_status_change(*, member: Member, to_status: str, by, on, reason: str):
    """A status change by the secretariat (on hold, suspended, former, back to member); the coordinators are told,
    at once when it applies today, and again on its day when it is scheduled."""
    transition = member.change_status(to_status, by=by, on=on, reason=reason)
    transaction.on_commit(lambda: notifications.status_changed(member, reason=reason, transition=transition))
    return transition


def member_transitions_apply_due(*, today) -> list:
    """The daily step: every scheduled status change whose day has come takes effect, and the coordinators are
    told as for a change made that day. A scheduled admission was announced when it was decided."""
    from members.models.lifecycle import apply_due

    applied = apply_due(today=today)
    for transition in applied:
        if transition.from_status != MemberStatus.APPLICANT:
            transaction.on_commit(
                lambda t=transition: notifications.status_changed(t.member, reason=t.reason, transition=t)
            )
    return applied


def member_transition_cancel(*, transition, by, reason: str) -> None:
    from members.models.lifecycle import cancel_scheduled

    cancel_scheduled(transition, by=by, reason=reason)


def member_transition_correct(*, transition, by, on, reason: str):
    from members.models.lifecycle import correct_date

    return correct_date(transition, by=by, on=on, reason=reason)


def coordinator_remove(*, assignment: CoordinatorAssignment, by) -> None:
    """Take a person's access to a member away; the assignment's history keeps who removed whom and when."""
    assignment._history_user = by
    assignment.delete()


# The one-time codes that stand in for the authenticator app when the phone is lost.
RECOVERY_CODES = 10
RECOVERY_DEVICE = "recovery"


def recovery_codes_create(*, user) -> list[str]:
    """New recovery codes for `user`; the earlier ones stop working. Shown once, stored as django-otp tokens."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


# Whose coordinators the secretariat counts on: members who owe reports, and applicants drafting their plan.
COORDINATED_STATUSES = (MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED)


def members_without_coordinator(queryset: QuerySet[Member] | None = None) -> QuerySet[Member]:
    """Members (and applicants in process) that no active account coordinates: no reminder reaches them.

    Conditions on the rows themselves (EXISTS, never `pk IN (…)` with a join): the planner then checks each member
    once, which stays fast at 10,000 members even before the tables were analysed."""

    coordinated = CoordinatorAssignment.objects.filter(member=OuterRef("pk"), user__is_active=True)
    in_process = MembershipApplication.objects.filter(member=OuterRef("pk"), status=ApplicationStatus.IN_PROCESS)
    queryset = Member.objects.all() if queryset is None else queryset
    return queryset.filter(Q(status__in=COORDINATED_STATUSES) | Q(Exists(in_process), status=MemberStatus.APPLICANT)).filter(
        ~Exists(coordinated)
    )


# Help for locked-out people (members/user_admin.py). Staff accounts are helped by superusers only.


def _may_help(*, user: User, by) -> None:
    from django.core.exceptions import PermissionDenied

    if (user.is_staff or user.is_superuser) and not by.is_superuser:
        raise PermissionDenied


def user_sessions_end_others(*, request) -> None:
    """End every session of the logged-in account but this one, on every app server: the account's session hash
    changes (members.User.session_epoch) and only this session is given the new one (with a new session key)."""
    from django.contrib.auth import update_session_auth_hash
    from django.db.models import F

    user = request.user
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    update_session_auth_hash(request, user)


def user_second_factor_reset(*, user: User, by, reason: str) -> int:
    """Delete the account's authenticator app and recovery codes; at its next login it sets up a new app (staff
    must, a coordinator may). Its sessions end. Returns the number of devices deleted."""
    from django_otp import devices_for_user

    _may_help(user=user, by=by)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        devices = list(devices_for_user(locked, confirmed=None))
        for device in devices:
            device.delete()
        locked.session_epoch += 1
        locked.save(update_fields=["session_epoch"])
        security_record(
            SecurityEventKind.TWO_FACTOR_RESET, user=locked, detail=f"by {by.get_username()}: {reason}"
        )
    user.session_epoch = locked.session_epoch
    return len(devices)


def user_login_pause_lift(*, user: User, by, reason: str) -> list[str]:
    """End the account's pause after wrong passwords (django-axes), and the pause of the addresses this person has
    logged in from before. An address that only tried their name stays paused: it may be the attacker's.
    Returns the addresses lifted."""
    from axes.utils import reset

    from core.models import SecurityEvent
    from core.security import login_ip_paused

    _may_help(user=user, by=by)
    reset(username=user.get_username())
    known = (
        SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN, user=user, ip_address__isnull=False)
        .values_list("ip_address", flat=True).distinct()
    )
    lifted = sorted(ip for ip in known if login_ip_paused(ip))
    detail = f"by {by.get_username()}: {reason}"
    for ip in lifted:
        security_record(SecurityEventKind.LOGIN_PAUSE_LIFTED, user=user, ip=ip, detail=detail)
    if not lifted:
        security_record(SecurityEventKind.LOGIN_PAUSE_LIFTED, user=user, detail=detail)
    return lifted


def user_login_paused(*, user: User) -> bool:
    """Whether the account is paused after wrong passwords now (django-axes' counter for its login name)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).exists()
