"""Two-factor login with an authenticator app (TOTP) and one-time recovery codes (django-otp)."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import SecurityEventKind
from core.security import security_events_recent, security_record
from core.two_factor import HAS_DEVICE
from members.account_views import login_landing
from members.services import RECOVERY_DEVICE, recovery_codes_create, user_sessions_end_others
from members.two_factor_codes import totp_refusal



class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


class ReplaceForm(CodeForm):
    """Replacing the app: a stolen session alone must not be enough, so the password and a current code come first."""

    password = forms.CharField(
        label=gettext_lazy("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True})
    )
    current = forms.CharField(
        label=gettext_lazy("Code from your current app"),
        max_length=16,
        help_text=gettext_lazy("The six digits your current authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )
    field_order = ["password", "current", "code"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["code"].label = gettext_lazy("Code from the new app")
        self.fields["code"].help_text = gettext_lazy("The six digits the new app shows after you added the key below.")
        self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_current(self) -> str:
        return "".join(self.cleaned_data["current"].split()).lower()

    def clean(self):
        data = super().clean()
        if "password" in data and not self.user.check_password(data["password"]):
            self.add_error("password", _("This password is not right."))
        elif "current" in data:
            code = data["current"]
            is_app_code = len(code) == 6 and code.isdigit()
            refusal, app = None, None
            if is_app_code:
                # The current app's code: checked on its own, so that a refusal can say why (a pause, the clock);
                # under the app's row lock, as django-otp does, so that one code is never taken twice at once.
                with transaction.atomic():
                    app = TOTPDevice.objects.select_for_update().filter(user=self.user, confirmed=True).first()
                    refusal = totp_refusal(app, code) if app is not None else None
            if app is not None:
                if refusal is not None:
                    self.add_error("current", refusal)
            elif _verify(self.user, code) is None:
                self.add_error("current", _("This code is not right, or it was already used. Enter the code your current app shows now, or a recovery code."))
        return data


def _replace_refused(user) -> bool:
    # Each wrong try is logged; after as many as a login allows, replacing waits for the login pause to pass.
    return security_events_recent(
        kind=SecurityEventKind.TWO_FACTOR_FAILED, since=settings.AXES_COOLOFF_TIME, user=user, detail="replace"
    ) >= settings.AXES_FAILURE_LIMIT


def _next(request: HttpRequest) -> str:
    from django.urls import reverse

    target = request.POST.get("next") or request.GET.get("next") or ""
    # The admin index is where the admin sends everyone it asks to log in: no page anyone chose, so staff land
    # where a login without a chosen page does (the work queue).
    chosen = target != reverse("admin:index")
    if chosen and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return login_landing(request.user) if request.user.is_staff else "/"


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _verify(user, code: str):
    """The device that accepts `code`: the app's six digits, else a recovery code (used up by this)."""
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            is_app = isinstance(device, TOTPDevice)
            if is_app != (len(code) == 6 and code.isdigit()):
                continue
            if device.verify_token(code):
                return device
    return None


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if replacing and not user.is_verified():
        return redirect("accounts:two_factor_verify")
    # One pending device per account, so that reloading the page keeps the key the app may already hold.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name=_("Authenticator app"), confirmed=False
    )
    form = ReplaceForm(request.POST or None, user=user) if replacing else CodeForm(request.POST or None)
    if request.method == "POST" and replacing and _replace_refused(user):
        form.is_valid()
        form.add_error(None, _("Too many wrong tries. For your security, please wait a few minutes and try again."))
    elif request.method == "POST" and form.is_valid():
        refusal = totp_refusal(device, form.cleaned_data["code"])
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            request.session[HAS_DEVICE] = True
            codes = recovery_codes_create(user=user)
            # Sessions opened before, in other browsers, had no second factor (or the old one): they end now.
            user_sessions_end_others(request=request)
            detail = "replaced; other sessions ended" if replacing else "other sessions ended"
            security_record(SecurityEventKind.TWO_FACTOR_ADDED, request=request, detail=detail)
            security_record(SecurityEventKind.RECOVERY_CODES, request=request)
            return render(request, "members/two_factor/recovery_codes.html", {"codes": codes, "next": _next(request)})
        security_record(SecurityEventKind.TWO_FACTOR_FAILED, request=request, detail="setup")
        form.add_error("code", refusal)
    elif request.method == "POST" and replacing and form.errors.keys() & {"password", "current"}:
        security_record(SecurityEventKind.TWO_FACTOR_FAILED, request=request, detail="replace")
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next(request),
        "required": user.is_staff,
        "replacing": replacing,
        # The second factor is optional for coordinators: they may leave the set-up for later. Staff must set it
        # up before anything else, so their only way off the page is to log out.
        "dashboard": None if user.is_staff else login_landing(user),
    }
    return render(request, "members/two_factor/setup.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return HttpResponseRedirect(_next(request))
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        refusal, app = None, None
        if len(code) == 6 and code.isdigit():
            # The app's code: checked on its own, so that a refusal can say why (a pause, expired, the clock); under
            # the app's row lock, as django-otp does, so that two requests never both take one code.
            with transaction.atomic():
                app = TOTPDevice.objects.select_for_update().filter(user=request.user, confirmed=True).first()
                refusal = totp_refusal(app, code) if app is not None else None
        if app is not None:
            device = app if refusal is None else None
        else:
            device = _verify(request.user, code)
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = StaticToken.objects.filter(device=device).count()
                security_record(SecurityEventKind.RECOVERY_CODE_USED, request=request, detail=f"{left} left")
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d are left. Create new ones under “Two-factor login” if you are running low.")
                    % {"left": left},
                )
            return HttpResponseRedirect(_next(request))
        security_record(SecurityEventKind.TWO_FACTOR_FAILED, request=request)
        form.add_error(
            "code",
            refusal or _("This code is not right, or it was already used. Enter the code the app shows now, or one of your recovery codes."),
        )
    context = {"form": form, "next": _next(request), "staff_account": request.user.is_staff or request.user.is_superuser}
    return render(request, "members/two_factor/verify.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def two_factor_overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "app": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
        "codes_left": StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE).count(),
        "can_remove": not user.is_staff,
    }
    return render(request, "members/two_factor/overview.html", context)


@login_required
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        raise PermissionDenied
    codes = recovery_codes_create(user=request.user)
    security_record(SecurityEventKind.RECOVERY_CODES, request=request)
    return render(request, "members/two_factor/recovery_codes.html", {"codes": codes, "next": "/"})


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    # Optional for coordinators only; staff must keep theirs (a superuser can reset it in the admin).
    if request.user.is_staff or not request.user.is_verified():
        raise PermissionDenied
    for device in devices_for_user(request.user, confirmed=None):
        device.delete()
    request.session[HAS_DEVICE] = False
    security_record(SecurityEventKind.TWO_FACTOR_REMOVED, request=request)
    messages.success(request, _("Two-factor login is switched off for your account."))
    return redirect("accounts:two_factor")
