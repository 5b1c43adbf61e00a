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
