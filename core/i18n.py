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


# German municipality names start with a noun that takes an article: "der Landeshauptstadt Dresden",
# "für das Amt Lauenburgische Seen", "zum Kreis Heilbronn". A bare place name takes none: "von Heilbronn".
_GENDERS = {
    "Stadt": "f", "Landeshauptstadt": "f", "Hansestadt": "f", "Kreisstadt": "f", "Bundesstadt": "f",
    "Universitätsstadt": "f", "Gemeinde": "f", "StädteRegion": "f", "Region": "f", "Städteregion": "f",
    "Amt": "n",
    "Kreis": "m", "Landkreis": "m",
}
# Per case: genitive ("der Antrag der Stadt X"), "für" + accusative, "zu" + dative (contracted).
_ARTICLES = {
    "of": {"f": "der {head}", "n": "des {head}es", "m": "des {head}es"},
    "for": {"f": "für die {head}", "n": "für das {head}", "m": "für den {head}"},
    "to": {"f": "zur {head}", "n": "zum {head}", "m": "zum {head}"},
}
_BARE = {"of": "von {name}", "for": "für {name}", "to": "zu {name}"}


def _with_article(case: str, name: str) -> str:
    if is_english():
        return f"{case} {name}"
    phrases = []
    for part in name.split(" und "):
        head, _, rest = part.partition(" ")
        if head not in _GENDERS or not rest:
            return _BARE[case].format(name=name)
        phrases.append(_ARTICLES[case][_GENDERS[head]].format(head=head) + f" {rest}")
    if case != "of":
        # "für die Stadt Ratzeburg und das Amt …": the preposition is said once.
        preposition = "für " if case == "for" else ""
        phrases = [phrases[0]] + [p.removeprefix(preposition) for p in phrases[1:]]
    return " und ".join(phrases)


def of_name(name: str) -> str:
    """ "of Dresden" in the page's language: "der Landeshauptstadt Dresden", "von Heilbronn", "of Heilbronn"."""
    return _with_article("of", str(name))


def for_name(name: str) -> str:
    """ "for Dresden": "für die Landeshauptstadt Dresden", "für das Amt …", "für Heilbronn", "for Heilbronn"."""
    return _with_article("for", str(name))


def to_name(name: str) -> str:
    """ "to Dresden": "zur Landeshauptstadt Dresden", "zum Amt …", "zu Heilbronn", "to Heilbronn"."""
    return _with_article("to", str(name))
