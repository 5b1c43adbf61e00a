"""Announcements in the admin: write (German required, English optional), see who will receive it, send once."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.countries import country_name
from members.models import Member, MemberStatus
from secretariat.models import DEFAULT_ANNOUNCEMENT_STATUSES, Announcement, OpenDataLicence
from secretariat.services import AnnouncementError, announcement_reach, announcement_send

SEND = "secretariat.send_announcement"


class AnnouncementForm(forms.ModelForm):
    statuses = forms.MultipleChoiceField(
        label=_("Members in these statuses"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(s, MemberStatus(s).label) for s in (MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED, MemberStatus.APPLICANT, MemberStatus.FORMER)],
        initial=DEFAULT_ANNOUNCEMENT_STATUSES, help_text=_("None ticked: members, on hold and suspended."),
    )
    countries = forms.MultipleChoiceField(label=_("Only these countries"), required=False, help_text=_("None chosen: every country."))

    class Meta:
        model = Announcement
        fields = ["subject_de", "body_de", "subject_en", "body_en", "statuses", "countries", "working_group"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "countries" in self.fields:  # not on a sent announcement's read-only page
            codes = Member.objects.exclude(country="").order_by("country").values_list("country", flat=True).distinct()
            self.fields["countries"].choices = [(c, country_name(c)) for c in codes]

    def clean(self):
        data = super().clean()
        if bool(data.get("subject_en")) != bool(data.get("body_en")):
            raise forms.ValidationError(gettext("Give both the English subject and text, or neither."))
        return data


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    form = AnnouncementForm
    list_display = ["subject_de", "created_by", "created_at", "sent_at", "recipient_count", "failed_count"]
    change_form_template = "admin/secretariat/announcement/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.sent_at:
            # The filters by their labels: the stored lists are codes ("on_hold", "DE").
            shown = [{"statuses": "statuses_shown", "countries": "countries_shown"}.get(f, f) for f in AnnouncementForm.Meta.fields]
            return [*shown, "created_by", "created_at", "sent_at", "recipient_count", "contact_count",
                    "unreached_members", "failed_count", "failed_addresses"]
        return ["created_by", "created_at"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.sent_at:
            return self.get_readonly_fields(request, obj)
        return super().get_fields(request, obj)

    @admin.display(description=_("Members in these statuses"))
    def statuses_shown(self, obj: Announcement) -> str:
        return ", ".join(str(MemberStatus(s).label) for s in obj.statuses or DEFAULT_ANNOUNCEMENT_STATUSES)

    @admin.display(description=_("Only these countries"))
    def countries_shown(self, obj: Announcement) -> str:
        return ", ".join(country_name(c) for c in obj.countries) if obj.countries else gettext("every country")

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.sent_at is None) and request.user.has_perm("secretariat.add_announcement")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a record of what was said

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # Straight on to the preview: how many will receive it.
        return HttpResponseRedirect(reverse("admin:secretariat_announcement_send", args=[obj.pk]))

    def get_urls(self):
        return [path("<int:pk>/send/", self.admin_site.admin_view(self.send_view), name="secretariat_announcement_send"), *super().get_urls()]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_send"] = obj is not None and obj.sent_at is None and request.user.has_perm(SEND)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm(SEND):
            raise PermissionDenied
        announcement = get_object_or_404(Announcement, pk=pk)
        change_url = reverse("admin:secretariat_announcement_change", args=[pk])
        if request.method == "POST":
            try:
                sent = announcement_send(announcement=announcement, by=request.user)
            except AnnouncementError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
            else:
                text = gettext("Sent to %(count)d address(es).") % {"count": sent.recipient_count}
                if sent.contact_count:
                    text += " " + gettext("%(count)d of them published contacts of members without a coordinator.") % {"count": sent.contact_count}
                if sent.unreached_members:
                    text += " " + gettext("Not reached, the secretariat is told by e-mail: %(members)s.") % {"members": sent.unreached_members.replace("\n", ", ")}
                if sent.failed_count:
                    text += " " + gettext("%(count)d address(es) failed: %(addresses)s") % {"count": sent.failed_count, "addresses": sent.failed_addresses.replace("\n", ", ")}
                self.message_user(request, text, messages.WARNING if sent.failed_count else messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": gettext("Send the announcement"),
            "announcement": announcement, "change_url": change_url,
        }
        if announcement.sent_at is None:
            reach = announcement_reach(announcement)
            context.update({
                "count": len(reach.coordinators), "sample": reach.coordinators[:10], "contact_count": len(reach.contacts),
                "by_contact": [{"member": r.member, "reach": r} for r in reach.by_contact],
                "nobody": [{"member": r.member, "reach": r} for r in reach.nobody],
                "nobody_note": gettext("When the announcement is sent, the secretariat (%(address)s) is told by e-mail.") % {"address": settings.SECRETARIAT_EMAIL},
            })
        return TemplateResponse(request, "admin/secretariat/announcement/send.html", context)


@admin.register(OpenDataLicence)
class OpenDataLicenceAdmin(admin.ModelAdmin):
    """A new licence is a new row: what applied before stays on record. Nothing is changed or deleted."""

    list_display = ["name", "url", "chosen_at", "chosen_by"]
    fields = ["name", "url", "note"]
    readonly_fields = ["chosen_at", "chosen_by"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.chosen_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
