"""The secretariat's notes on a member: an inline on the member's page (newest first) and a list of their own,
with each note's history. Only staff with the note permissions (the Secretariat group) see them; the author is
taken from the request."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.models import MemberNote


def _author_name(note: MemberNote) -> str:
    author = note.author
    return (author.get_full_name() or author.get_username()) if author else "–"


def _recorded(note: MemberNote) -> str:
    if note.pk is None:
        return "–"
    written = gettext("%(author)s, %(date)s") % {"author": _author_name(note), "date": formats.date_format(timezone.localtime(note.created_at), "SHORT_DATETIME_FORMAT")}
    history = reverse("admin:members_membernote_history", args=[note.pk])
    return format_html('{} · <a href="{}">{}</a>', written, history, gettext("History"))


class MemberNoteInline(admin.StackedInline):
    model = MemberNote
    extra = 0
    fields = ["kind", "contact_on", "text", "recorded"]
    readonly_fields = ["recorded"]
    verbose_name = _("note of the secretariat")
    verbose_name_plural = _("notes of the secretariat (never shown to coordinators or the public)")

    @admin.display(description=_("written by"))
    def recorded(self, obj: MemberNote) -> str:
        return _recorded(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        author = request.user

        class NoteFormSet(formset):
            def save_new(self, form, commit=True):
                form.instance.author = author
                return super().save_new(form, commit=commit)

        return NoteFormSet


@admin.register(MemberNote)
class MemberNoteAdmin(SimpleHistoryAdmin):
    list_display = ["member", "kind", "contact_on", "summary", "author_name"]
    list_filter = ["kind"]
    search_fields = ["text", "member__name"]
    list_select_related = ["member", "author"]
    autocomplete_fields = ["member"]
    date_hierarchy = "contact_on"
    fields = ["member", "kind", "contact_on", "text", "recorded", "updated_at"]
    readonly_fields = ["recorded", "updated_at"]

    @admin.display(description=_("text of the note"))
    def summary(self, obj: MemberNote) -> str:
        return Truncator(obj.text).chars(80)

    @admin.display(description=_("written by"), ordering="author__username")
    def author_name(self, obj: MemberNote) -> str:
        return _author_name(obj)

    @admin.display(description=_("written by"))
    def recorded(self, obj: MemberNote) -> str:
        return _recorded(obj)

    def save_model(self, request, obj: MemberNote, form, change: bool) -> None:
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
