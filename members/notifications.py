"""E-mails of the members app, each in its recipient's language, through Django's mail API.

Links are absolute with PORTAL_URL: the e-mail may be sent outside a request.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.mail import send_templated


def send(*, template: str, **kwargs) -> None:
    send_templated(template=f"members/email/{template}", **kwargs)


def invitation(invitation, token: str) -> None:
    with translation.override(invitation.language):
        link = settings.PORTAL_URL + reverse("accounts:invitation_accept", args=[token])
    send(
        template="invitation",
        context={"invitation": invitation, "member": invitation.member, "link": link, "inviter": invitation.invited_by},
        to=[invitation.email],
        language=invitation.language,
    )


def application_received(application, token: str) -> None:
    with translation.override(application.language):
        link = settings.PORTAL_URL + reverse("members:apply_confirm", args=[token])
    send(template="application_confirm", context={"application": application, "link": link},
         to=[application.contact_email], language=application.language)


def application_confirmed(application) -> None:
    """Tell the secretariat that an application waits in its queue."""
    if settings.REPORTS_NOTIFY_EMAILS:
        link = settings.PORTAL_URL + reverse("admin:members_membershipapplication_change", args=[application.pk])
        send(template="application_new", context={"application": application, "link": link},
             to=list(settings.REPORTS_NOTIFY_EMAILS), language=settings.LANGUAGE_CODE)


def application_decided(application) -> None:
    """Admitted or declined (with the reason): the contact person hears it in the application's language."""
    with translation.override(application.language):
        link = settings.PORTAL_URL + reverse("members:detail", args=[application.member.slug])
    send(template="application_decided", context={"application": application, "link": link},
         to=[application.contact_email], language=application.language)


def status_changed(member, *, reason: str, transition=None) -> None:
    """A status change, or (`transition` still scheduled) one that will take effect on its date."""
    from members.models import CoordinatorAssignment

    scheduled = transition is not None and transition.is_scheduled
    for assignment in CoordinatorAssignment.objects.filter(member=member, user__is_active=True).exclude(user__email="").select_related("user"):
        user = assignment.user
        send(template="status_changed", context={"member": member, "user": user, "reason": reason, "transition": transition, "scheduled": scheduled},
             to=[user.email], language=user.language)
