"""`{% public_measure_url member.slug measure.pk %}`: where the public reads a measure (actionplan/embed_layout.py)."""

from django import template

from actionplan.embed_layout import public_measure_url as measure_url

register = template.Library()


@register.simple_tag
def public_measure_url(member_slug: str, measure_id: int) -> str:
    return measure_url(member_slug=member_slug, measure_id=measure_id)
