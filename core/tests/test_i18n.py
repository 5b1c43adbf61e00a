"""German names in a sentence: "Aktionsplan der Landeshauptstadt Dresden", never "von Landeshauptstadt Dresden"."""

import pytest
from django.utils import translation

from core.i18n import for_name, of_name, to_name


@pytest.mark.parametrize(
    ("name", "german"),
    [
        ("Landeshauptstadt Dresden", "der Landeshauptstadt Dresden"),
        ("Stadt Heilbronn", "der Stadt Heilbronn"),
        ("StädteRegion Aachen", "der StädteRegion Aachen"),
        ("Stadt Ratzeburg und Amt Lauenburgische Seen", "der Stadt Ratzeburg und des Amtes Lauenburgische Seen"),
        ("Heilbronn", "von Heilbronn"),
        ("Stadt Ratzeburg und Mölln", "von Stadt Ratzeburg und Mölln"),  # unsure of one part: the safe form
    ],
)
def test_it_puts_a_member_name_into_the_german_genitive(name, german):
    with translation.override("de"):
        assert of_name(name) == german
    with translation.override("en"):
        assert of_name(name) == f"of {name}"


@pytest.mark.parametrize(
    ("name", "german_for", "german_to"),
    [
        ("Landeshauptstadt Dresden", "für die Landeshauptstadt Dresden", "zur Landeshauptstadt Dresden"),
        ("Amt Lauenburgische Seen", "für das Amt Lauenburgische Seen", "zum Amt Lauenburgische Seen"),
        ("Landkreis Heilbronn", "für den Landkreis Heilbronn", "zum Landkreis Heilbronn"),
        (
            "Stadt Ratzeburg und Amt Lauenburgische Seen",
            "für die Stadt Ratzeburg und das Amt Lauenburgische Seen",
            "zur Stadt Ratzeburg und zum Amt Lauenburgische Seen",
        ),
        ("Heilbronn", "für Heilbronn", "zu Heilbronn"),
    ],
)
def test_it_gives_a_member_name_its_article_after_for_and_to(name, german_for, german_to):
    with translation.override("de"):
        assert for_name(name) == german_for
        assert to_name(name) == german_to
    with translation.override("en"):
        assert for_name(name) == f"for {name}"
        assert to_name(name) == f"to {name}"


def test_it_leaves_no_german_text_with_a_bare_preposition_before_a_member_name():
    import re
    from pathlib import Path

    import polib

    catalogue = polib.pofile(str(Path(__file__).resolve().parents[2] / "locale/de/LC_MESSAGES/django.po"))
    bare = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if re.search(r"\b(von|für|zu|zum|zur)\s+%\(member\)s", text)
    ]
    assert bare == []
