"""The <iframe> snippet a coordinator copies onto the member's own website (the page is portal/embed.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from actionplan.embed_layout import EmbedHeight, embed_heights, plan_glance_rows, status_segments
from actionplan.models import ActionPlan, MeasureStatus
from core.i18n import of_name
from members.models import Member

# Unhashed on purpose: the code stays on the other site through every release of the portal.
RESIZE_SCRIPT = "js/embed-resize.js"


@dataclass(frozen=True)
class EmbedSnippet:
    language: str
    language_name: str
    url: str
    code: str


@dataclass(frozen=True)
class EmbedCode:
    snippets: list[EmbedSnippet]
    # The frame's height in each layout today; the snippet takes the tallest, so it fits at any width.
    heights: list[EmbedHeight]
    height: int
    script: str

    @property
    def narrow(self) -> EmbedHeight:
        return self.heights[0]

    @property
    def wide(self) -> EmbedHeight:
        return self.heights[-1]


def embed_heights_today(*, plan: ActionPlan | None) -> list[EmbedHeight]:
    figures = getattr(plan, "figures", None) if plan is not None else None
    statuses = status_segments({value: getattr(figures, value, 0) if figures else 0 for value in MeasureStatus.values})
    return embed_heights(plan_glance_rows(plan, figures, titles=False), len(statuses))


def embed_code(*, member: Member, plan: ActionPlan | None) -> EmbedCode | None:
    """One snippet per portal language, with the absolute address: it is pasted into another site; and the
    optional script that keeps the frame's height in step with the plan. None for a member whose data is not
    public yet (the embed would be a 404)."""
    if not Member.objects.public().filter(pk=member.pk).exists():
        return None
    heights = embed_heights_today(plan=plan)
    height = max(h.px for h in heights)
    snippets = []
    for code, name in settings.LANGUAGES:
        language_name = str(name)  # in the coordinator's language
        with translation.override(code):
            url = settings.PORTAL_URL + reverse("members:embed", args=[member.slug])
            title = _("Action plan %(of_name)s") % {"of_name": of_name(member.name)}
            html = format_html(
                '<iframe src="{}" title="{}" width="100%" height="{}" loading="lazy"></iframe>', url, title, height
            )
            snippets.append(EmbedSnippet(language=code, language_name=language_name, url=url, code=str(html)))
    script = str(format_html('<script src="{}" defer></script>', settings.PORTAL_URL + settings.STATIC_URL + RESIZE_SCRIPT))
    return EmbedCode(snippets=snippets, heights=heights, height=height, script=script)
