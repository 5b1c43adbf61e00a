"""E-mails about reports, each in its recipient's language (User.language), through Django's mail API."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import person_name, render_templated, send_templated
from members.models import CoordinatorAssignment, CoordinatorRole
from members.notifications import contact_language


def _send(*, template: str, **kwargs) -> None:
    send_templated(template=f"reports/email/{template}", **kwargs)


def _coordinators(report):
    return [
        a.user
        for a in CoordinatorAssignment.objects.filter(member_id=report.member_id).select_related("user")
        if a.user.email and a.user.is_active
    ]


def _who(user) -> str:
    # A person is named by name, or by e-mail address: never by the login name.
    if user is None:
        return ""
    return person_name(user) or user.email or str(_("A coordinator of your member"))


def _leads(report) -> list:
    assignments = CoordinatorAssignment.objects.filter(member_id=report.member_id, role=CoordinatorRole.LEAD).select_related("user")
    return [a.user for a in assignments.order_by("user__pk") if a.user.email and a.user.is_active]


def report_submitted(report, *, by=None) -> None:
    """Tell the secretariat, and confirm to the lead coordinators (and the submitter, if someone else: the
    secretariat acting for the member) what was submitted and where to see it."""
    recipients = _leads(report)
    if by is not None and by.email and by.is_active and all(u.pk != by.pk for u in recipients):
        recipients.append(by)
    for user in recipients:
        with translation.override(user.language):
            who = _who(by)
        context = {"report": report, "name": person_name(user), "by": who, "by_self": by is not None and by.pk == user.pk}
        _send(template="submitted_confirmation", context=context, to=[user.email], language=user.language)
    if settings.REPORTS_NOTIFY_EMAILS:
        _send(template="submitted", context={"report": report}, to=list(settings.REPORTS_NOTIFY_EMAILS), language=settings.LANGUAGE_CODE)


def report_ready(report, *, by) -> None:
    """An editor marked the draft as ready: the lead coordinators are told (not the one who marked it)."""
    for user in _leads(report):
        if by is not None and user.pk == by.pk:
            continue
        with translation.override(user.language):
            who = _who(by)  # the fallback wording in the recipient's language
        context = {"report": report, "name": person_name(user), "by": who}
        _send(template="ready", context=context, to=[user.email], language=user.language)


def report_reviewed(report, *, note: str = "") -> None:
    """Returned (`note` is the feedback) or accepted (`note` is the acceptance note, if any): tell the member's
    coordinators. The note comes from this step: the report's feedback field may still hold an earlier return's."""
    for user in _coordinators(report):
        context = {"report": report, "user": user, "name": person_name(user), "note": note}
        _send(template="reviewed", context=context, to=[user.email], language=user.language)


def reminder_messages(*, member, deadline, kind: str, users=(), contacts=()) -> list:
    """The reminder e-mails of one round: one per coordinator, or (for a member without any) one per contact
    published with consent, which asks them to reply so that the secretariat can invite a coordinator."""
    context = {"member": member, "deadline": deadline, "kind": kind}
    messages = [
        render_templated(template="reports/email/reminder", context={**context, "name": person_name(user)}, to=[user.email], language=user.language)
        for user in users
    ]
    language = contact_language(member)
    messages += [
        render_templated(template="reports/email/reminder_contact", context={**context, "name": contact.name}, to=[contact.email], language=language)
        for contact in contacts
    ]
    return messages


def report_reminder(*, member, deadline, kind: str, users=(), contacts=()) -> None:
    for message in reminder_messages(member=member, deadline=deadline, kind=kind, users=users, contacts=contacts):
        message.send()
