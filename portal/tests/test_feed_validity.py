"""Every Atom feed is valid RFC 4287: the schema of its Appendix B, an author, `updated` on every entry, one `<id>`
per address, entries dated by what happened, the language named by the address and the old addresses moved."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from lxml import etree

from actionplan.models import Measure
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}
# RFC 4287 Appendix B, converted once to the XML syntax (its source is named at the top of the file).
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("atom.rng"))))
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def news(dresden, duesseldorf, commitments):
    """A member with every kind of news (measures, timeline entries, reports) and one with none."""
    with time_machine.travel(dt.datetime(2024, 3, 1, 9, tzinfo=BERLIN), tick=False):
        plan = ActionPlanFactory(member=dresden)
        measure = MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle", is_public=False)
    with time_machine.travel(dt.datetime(2024, 4, 15, 10, tzinfo=BERLIN), tick=False):
        measure.is_public = True  # published six weeks after it was written down
        measure.save()
    with time_machine.travel(dt.datetime(2025, 2, 1, 8, tzinfo=BERLIN), tick=False):
        entry = MeasureUpdateFactory(measure=measure, date=dt.date(2024, 11, 5), text="Eröffnet.")
        report = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, summary="Bericht",
                               published_at=dt.datetime(2025, 1, 20, 14, tzinfo=BERLIN))
        seeded_report = ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=None,
                                      period_start=dt.date(2019, 1, 1), period_end=dt.date(2020, 12, 31))
    dresden.admitted_on = dt.date(2008, 5, 1)  # joined long before its row was written
    dresden.save()
    duesseldorf.admitted_on = dt.date(2020, 1, 1)
    duesseldorf.save()
    return {"measure": measure, "entry": entry, "report": report, "seeded_report": seeded_report}


def feed_urls() -> list[str]:
    return [
        f"/feeds/{lang}/{path}"
        for lang in ("de", "en")
        for path in ("members/", "reports/", "members/dresden/", "members/duesseldorf/")
    ]


def parse(response) -> etree._Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)


def entry_by_id(feed: etree._Element, guid: str) -> etree._Element:
    return next(e for e in feed.findall("a:entry", NS) if e.findtext("a:id", namespaces=NS) == guid)


def test_it_serves_every_feed_valid_against_the_atom_schema(client, news):
    for url in feed_urls():
        feed = parse(client.get(url))
        assert SCHEMA.validate(feed), (url, str(SCHEMA.error_log))
        # The Schematron rules of the schema, which RELAX NG skips: an author for the feed (the portal, with its
        # address) and so for every entry, and each entry's link.
        author = feed.find("a:author", NS)
        assert author is not None and author.findtext("a:name", namespaces=NS), url
        assert author.findtext("a:uri", namespaces=NS) == f"http://testserver/{url.split('/')[2]}/", url
        entries = feed.findall("a:entry", NS)
        assert entries or url.endswith("duesseldorf/"), url
        for entry in entries:
            assert entry.find("a:updated", NS) is not None, url
            assert entry.find("a:link[@rel='alternate']", NS) is not None, url
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == url.split("/")[2]


def test_it_names_the_member_as_author_of_its_news_and_its_reports(client, news):
    feed = parse(client.get("/feeds/de/members/dresden/"))
    entries = feed.findall("a:entry", NS)
    assert len(entries) == 4
    assert {e.findtext("a:author/a:name", namespaces=NS) for e in entries} == {"Landeshauptstadt Dresden"}
    reports = parse(client.get("/feeds/de/reports/"))
    assert {e.findtext("a:author/a:name", namespaces=NS) for e in reports.findall("a:entry", NS)} == {"Landeshauptstadt Dresden"}
    assert reports.findtext("a:author/a:name", namespaces=NS) == "ECCAR-Portal"
    assert parse(client.get("/feeds/en/reports/")).findtext("a:author/a:name", namespaces=NS) == "ECCAR Portal"


def test_it_gives_one_id_per_address_whatever_language_the_reader_sends(client, news):
    for url in feed_urls():
        ids = {parse(client.get(url, HTTP_ACCEPT_LANGUAGE=lang)).findtext("a:id", namespaces=NS) for lang in ("de", "en", "fr")}
        ids.add(parse(client.get(url)).findtext("a:id", namespaces=NS))
        assert len(ids) == 1, (url, ids)
    # Each address its own id, and the language is the address's, not the reader's.
    assert len({parse(client.get(url)).findtext("a:id", namespaces=NS) for url in feed_urls()}) == len(feed_urls())
    english = parse(client.get("/feeds/en/members/dresden/", HTTP_ACCEPT_LANGUAGE="de"))
    assert english.findtext("a:title", namespaces=NS) == "ECCAR Portal: news from Landeshauptstadt Dresden"
    assert english.find("a:link[@rel='alternate']", NS).get("href") == "http://testserver/en/members/dresden/"


def test_it_moves_the_old_addresses_for_good_to_the_german_feeds(client, news):
    for old, new in [
        ("/feeds/members/", "/feeds/de/members/"),
        ("/feeds/reports/", "/feeds/de/reports/"),
        ("/feeds/members/dresden/", "/feeds/de/members/dresden/"),
    ]:
        response = client.get(old, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 301 and response["Location"] == new, old
        assert client.post(old).status_code == 405
    assert client.get("/feeds/fr/members/").status_code == 404


def when(entry: etree._Element, name: str) -> dt.datetime | None:
    text = entry.findtext(f"a:{name}", namespaces=NS)
    return dt.datetime.fromisoformat(text) if text else None


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=BERLIN)


def test_it_dates_entries_by_what_happened_not_by_when_rows_were_written(client, news):
    members = parse(client.get("/feeds/de/members/"))
    admission = next(e for e in members.findall("a:entry", NS) if e.findtext("a:title", namespaces=NS) == "Landeshauptstadt Dresden")
    assert when(admission, "published") == noon(dt.date(2008, 5, 1))
    assert when(admission, "updated") == noon(dt.date(2008, 5, 1))

    feed = parse(client.get("/feeds/de/members/dresden/"))
    measure, entry, report = news["measure"], news["entry"], news["report"]
    first = entry_by_id(feed, f"tag:eccar-portal,2026:measure-{measure.pk}")
    # Published when its box was ticked, not when it was written down.
    assert when(first, "published") == dt.datetime(2024, 4, 15, 10, tzinfo=BERLIN)
    assert when(first, "updated") == Measure.objects.get(pk=measure.pk).updated_at
    timeline = entry_by_id(feed, f"tag:eccar-portal,2026:entry-{entry.pk}")
    assert when(timeline, "published") == noon(dt.date(2024, 11, 5))
    assert when(timeline, "updated") == noon(dt.date(2024, 11, 5))
    for xml in (feed, parse(client.get("/feeds/en/reports/"))):
        published = entry_by_id(xml, f"tag:eccar-portal,2026:report-{report.pk}")
        assert when(published, "published") == report.published_at
        assert when(published, "updated") == report.published_at
        # A report seeded from its source has no publication on the portal: the end of its period stands for it.
        seeded = entry_by_id(xml, f"tag:eccar-portal,2026:report-{news['seeded_report'].pk}")
        assert seeded.find("a:published", NS) is None
        assert when(seeded, "updated") == noon(dt.date(2020, 12, 31))
    # The feed is as new as its newest news, whenever the rows were written.
    assert when(feed, "updated") == report.published_at


def test_it_links_each_page_to_the_feeds_in_its_language(client, news):
    for lang in ("de", "en"):
        member_page = client.get(f"/{lang}/members/dresden/").content.decode()
        assert f'href="/feeds/{lang}/members/dresden/"' in member_page and f'href="/feeds/{lang}/members/"' in member_page
        assert f'href="/feeds/{lang}/reports/"' in client.get(f"/{lang}/reports/").content.decode()
        assert f'href="/feeds/{lang}/members/"' in client.get(f"/{lang}/open-data/").content.decode()
        measure_page = client.get(f"/{lang}/members/dresden/measures/{news['measure'].pk}/").content.decode()
        assert f'href="/feeds/{lang}/members/dresden/"' in measure_page


def test_it_costs_the_same_queries_for_a_member_with_more_news(client, news, commitments, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as few:
        client.get("/feeds/de/members/dresden/")
    plan = news["measure"].plan
    for i in range(60):
        MeasureUpdateFactory(measure=MeasureFactory(plan=plan, commitment=commitments[i % 10]), date=dt.date(2020, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(parse(client.get("/feeds/de/members/dresden/")).findall("a:entry", NS)) == 50


def test_it_lists_a_measure_made_public_today_even_behind_fifty_newer_ones(client, dresden, commitments):
    with time_machine.travel(dt.datetime(2023, 1, 10, 9, tzinfo=BERLIN), tick=False):
        plan = ActionPlanFactory(member=dresden)
        old = MeasureFactory(plan=plan, commitment=commitments[0], title="Lange vorbereitet", is_public=False)
    with time_machine.travel(dt.datetime(2024, 6, 1, 9, tzinfo=BERLIN), tick=False):
        for i in range(51):
            MeasureFactory(plan=plan, commitment=commitments[1], title=f"Maßnahme {i}")
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, tzinfo=BERLIN), tick=False):
        old.is_public = True
        old.save()
    titles = [e.text for e in parse(client.get("/feeds/de/members/dresden/")).findall("a:entry/a:title", NS)]
    assert titles[0] == "Neue Maßnahme: Lange vorbereitet"
