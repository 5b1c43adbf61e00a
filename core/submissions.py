"""Create forms that create once: a token in the form, claimed when the form is valid."""

from __future__ import annotations

import uuid

from django import forms

from core.models import FormSubmission


class OnceOnlyFormMixin(forms.Form):
    # Not required: a form sent without it (an old page, a script) still works, only without the protection.
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)


def submission_claim(*, token: uuid.UUID | None, user) -> FormSubmission | None:
    """The earlier submission of this form, or None when this is the first (the token is then claimed).

    Runs inside the request's transaction: a concurrent second POST waits on the unique token until the first
    commits, then finds it; if the first fails and rolls back, the second goes ahead."""
    if token is None:
        return None
    submission, created = FormSubmission.objects.get_or_create(token=token, defaults={"user": user if user.is_authenticated else None})
    if created:
        return None
    return submission


def submission_done(*, token: uuid.UUID | None, target_url: str) -> None:
    if token is not None:
        FormSubmission.objects.filter(token=token).update(target_url=target_url[:500])
