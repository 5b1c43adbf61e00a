"""Admin pages for one step of a lifecycle (admit, decline, change status, return with feedback): a small form
of date and reason, then the model method. A refused step shows its message on the form; nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import LocalDateField


class DateReasonForm(forms.Form):
    on = LocalDateField(label=_("Effective on"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4, "cols": 70}), max_length=2000)


def run_step(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    form: forms.Form,
    title: str,
    submit_label: str,
    step: Callable[[dict], str | None],
    done_url: str,
    cancel_url: str,
    intro: str = "",
    objects: Iterable = (),
    hidden: Iterable[tuple[str, str]] = (),
    template: str = "admin/core/step.html",
    extra_context: dict | None = None,
) -> HttpResponse:
    """Show `form`; on a valid POST run `step(cleaned_data)` and go to `done_url` with its success message.

    `step` raises ValidationError (the model's transition errors are ValidationErrors) to refuse."""
    if form.is_bound and form.is_valid():
        try:
            message = step(form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            if message:
                model_admin.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(done_url)
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title, "intro": intro, "objects": list(objects), "form": form, "hidden": list(hidden),
        "submit_label": submit_label, "cancel_url": cancel_url, "opts": opts,
        "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        **(extra_context or {}),
    }
    status = 400 if form.is_bound else 200
    return TemplateResponse(request, template, context, status=status)


def run_for_each(
    model_admin: admin.ModelAdmin, request: HttpRequest, objects: Iterable, step: Callable, *, done: str,
    name: Callable[[object], str] = str,
) -> int:
    """A bulk action: `step(obj)` for each object; a refused one is named with its reason, the rest go on.
    `done` is a message with %(count)d for those that went through."""
    count = 0
    for obj in objects:
        try:
            step(obj)
            count += 1
        except ValidationError as error:
            model_admin.message_user(request, f"{name(obj)}: {error.messages[0]}", messages.ERROR)
    if count:
        model_admin.message_user(request, done % {"count": count}, messages.SUCCESS)
    return count
