"""E-mails about reports, each in its recipient's language (User.language), through Django's mail API."""

from __future__ import annotations

from django.conf import settings

from core.mail import send_templated
from members.models import CoordinatorAssignment


def _send(*, template: str, **kwargs) -> None:
    send_templated(template=f"reports/email/{template}", **kwargs)


def _coordinators(report):
    return [
        a.user
        for a in CoordinatorAssignment.objects.filter(member_id=report.member_id).select_related("user")
        if a.user.email and a.user.is_active
    ]


def report_submitted(report) -> None:
    if settings.REPORTS_NOTIFY_EMAILS:
        _send(template="submitted", context={"report": report}, to=list(settings.REPORTS_NOTIFY_EMAILS), language=settings.LANGUAGE_CODE)


def report_reviewed(report) -> None:
    """Returned or accepted: tell the member's coordinators, with the feedback."""
    for user in _coordinators(report):
        _send(template="reviewed", context={"report": report, "user": user}, to=[user.email], language=user.language)


def report_reminder(*, member, deadline, kind: str, users) -> None:
    for user in users:
        context = {"member": member, "deadline": deadline, "kind": kind, "user": user}
        _send(template="reminder", context=context, to=[user.email], language=user.language)
