"""E-mails of the members app, each in its recipient's language, through Django's mail API.

Links are absolute with PORTAL_URL: the e-mail may be sent outside a request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def send(*, template: str, context: dict, to: list[str], language: str) -> None:
    context = {**context, "portal_url": settings.PORTAL_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"members/email/{template}_subject.txt", context).split())
        body = render_to_string(f"members/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def invitation(invitation, token: str) -> None:
    with translation.override(invitation.language):
        link = settings.PORTAL_URL + reverse("accounts:invitation_accept", args=[token])
    send(
        template="invitation",
        context={"invitation": invitation, "member": invitation.member, "link": link, "inviter": invitation.invited_by},
        to=[invitation.email],
        language=invitation.language,
    )
