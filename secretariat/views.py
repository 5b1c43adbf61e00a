from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members.models import COORDINATE_EVERY_MEMBER
from secretariat.upcoming import UPCOMING_DAYS, upcoming_reminders

UPCOMING_PER_PAGE = 100


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The work queue as an admin page (admin.site.admin_view has checked that the user is active staff)."""
    if not request.user.has_perm(COORDINATE_EVERY_MEMBER):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("Work queue")}
    return TemplateResponse(request, "secretariat/queue_admin.html", context)


@require_GET
def upcoming(request: HttpRequest) -> HttpResponse:
    """The report reminders of the next UPCOMING_DAYS days, as the daily run will send them."""
    if not request.user.has_perm(COORDINATE_EVERY_MEMBER):
        raise PermissionDenied
    reminders = upcoming_reminders()
    # get_page: a page number that is no number, or past the end, shows the first or the last page.
    page = Paginator(reminders, UPCOMING_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": _("Upcoming report reminders"),
        "days": UPCOMING_DAYS,
        "page": page,
        "total": len(reminders),
        "unreachable": sum(1 for r in reminders if not r.recipients),
    }
    return TemplateResponse(request, "admin/secretariat/upcoming_reminders.html", context)
