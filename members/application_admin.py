"""The secretariat's side of an application: read it, open the resolution, accept it for processing (which invites
the contact person), then admit or decline. Every button goes through the application's own steps."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.i18n import of_name
from core.admin_steps import run_step
from core.files import pdf_response
from core.forms import LocalDateField
from members import services
from members.lifecycle_admin import RecordedDateReasonForm
from members.admin import CountryFilter
from members.models import CHANGE_MEMBER_STATUS, ApplicationError, ApplicationStatus, MembershipApplication
from members.models.lifecycle import validate_effective_date

OPEN = (ApplicationStatus.CONFIRMED, ApplicationStatus.IN_PROCESS)


class AdmitForm(forms.Form):
    on = LocalDateField(
        label=_("Admitted on"),
        help_text=_("A date in the future schedules the admission: the member becomes public on that day."),
    )

    def clean_on(self):
        on = self.cleaned_data["on"]
        validate_effective_date(on)
        return on


class ApplicationStatusFilter(admin.SimpleListFilter):
    """Confirmed and in-process applications by default: unconfirmed ones are not the secretariat's business yet."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Open (confirmed or in process)")), *ApplicationStatus.choices, ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or "open"
        for lookup, title in self.lookup_choices:
            yield {"selected": value == lookup, "query_string": changelist.get_query_string({self.parameter_name: lookup}), "display": title}

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            return queryset.filter(status__in=OPEN)
        if value == "all":
            return queryset
        return queryset.filter(status=value)


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "contact_name", "status", "created_at", "confirmed_at"]
    list_filter = [ApplicationStatusFilter, CountryFilter]
    search_fields = ["name", "contact_name", "contact_email"]
    ordering = ["confirmed_at", "created_at"]  # oldest first: the queue's order
    change_form_template = "admin/members/membershipapplication/change_form.html"
    fieldsets = [
        (_("The membership"), {"fields": ["name", "authority_list", "kind", "country", "region", "population", "website"]}),
        (_("Contact person"), {"fields": ["contact_name", "contact_role", "contact_email", "contact_phone", "contact_consent", "language"]}),
        (_("The council's decision"), {"fields": ["resolution_link", "council_resolution_on", "council_decision_expected_on"]}),
        (_("Motivation"), {"fields": ["motivation"]}),
        (_("Processing"), {"fields": ["status", "created_at", "confirmed_at", "member_link", "accepted_by", "accepted_at",
                                      "decided_by", "decided_at", "decline_reason"]}),
    ]
    # The application is the applicant's text: staff read it and act through the buttons.
    readonly_fields = [name for _, options in fieldsets for name in options["fields"]]

    def has_add_permission(self, request) -> bool:
        return False  # applications come from the public form

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("authorities"))
    def authority_list(self, obj: MembershipApplication) -> str:
        return "; ".join(f"{a['name']} ({obj.authority_kind_label(a['kind'])})" for a in obj.authorities)

    @admin.display(description=_("council resolution (PDF)"))
    def resolution_link(self, obj: MembershipApplication) -> str:
        if not obj.resolution:
            return gettext("No file attached.")
        return format_html('<a href="{}">{}</a>', reverse("admin:members_membershipapplication_resolution", args=[obj.pk]), gettext("Download the PDF"))

    @admin.display(description=_("applicant member"))
    def member_link(self, obj: MembershipApplication) -> str:
        if obj.member_id is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:members_member_change", args=[obj.member_id]), obj.member)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/resolution.pdf", view(self.resolution_view), name="members_membershipapplication_resolution"),
            path("<int:pk>/accept/", view(self.accept_view), name="members_membershipapplication_accept"),
            path("<int:pk>/admit/", view(self.admit_view), name="members_membershipapplication_admit"),
            path("<int:pk>/decline/", view(self.decline_view), name="members_membershipapplication_decline"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context.update(
            {
                # Every field is read-only: staff act through the step buttons, so there is nothing to save.
                "show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False,
                "can_decide": obj is not None and self._may_decide(request) and obj.status in OPEN,
                "can_accept": obj is not None and self._may_decide(request) and obj.status == ApplicationStatus.CONFIRMED,
            }
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def _may_decide(self, request: HttpRequest) -> bool:
        return request.user.has_perm("members.change_membershipapplication") and request.user.has_perm(CHANGE_MEMBER_STATUS)

    def _application(self, request: HttpRequest, pk: int, *, decide: bool) -> MembershipApplication:
        if not self.has_view_permission(request) or (decide and not self._may_decide(request)):
            raise PermissionDenied
        application = get_object_or_404(MembershipApplication.objects.select_related("member"), pk=pk)
        if application.status == ApplicationStatus.UNCONFIRMED and decide:
            raise Http404
        return application

    def _change_url(self, application: MembershipApplication) -> str:
        return reverse("admin:members_membershipapplication_change", args=[application.pk])

    def resolution_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk, decide=False)
        if not application.resolution:
            raise Http404
        return pdf_response(request, application.resolution, f"council-resolution-application-{application.pk}.pdf")

    @method_decorator(require_POST)
    def accept_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk, decide=True)
        try:
            invitation = services.application_accept_for_processing(application=application, by=request.user)
        except ApplicationError as error:
            application.refresh_from_db()
            if application.status == ApplicationStatus.IN_PROCESS:
                # A double click, or a colleague was quicker: the first click did the work, nothing is sent again.
                self.message_user(request, self._already_accepted(application), messages.INFO)
            else:
                self.message_user(request, error.messages[0], messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("Accepted for processing. %(email)s is invited to the portal as lead coordinator.") % {"email": invitation.email},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(application))

    def _already_accepted(self, application: MembershipApplication) -> str:
        invitation = application.invitations.order_by("created_at").first()
        accepted_by = application.accepted_by
        values = {
            "at": formats.date_format(timezone.localtime(application.accepted_at), "SHORT_DATETIME_FORMAT"),
            "by": (accepted_by.get_full_name() or accepted_by.username) if accepted_by else "–",
        }
        if invitation is None:
            return gettext("This application was already accepted for processing on %(at)s by %(by)s.") % values
        values |= {"email": invitation.email, "sent": formats.date_format(timezone.localtime(invitation.created_at), "SHORT_DATETIME_FORMAT")}
        return gettext(
            "This application was already accepted for processing on %(at)s by %(by)s; the invitation went to %(email)s "
            "on %(sent)s. Nothing was sent again."
        ) % values

    def admit_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk, decide=True)

        def step(data: dict) -> str:
            services.application_admit(application=application, by=request.user, on=data["on"])
            if data["on"] > timezone.localdate():
                return gettext("%(member)s will be admitted on %(date)s; its member page becomes public that day.") % {
                    "member": application.name, "date": formats.date_format(data["on"])
                }
            return gettext("%(member)s is admitted; its member page is public.") % {"member": application.name}

        return run_step(
            self, request, form=AdmitForm(request.POST or None), title=gettext("Admit %(member)s") % {"member": application.name},
            intro=gettext("From the admission date on, the member page and the public measures of the plan are public. The contact person is told by e-mail."),
            submit_label=gettext("Admit"), step=step, done_url=self._change_url(application), cancel_url=self._change_url(application),
        )

    def decline_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk, decide=True)

        def step(data: dict) -> str:
            services.application_decline(application=application, by=request.user, on=data["on"], reason=data["reason"])
            return gettext("The application %(of_member)s is declined; the contact person is told the reason.") % {"of_member": of_name(application.name)}

        form = RecordedDateReasonForm(request.POST or None)
        form.fields["reason"].help_text = gettext("The contact person receives this reason by e-mail.")
        return run_step(
            self, request, form=form, title=gettext("Decline %(member)s") % {"member": application.name},
            submit_label=gettext("Decline"), step=step, done_url=self._change_url(application), cancel_url=self._change_url(application),
        )
