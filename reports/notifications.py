"""E-mails about reports, each in its recipient's language (User.language), through Django's mail API."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from members.models import CoordinatorAssignment


def _send(*, template: str, context: dict, to: list[str], language: str) -> None:
    # Every e-mail links to the page where the recipient acts; `portal_url` makes the link absolute.
    context = {**context, "portal_url": settings.PORTAL_URL}
    with translation.override(language):
        subject = render_to_string(f"reports/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"reports/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


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
