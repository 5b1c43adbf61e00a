"""Django's account views with what the portal adds: reset limits, unlocking by reset, and the security log."""

from __future__ import annotations

import datetime as dt

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.template import loader
from django.utils import translation
from django.shortcuts import resolve_url

from core.mail import message, person_name
from core.models import SecurityEventKind
from core.security import client_ip, security_events_recent, security_record
from members.models import COORDINATE_EVERY_MEMBER

HOUR = dt.timedelta(hours=1)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset mail, in the account's language, greeting by name, with the secretariat as Reply-To."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        user = context["user"]
        with translation.override(user.language):
            context = {**context, "name": person_name(user)}
            subject = " ".join(loader.render_to_string(subject_template_name, context).split())
            body = loader.render_to_string(email_template_name, context)
        message(subject=subject, body=body, to=[to_email]).send()


def login_landing(user) -> str:
    """Where a login without a chosen page ends: the work queue for the secretariat, the admin for other staff,
    the dashboard for coordinators."""
    if not user.is_staff:
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return resolve_url(settings.STAFF_LOGIN_REDIRECT_URL if user.has_perm(COORDINATE_EVERY_MEMBER) else "admin:index")


class LoginView(auth_views.LoginView):
    def get_default_redirect_url(self) -> str:
        return login_landing(self.request.user)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        ip = client_ip(self.request)
        kind = SecurityEventKind.PASSWORD_RESET_REQUESTED
        too_many = security_events_recent(kind=kind, since=HOUR, username=email) >= settings.PASSWORD_RESETS_PER_HOUR or (
            ip is not None and security_events_recent(kind=kind, since=HOUR, ip_address=ip) >= settings.PASSWORD_RESETS_PER_IP_PER_HOUR
        )
        if too_many:
            # The same answer as a sent mail: the page must not tell whether an address has an account.
            security_record(SecurityEventKind.PASSWORD_RESET_REFUSED, request=self.request, username=email)
            return HttpResponseRedirect(self.get_success_url())
        security_record(kind, request=self.request, username=email)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # A reset proves the mailbox: it lifts a lockout at once, so guessing cannot keep the owner out.
        axes_reset(username=self.user.username)
        security_record(SecurityEventKind.PASSWORD_RESET_DONE, request=self.request, user=self.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        security_record(SecurityEventKind.PASSWORD_CHANGED, request=self.request)
        return response


def locked_out(request, response=None, credentials=None):
    # django-axes' AXES_LOCKOUT_CALLABLE: the portal's page, in the visitor's language, with the wait in minutes.
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
