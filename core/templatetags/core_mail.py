"""The greeting line of the e-mails: by the person's name, or without one (never the login name)."""

from django import template

from core.mail import greeting as _greeting

register = template.Library()


@register.simple_tag
def greeting(name: str = "") -> str:
    return _greeting(name)
