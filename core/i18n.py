from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "de").startswith("en")


def in_language(de: str, en: str) -> str:
    """The English text on English pages, the German one otherwise (German is the default)."""
    return en if is_english() else de


# The portal's two languages, each named in itself: for a user's language and the language a text is written in.
LANGUAGE_CHOICES = [("de", "Deutsch"), ("en", "English")]
