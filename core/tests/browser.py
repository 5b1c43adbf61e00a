"""Helpers shared by the browser tests: axe-core checks and screenshots."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
_axe = Axe()

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} – {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]
    ]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def enter_second_factor(page, username: str) -> None:
    """Finish a staff login in the browser: the authenticator app's code, computed here from the account's key."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from members.models import User

    if "/two-factor/verify/" not in page.url:
        return

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    clock = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    # A code is accepted once: a second login within the same 30 s uses the next step (within the tolerance),
    # a third a one-time recovery code.
    drift = max(0, (device.last_t or -1) - clock.t() + 1)
    if drift <= device.tolerance:
        clock.drift = drift
        code = f"{clock.token():06d}"
    else:
        static, _ = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
        code = static.token_set.create(token=f"t{static.token_set.count():07d}").token
    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def give_app(username: str) -> None:
    """A confirmed authenticator app for a staff account, so that its browser login asks for the code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from members.models import User

    user = User.objects.get(username=username)
    if user.is_staff:
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "App"})
