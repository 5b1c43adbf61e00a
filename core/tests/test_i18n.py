"""German names in a sentence: "Aktionsplan der Landeshauptstadt Dresden", never "von Landeshauptstadt Dresden"."""

import pytest
from django.utils import translation

from core.i18n import of_name


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
