from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_it_translates_every_german_string():
    po = polib.pofile(str(LOCALE / "de/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert untranslated == []


def test_it_ships_compiled_catalogues_matching_the_sources():
    for lang in ("de", "en"):
        po = polib.pofile(str(LOCALE / f"{lang}/LC_MESSAGES/django.po"))
        mo = polib.mofile(str(LOCALE / f"{lang}/LC_MESSAGES/django.mo"))
        compiled = {e.msgid: e.msgstr for e in mo if e.msgid}
        for entry in po.translated_entries():
            if not entry.msgid_plural:
                assert compiled.get(entry.msgid) == entry.msgstr, f"{lang}: recompile the catalogue ({entry.msgid!r})"


# The README's glossary: one German word per thing. These are the words it retired.
RETIRED_GERMAN = {
    "Historie": "Änderungsverlauf",
    "ausmuster": "zurückziehen",
    "ausgemustert": "zurückgezogen",
    "Hauptkoordination": "Hauptkoordinator/in",
}


def test_it_follows_the_glossary_in_german():
    po = polib.pofile(str(LOCALE / "de/LC_MESSAGES/django.po"))
    offending = [
        (word, entry.msgid)
        for entry in po
        if not entry.obsolete
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        for word in RETIRED_GERMAN
        if word.lower() in text.lower()
    ]
    assert offending == []


def test_it_calls_the_history_of_changes_aenderungsverlauf_and_the_timeline_verlauf():
    po = polib.pofile(str(LOCALE / "de/LC_MESSAGES/django.po"))
    by_id = {entry.msgid: entry.msgstr for entry in po if not entry.obsolete}
    assert by_id["History"] == "Änderungsverlauf"
    assert by_id["Timeline"] == "Verlauf"
    assert by_id["timeline entry"] == "Verlaufseintrag"
