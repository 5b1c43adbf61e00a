"""The <iframe> snippet a coordinator copies onto the member's own website (the page is portal/embed.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.i18n import of_name
from members.models import Member

# Tall enough for the whole plan at a glance in a column of 800 px; on a phone the frame scrolls within itself.
FRAME_HEIGHT = 800


@dataclass(frozen=True)
class EmbedSnippet:
    language: str
    language_name: str
    url: str
    code: str


def embed_snippets(*, member: Member) -> list[EmbedSnippet]:
    """One snippet per portal language, with the absolute address: it is pasted into another site. None for a
    member whose data is not public yet (the embed would be a 404)."""
    if not Member.objects.public().filter(pk=member.pk).exists():
        return []
    snippets = []
    for code, name in settings.LANGUAGES:
        language_name = str(name)  # in the coordinator's language
        with translation.override(code):
            url = settings.PORTAL_URL + reverse("members:embed", args=[member.slug])
            title = _("Action plan %(of_name)s") % {"of_name": of_name(member.name)}
            html = format_html(
                '<iframe src="{}" title="{}" width="100%" height="{}" loading="lazy"></iframe>', url, title, FRAME_HEIGHT
            )
            snippets.append(EmbedSnippet(language=code, language_name=language_name, url=url, code=str(html)))
    return snippets
