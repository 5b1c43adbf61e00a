from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """A create form that was sent: its token makes a second POST of the same form (a double click, a resend
    after a slow answer) find the first result instead of creating the object twice."""

    token = models.UUIDField(_("form token"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    target_url = models.CharField(_("result address"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Lockout")
    LOGOUT = "logout", _("Logout")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    PASSWORD_RESET_REFUSED = "password_reset_refused", _("Password reset refused (limit)")
    PASSWORD_RESET_DONE = "password_reset_done", _("Password reset completed")
    TWO_FACTOR_ADDED = "2fa_added", _("Two-factor authentication set up")
    TWO_FACTOR_REMOVED = "2fa_removed", _("Two-factor authentication removed")
    TWO_FACTOR_FAILED = "2fa_failed", _("Wrong second-factor code")
    RECOVERY_CODES = "recovery_codes", _("Recovery codes created")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    STAFF_EXPORT = "staff_export", _("Export by staff")
    # Help for locked-out people in the admin: the event names the account helped, its detail who helped and why.
    TWO_FACTOR_RESET = "2fa_reset", _("Second factor reset in the admin")
    LOGIN_PAUSE_LIFTED = "login_pause_lifted", _("Login pause lifted")
    INVITATION_RESENT = "invitation_resent", _("Invitation sent again")
    PERSONAL_DATA_DELETED = "personal_data_deleted", _("Personal data deleted (retention period over)")


class SecurityEvent(models.Model):
    """One line of the security log: who did what, when and from where. Written by core.security.record()."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=SecurityEventKind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # As typed at a failed login: the account may not exist, and a deleted user's events keep the name.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username or '–'} · {self.created_at:%Y-%m-%d %H:%M}"
