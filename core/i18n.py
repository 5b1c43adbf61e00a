from django.conf import settings
from django.contrib.auth.decorators import user_passes_test
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
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


@require_POST
@user_passes_test(lambda user: user.is_active and user.is_staff)
def admin_language(request: HttpRequest) -> HttpResponse:
    """The admin header's language switch, then back to the same page. The admin (whose addresses carry no
    language) follows Django's language cookie, set here, before the browser's Accept-Language; the account's
    language (that of the mails it gets) is set with it."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("admin:index")
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        if getattr(request.user, "language", None) != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


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
