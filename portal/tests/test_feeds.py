"""The Atom feeds: a member's news, the reports feed's order, the joint member's sentence, text sent as text."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from actionplan.tests.factories import ActionPlanFactory, MeasureFactory, MeasureUpdateFactory
from members.models import MemberKind, MemberStatus
from members.tests.factories import MemberFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db
NS = {"a": "http://www.w3.org/2005/Atom"}


def entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall("a:entry", NS)


def test_it_gives_each_member_a_news_feed_of_measures_entries_and_reports(client, dresden, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[2], title="Beratungsstelle", description="<b>fett</b>")
    MeasureUpdateFactory(measure=measure, date=timezone.localdate() - dt.timedelta(days=2), text="Eröffnet.")
    MeasureUpdateFactory(measure=measure, date=dt.date(2030, 1, 1), text="Angeblich 2030")  # never shown
    internal = MeasureFactory(plan=plan, commitment=commitments[2], title="Intern", is_public=False)
    MeasureUpdateFactory(measure=internal, text="Interner Vermerk")
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now(), summary="Bericht veröffentlicht")
    ReportFactory(member=dresden, status=ReportStatus.DRAFT, summary="Entwurf")
    with django_assert_max_num_queries(6) as few:
        client.get("/feeds/de/members/dresden/")
    for i in range(30):  # more of everything costs no more queries
        MeasureUpdateFactory(measure=MeasureFactory(plan=plan, commitment=commitments[i % 10]), date=dt.date(2020, 1, 1))
        ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=timezone.now() - dt.timedelta(days=400 + i),
                      period_start=dt.date(1990 + i, 1, 1), period_end=dt.date(1990 + i, 12, 31))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(entries(client.get("/feeds/de/members/dresden/"))) == 50
    for extra in plan.measures.exclude(title__in=["Beratungsstelle", "Intern"]):
        extra.delete()
    dresden.reports.filter(period_start__year__lt=2021).delete()
    response = client.get("/feeds/de/members/dresden/")
    items = entries(response)
    titles = [e.find("a:title", NS).text for e in items]
    texts = [e.find("a:summary", NS).text for e in items if e.find("a:summary", NS) is not None]
    assert len(items) == 3
    assert "Neue Maßnahme: Beratungsstelle" in titles and "Aktualisierung: Beratungsstelle" in titles
    assert "Eröffnet." in texts and "Bericht veröffentlicht" in texts
    body = response.content.decode()
    assert "Intern" not in body and "Angeblich 2030" not in body and "Entwurf" not in body
    # User text is text: the markup arrives escaped, declared as text, never as HTML.
    summary = next(e.find("a:summary", NS) for e in items if e.find("a:title", NS).text.startswith("Neue Maßnahme"))
    assert summary.get("type") == "text" and summary.text == "<b>fett</b>"
    assert 'type="html"' not in body


def test_it_links_the_news_feed_from_the_member_page(client, dresden):
    body = client.get("/de/members/dresden/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in body and 'href="/feeds/de/members/dresden/"' in body


def test_it_has_no_feed_for_an_applicant(client, db):
    MemberFactory(slug="bewerberstadt", status=MemberStatus.APPLICANT)
    assert client.get("/feeds/de/members/bewerberstadt/").status_code == 404
    assert client.get("/feeds/de/members/unbekannt/").status_code == 404


def test_it_lists_reports_newest_first_and_those_without_a_date_last(client, dresden):
    now = timezone.now()
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=None, title="Ohne Datum",
                  period_start=dt.date(2015, 1, 1), period_end=dt.date(2016, 12, 31))
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=now - dt.timedelta(days=30), title="Älter",
                  period_start=dt.date(2019, 1, 1), period_end=dt.date(2020, 12, 31))
    ReportFactory(member=dresden, status=ReportStatus.PUBLISHED, published_at=now, title="Neu",
                  period_start=dt.date(2021, 1, 1), period_end=dt.date(2022, 12, 31))
    items = entries(client.get("/feeds/de/reports/"))
    periods = [e.find("a:title", NS).text.split(": ")[1] for e in items]
    assert periods == ["01.01.2021 – 31.12.2022", "01.01.2019 – 31.12.2020", "01.01.2015 – 31.12.2016"]


@pytest.mark.parametrize(
    ("lang", "joint", "single"),
    [("de", "sind ECCAR gemeinsam beigetreten", "ist ECCAR beigetreten"), ("en", "joined ECCAR together", "joined ECCAR:")],
)
def test_it_writes_the_joint_members_sentence_in_the_plural(client, db, lang, joint, single):
    MemberFactory(name="Stadt Ratzeburg und Amt Lauenburgische Seen", kind=MemberKind.JOINT, country="DE", admitted_on=dt.date(2024, 1, 1))
    MemberFactory(name="Stadt Heilbronn", kind=MemberKind.CITY, country="DE", admitted_on=dt.date(2023, 1, 1))
    items = entries(client.get(f"/feeds/{lang}/members/"))
    summaries = {e.find("a:title", NS).text: e.find("a:summary", NS).text for e in items}
    assert joint in summaries["Stadt Ratzeburg und Amt Lauenburgische Seen"]
    assert single in summaries["Stadt Heilbronn"]
    assert ("Deutschland" if lang == "de" else "Germany") in summaries["Stadt Heilbronn"]  # a name, not "DE"
