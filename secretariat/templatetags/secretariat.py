from django import template

from members.models import COORDINATE_EVERY_MEMBER
from secretariat.queue import work_queue

register = template.Library()


@register.inclusion_tag("secretariat/includes/_queue.html", takes_context=True)
def work_queue_panel(context) -> dict:
    """The work queue for the secretariat; nothing for anyone else."""
    user = context["request"].user
    if not (user.is_staff and user.has_perm(COORDINATE_EVERY_MEMBER)):
        return {"lines": None}
    return {"lines": work_queue()}
