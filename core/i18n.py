from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import user_passes_test
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_POST


def is_english() -> bool:
    return (get_language() or "de").startswith("en")


def in_language(de: str, en: str) -> str:
    """The English text on English pages, the German one otherwise (German is the default)."""
    return en if is_english() else de


# The portal's two languages, each named in itself: for a user's language and the language a text is written in.
LANGUAGE_CHOICES = [("de", "Deutsch"), ("en", "English")]


def _is_admin_path(request: HttpRequest) -> bool:
    return request.path_info.startswith(reverse("admin:index"))


def staff_language(get_response: Callable[[HttpRequest], HttpResponse]):
    """The admin in the language of the person using it (their account's language, which the switch in the admin's
    header sets), whatever the browser asks for: one page is never English in one request and German in the next.
    The portal's own pages keep the language of their address (/de/, /en/). After AuthenticationMiddleware."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if _is_admin_path(request) and user is not None and user.is_authenticated:
            language = getattr(user, "language", "")
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return get_response(request)

    return middleware


@require_POST
@user_passes_test(lambda user: user.is_active and user.is_staff)
def admin_language(request: HttpRequest) -> HttpResponse:
    """The admin header's language switch: the account's language (also that of the mails it gets), then back."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and getattr(request.user, "language", None) != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("admin:index")
    return HttpResponseRedirect(target)


# German municipality names start with a noun that takes an article in the genitive: "der Landeshauptstadt
# Dresden", "des Amtes Lauenburgische Seen". A bare place name takes "von": "von Heilbronn".
_GENITIVE_HEADS = {
    "Stadt": "der Stadt",
    "Landeshauptstadt": "der Landeshauptstadt",
    "Hansestadt": "der Hansestadt",
    "Kreisstadt": "der Kreisstadt",
    "Bundesstadt": "der Bundesstadt",
    "Universitätsstadt": "der Universitätsstadt",
    "Gemeinde": "der Gemeinde",
    "StädteRegion": "der StädteRegion",
    "Region": "der Region",
    "Amt": "des Amtes",
    "Kreis": "des Kreises",
    "Landkreis": "des Landkreises",
}


def _german_genitive(name: str) -> str | None:
    head, _, rest = name.partition(" ")
    if head in _GENITIVE_HEADS and rest:
        return f"{_GENITIVE_HEADS[head]} {rest}"
    return None


def of_name(name: str) -> str:
    """ "of Dresden" in the page's language: "der Landeshauptstadt Dresden", "von Heilbronn", "of Heilbronn"."""
    if is_english():
        return f"of {name}"
    parts = name.split(" und ")
    genitives = [_german_genitive(part) for part in parts]
    if all(genitives):
        return " und ".join(genitives)
    return f"von {name}"
