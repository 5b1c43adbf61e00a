from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members.models import COORDINATE_EVERY_MEMBER


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The work queue as an admin page (admin.site.admin_view has checked that the user is active staff)."""
    if not request.user.has_perm(COORDINATE_EVERY_MEMBER):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("Work queue")}
    return TemplateResponse(request, "secretariat/queue_admin.html", context)
