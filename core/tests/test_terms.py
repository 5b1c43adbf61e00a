"""One name for the secretariat in every German text of the portal."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_it_calls_the_secretariat_by_one_name_in_german():
    other_names = ("Geschäftsstelle", "Koordinierungsstelle", "Verwaltungsstelle")
    entries = [e for e in polib.pofile(str(LOCALE)) if "secretariat" in e.msgid.lower()]
    assert entries  # the English texts say "secretariat"…
    for entry in entries:
        text = entry.msgstr or " ".join(entry.msgstr_plural.values())
        assert "Sekretariat" in text, entry.msgid  # …and the German ones "Sekretariat", always
        assert not any(name in text for name in other_names), entry.msgid
