"""German text on English pages is marked: lang="de" for screen readers and a visible "(in German)" note."""

import re

import pytest

from reports.models import ImplementationReport

pytestmark = pytest.mark.django_db

# Every lang="de" in the page's content except the language switch ("Deutsch").
_GERMAN = re.compile(r'<(\w+)[^>]*\slang="de"[^>]*>(?!Deutsch</a>)')


def unmarked_german(body: str) -> list[str]:
    main = body[body.index("<main"): body.index("</main>")]
    missing = []
    for match in _GERMAN.finditer(main):
        window = main[max(0, match.start() - 1500): match.end() + 1500]  # one note per card or block
        if "language-note" not in window:
            missing.append(main[match.start(): match.end() + 80])
    return missing


def english_pages(seeded_report: ImplementationReport) -> list[str]:
    return [
        "/en/members/dresden/",
        "/en/members/ratzeburg-amt-lauenburgische-seen/",
        "/en/members/staedteregion-aachen/",
        "/en/members/heilbronn/",
        "/en/networks/",
        "/en/working-groups/",
        f"/en/reports/{seeded_report.pk}/",
    ]


def test_it_marks_every_german_text_on_the_english_pages(client, seeded):
    report = ImplementationReport.objects.published().first()
    for url in english_pages(report):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert 'lang="de"' in body[body.index("<main"):], url  # the seed's German texts are there…
        assert unmarked_german(body) == [], url  # …and each says so
        assert "(in German)" in body, url


def test_it_shows_no_note_on_the_german_pages(client, seeded):
    for url in ["/de/members/dresden/", "/de/networks/", "/de/working-groups/"]:
        assert "language-note" not in client.get(url).content.decode(), url
