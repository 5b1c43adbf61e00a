"""Accounts in the admin. Powers cannot spread: only superusers grant or take away staff status, superuser status,
groups and permissions, or edit a staff account at all. Everyone else (the Secretariat group) manages coordinator
accounts: names, e-mail, language, active or not, and helps a locked-out coordinator (a new second factor, the
end of a login pause). A field that is read-only or absent is not in the form, so a forged POST of it is ignored.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin_steps import run_step
from members import services
from members.models import CoordinatorAssignment, User

# Never in a non-superuser's form: these fields hand out powers.
POWER_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def is_staff_account(user: User) -> bool:
    return user.is_staff or user.is_superuser


def may_manage(request: HttpRequest, user: User | None) -> bool:
    """A staff account is a superuser's to change; a coordinator's is the secretariat's too."""
    return user is None or request.user.is_superuser or not is_staff_account(user)


class CoordinatorChoiceMixin:
    """For admins that give a person access to a member: only a superuser may choose a staff account (access to a
    member is a power, and a staff account's powers are a superuser's to give). Forged ids fail validation."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.filter(is_staff=False, is_superuser=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    # A table row's fields are labelled only by the column heading, which screen readers do not tie to the
    # field: each carries its label as aria-label.
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))


class AssignmentInline(CoordinatorChoiceMixin, admin.TabularInline):
    model = CoordinatorAssignment
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["member"]


class NeverLoggedInFilter(admin.SimpleListFilter):
    title = _("coordinators who never logged in")
    parameter_name = "never_logged_in"

    def lookups(self, request, model_admin):
        return [("yes", _("never logged in"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        return queryset.filter(is_active=True, last_login__isnull=True, assignments__isnull=False).distinct()


class HelpReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("How the person asked for help and how you made sure it was them (for the security log)."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        max_length=400,
    )


class UserAdmin(BaseUserAdmin):
    inlines = [AssignmentInline]
    list_filter = [NeverLoggedInFilter, *BaseUserAdmin.list_filter]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active", "language"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Portal"), {"fields": ["language"]}),)
    help_fields = ["second_factor_state", "login_pause_state"]
    # Plain, labelled widgets (the two-box filter's icons break accessibility checks); the dates are records.
    filter_horizontal = ()

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return super().get_fieldsets(request, obj)  # the add form: login name and password only
        help_set = (_("Login help"), {"fields": self.help_fields})
        if request.user.is_superuser:
            return [*self.fieldsets, help_set]
        return [
            (None, {"fields": ["username", "password"]}),
            (_("Personal info"), {"fields": ["first_name", "last_name", "email", "language"]}),
            (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
            help_set,
            (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        if obj is not None:
            fields += self.help_fields
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = [*(super().get_exclude(request, obj) or [])]
        if not request.user.is_superuser:
            exclude += POWER_FIELDS  # whatever the fieldsets say, the form never carries a power field for them
        return exclude

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and may_manage(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and may_manage(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)  # a bulk delete would not ask which accounts are staff
        return actions

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The autocomplete of "coordinator" offers coordinator accounts only (CoordinatorChoiceMixin).
        if (
            request.GET.get("model_name") == "coordinatorassignment"
            and request.GET.get("field_name") == "user"
            and not request.user.is_superuser
        ):
            queryset = queryset.filter(is_staff=False, is_superuser=False)
        return queryset, may_have_duplicates

    @admin.display(description=_("second factor"))
    def second_factor_state(self, obj: User) -> str:
        if TOTPDevice.objects.filter(user=obj, confirmed=True).exists():
            return gettext("Authenticator app set up")
        return gettext("None")

    @admin.display(description=_("login pause"))
    def login_pause_state(self, obj: User) -> str:
        if services.user_login_paused(user=obj):
            return gettext("Paused after too many wrong passwords")
        return gettext("Not paused")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["may_reset_second_factor"] = self._may_help(request, obj, "members.reset_second_factor")
            context["may_lift_login_pause"] = self._may_help(request, obj, "members.lift_login_pause")
            context["invitations_url"] = f"{reverse('admin:members_invitation_changelist')}?q={obj.email}" if obj.email else ""
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/reset-second-factor/", view(self.reset_second_factor_view), name="members_user_reset_second_factor"),
            path("<int:pk>/lift-login-pause/", view(self.lift_login_pause_view), name="members_user_lift_login_pause"),
            *super().get_urls(),
        ]

    def _may_help(self, request: HttpRequest, user: User, permission: str) -> bool:
        return request.user.has_perm(permission) and may_manage(request, user)

    def _help_step(self, request: HttpRequest, pk: int, *, permission: str, **step) -> HttpResponse:
        user = get_object_or_404(User, pk=pk)
        if not self._may_help(request, user, permission):
            raise PermissionDenied
        change_url = reverse("admin:members_user_change", args=[user.pk])
        return run_step(
            self, request, form=HelpReasonForm(request.POST or None), objects=[user], done_url=change_url,
            cancel_url=change_url, **{**step, "step": lambda data: step["step"](user, data["reason"])},
        )

    def reset_second_factor_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        def step(user: User, reason: str) -> str:
            services.user_second_factor_reset(user=user, by=request.user, reason=reason)
            return gettext("The second factor of %(user)s is reset. At the next login they set up a new one.") % {"user": user}

        return self._help_step(
            request, pk, permission="members.reset_second_factor", step=step,
            title=gettext("Reset the second factor"), submit_label=gettext("Reset the second factor"),
            intro=gettext(
                "The authenticator app and the recovery codes of this account are deleted and its sessions end. "
                "Only do this when you are sure you are helping the account's owner: after the password, nothing else "
                "protects the account until a new app is set up."
            ),
        )

    def lift_login_pause_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        def step(user: User, reason: str) -> str:
            services.user_login_pause_lift(user=user, by=request.user, reason=reason)
            return gettext("%(user)s can log in again now.") % {"user": user}

        return self._help_step(
            request, pk, permission="members.lift_login_pause", step=step,
            title=gettext("Lift the login pause"), submit_label=gettext("Lift the login pause"),
            intro=gettext(
                "After several wrong passwords the account's login is paused for a while. This ends the pause now, and "
                "the pause of the addresses this person has logged in from before. If they forgot the password, "
                "they can also choose a new one through “Forgotten password”."
            ),
        )
