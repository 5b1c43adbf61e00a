"""Templated e-mails in the recipient's language, through Django's mail API."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(*, template: str, context: dict, to: list[str], language: str) -> None:
    """`template` names `<template>_subject.txt` and `<template>.txt`. Every e-mail links to the page where the
    recipient acts; `portal_url` makes the link absolute (e-mails may go out without a request)."""
    context = {**context, "portal_url": settings.PORTAL_URL}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
