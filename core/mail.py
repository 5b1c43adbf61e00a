"""Templated e-mails in the recipient's language, through Django's mail API.

Every e-mail carries the secretariat's address as Reply-To (SECRETARIAT_EMAIL): it is sent from a no-reply
address, and a person who answers must reach someone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext


def message(*, subject: str, body: str, to: list[str]) -> EmailMessage:
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, reply_to=[settings.SECRETARIAT_EMAIL])


def render_templated(*, template: str, context: dict, to: list[str], language: str) -> EmailMessage:
    """`template` names `<template>_subject.txt` and `<template>.txt`. Every e-mail links to the page where the
    recipient acts; `portal_url` makes the link absolute (e-mails may go out without a request)."""
    context = {**context, "portal_url": settings.PORTAL_URL, "secretariat_email": settings.SECRETARIAT_EMAIL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return message(subject=subject, body=body, to=to)


def send_templated(*, template: str, context: dict, to: list[str], language: str) -> None:
    render_templated(template=template, context=context, to=to, language=language).send()


def person_name(user) -> str:
    """How an e-mail addresses a person: the full name, never the login name (which may be "dresden-lead")."""
    return (user.get_full_name() or "").strip() if user is not None else ""


def greeting(name: str) -> str:
    """ "Hello Anna Schönfelder," or, without a name, "Hello," in the active language."""
    name = (name or "").strip()
    return gettext("Hello %(name)s,") % {"name": name} if name else gettext("Hello,")
