"""Why an authenticator code was refused, in words that match the cause.

django-otp answers only yes or no. A no can mean a wrong code, a code typed during the short pause that follows
a wrong try (throttling: 1, 2, 4 … seconds), a code already used, a code that expired, or a phone whose clock is
off. Each calls for something else from the person, so each gets its own message.
"""

from __future__ import annotations

import math
import time

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import VerifyNotAllowed
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

# How far (in 30-second steps) a code is looked for outside the accepted window, to tell an expired code or a
# wrong clock from a wrong code: ten minutes either way.
SEARCH_STEPS = 20
# A code this many steps old (beyond the tolerance) was typed too late; older or ahead, the clock is off.
EXPIRED_STEPS = 4


def _wait_seconds(device: TOTPDevice) -> int:
    allowed, info = device.verify_is_allowed()
    if allowed or not info or info.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return 0
    return max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


def _wait_text(seconds: int) -> str:
    return ngettext(
        "After a wrong try, please wait %(seconds)d second before you try again.",
        "After a wrong try, please wait %(seconds)d seconds before you try again.",
        seconds,
    ) % {"seconds": seconds}


def _step_offset(device: TOTPDevice, code: str) -> int | None:
    """The step (relative to now) whose code `code` is, within SEARCH_STEPS; None when it is no code of this app."""
    if not (code.isdigit() and len(code) == device.digits):
        return None
    token = int(code)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now = totp.t()
    for offset in sorted(range(-SEARCH_STEPS, SEARCH_STEPS + 1), key=abs):
        if hotp(device.bin_key, now + offset, digits=device.digits) == token:
            return offset
    return None


def totp_refusal(device: TOTPDevice, code: str) -> str | None:
    """Check `code` against the app `device`: None when accepted (and used up), else the message saying why not."""
    waiting = _wait_seconds(device)
    if waiting:
        # verify_token would refuse without looking at the code: say so, or a right code looks wrong.
        return _("This code was not checked yet.") + " " + _wait_text(waiting)
    if device.verify_token(code):
        return None
    offset = _step_offset(device, code)
    wait = _wait_text(_wait_seconds(device) or 1)
    if offset is None:
        return _("This code is not right. Enter the six digits the app shows now for the ECCAR Portal.") + " " + wait
    if abs(offset) <= device.tolerance:
        return _("This code was already used. Wait until the app shows the next code and enter that one.") + " " + wait
    if -EXPIRED_STEPS <= offset < 0:
        return _("This code has expired: the app shows a new code every 30 seconds. Enter the code it shows now.") + " " + wait
    minutes = max(1, round(abs(offset) * device.step / 60))
    return (
        ngettext(
            "This code belongs to a time about %(minutes)d minute away from now: the clock of your phone is off. Set it to the automatic time and enter the code the app shows then.",
            "This code belongs to a time about %(minutes)d minutes away from now: the clock of your phone is off. Set it to the automatic time and enter the code the app shows then.",
            minutes,
        )
        % {"minutes": minutes}
        + " "
        + wait
    )
