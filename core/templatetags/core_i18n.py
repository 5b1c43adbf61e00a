"""Template helpers for text in two languages: German names in a sentence, and text not in the page's language."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from core import i18n

register = template.Library()


@register.filter
def of_name(name: str) -> str:
    return i18n.of_name(name)


@register.filter
def for_name(name: str) -> str:
    return i18n.for_name(name)


@register.filter
def to_name(name: str) -> str:
    return i18n.to_name(name)


@register.simple_tag
def language_note(text_language: str | None) -> str:
    """A visible note when a text is shown in another language than the page's, e.g. "(in German)".

    The text itself carries lang="…" for screen readers; this tells sighted readers why it is not translated.
    """
    page_language = (get_language() or "de")[:2]
    text_language = (text_language or "de")[:2]
    if text_language == page_language:
        return ""
    try:
        name = get_language_info(text_language)["name_translated"]
    except KeyError:
        name = text_language
    return format_html(
        ' <span class="language-note small text-body-secondary" lang="{}">({})</span>',
        page_language,
        _("in %(language)s") % {"language": name},
    )
