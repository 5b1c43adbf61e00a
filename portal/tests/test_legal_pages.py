"""A legal page still holding its placeholder never shows it: it says the fact is not yet provided."""

import pytest
from django.core.checks import run_checks

from members.models import SitePage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "placeholder", "shown"),
    [("de", "trägt das Sekretariat hier ein", "Noch nicht hinterlegt"), ("en", "The secretariat enters", "Not yet provided")],
)
def test_it_never_shows_the_placeholder_of_the_imprint(client, lang, placeholder, shown):
    body = client.get(f"/{lang}/imprint/").content.decode()
    assert placeholder not in body and shown in body
    # The paragraphs that are real text stay.
    assert ("Die Inhalte der Mitgliedsseiten" if lang == "de" else "The members are responsible") in body


def test_it_keeps_the_real_text_of_the_accessibility_statement_and_hides_only_the_placeholder(client):
    body = client.get("/de/accessibility/").content.decode()
    assert "Stand der Vereinbarkeit" in body and "das Sekretariat trägt sie hier ein" not in body
    assert body.count("Noch nicht hinterlegt") == 1


def test_it_shows_the_text_once_the_secretariat_has_entered_it(client):
    SitePage.objects.filter(key="imprint").update(
        body_de="Europäische Städtekoalition gegen Rassismus\n\nAnschrift: Marktplatz 10, 69117 Heidelberg",
        body_en="European Coalition of Cities against Racism\n\nAddress: Marktplatz 10, 69117 Heidelberg",
    )
    body = client.get("/de/imprint/").content.decode()
    assert "Marktplatz 10" in body and "Noch nicht hinterlegt" not in body


def test_it_warns_in_production_about_every_page_that_holds_a_placeholder(settings):
    settings.PRODUCTION = False
    assert not [m for m in run_checks() if m.id == "portal.W001"]
    settings.PRODUCTION = True
    warnings = [m for m in run_checks() if m.id == "portal.W001"]
    assert len(warnings) == 2  # the imprint and the accessibility statement; the privacy text is complete
    SitePage.objects.filter(key="imprint").update(body_de="Anschrift: Heidelberg", body_en="Address: Heidelberg")
    assert len([m for m in run_checks() if m.id == "portal.W001"]) == 1
