from django import template

from reports.services import dashboard_reports

register = template.Library()


@register.inclusion_tag("reports/includes/_dashboard_reports.html", takes_context=True)
def member_reports_panel(context, member, role: str = "") -> dict:
    """The reports block of one member on the coordinator dashboard (one query)."""
    return {**dashboard_reports(member=member), "role": role, "request": context.get("request")}


@register.filter
def status_badge(status: str) -> str:
    return {
        "draft": "text-bg-secondary",
        "submitted": "text-bg-info",
        "returned": "text-bg-warning",
        "accepted": "text-bg-primary",
        "published": "text-bg-success",
    }.get(status, "text-bg-light")


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "") if mapping else ""
