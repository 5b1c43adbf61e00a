from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "de").startswith("en")


def in_language(de: str, en: str) -> str:
    """The English text on English pages, the German one otherwise (German is the default)."""
    return en if is_english() else de


# The portal's two languages, each named in itself: for a user's language and the language a text is written in.
LANGUAGE_CHOICES = [("de", "Deutsch"), ("en", "English")]


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
