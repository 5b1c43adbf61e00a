"""The public page of one measure (/<lang>/members/<slug>/measures/<id>/) and the links that lead to it."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import timezone

from actionplan.models import MeasureStatus
from actionplan.tests.factories import (
    ActionPlanFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MeasureUpdateFactory,
)
from members.models import MemberStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(dresden, commitments, staff):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(
        plan=plan,
        commitment=commitments[2],
        title="Beratungsstelle gegen Diskriminierung",
        description="Eine unabhängige Beratung für Betroffene.",
        responsible_unit="Büro der Integrations- und Ausländerbeauftragten",
        partners="Antidiskriminierungsbüro Sachsen e. V.",
        status=MeasureStatus.IN_PROGRESS,
        progress=60,
        start_date=dt.date(2024, 3, 1),
        end_date=dt.date(2026, 12, 31),
    )
    MeasureUpdateFactory(measure=measure, date=dt.date(2025, 5, 2), text="Zweite Stelle besetzt.", status_change=MeasureStatus.IN_PROGRESS)
    MeasureUpdateFactory(measure=measure, date=dt.date(2024, 3, 1), text="Beratung eröffnet.")
    MeasureUpdateFactory(measure=measure, date=timezone.localdate() + dt.timedelta(days=30), text="Angekündigt für später")
    indicator = IndicatorFactory(plan=plan, commitment=commitments[2], measure=measure, name="Beratungsfälle pro Jahr")
    IndicatorValueFactory(indicator=indicator, date=dt.date(2025, 1, 1), value=Decimal("70"))
    IndicatorFactory(plan=plan, commitment=commitments[2], measure=measure, name="Verborgene Kennzahl", is_public=False)
    MeasureFactory(plan=plan, commitment=commitments[2], title="Schulungen für Verwaltung")
    MeasureFactory(plan=plan, commitment=commitments[7], title="Kulturfest")
    MeasureFactory(plan=plan, commitment=commitments[2], title="Geheime Interna", is_public=False)
    MeasureFactory(plan=plan, commitment=commitments[2], title="Alte Maßnahme").retire(by=staff)
    return plan


def measure_of(plan, title):
    return plan.measures.get(title=title)


def url_of(measure, lang="de", slug="dresden"):
    return f"/{lang}/members/{slug}/measures/{measure.pk}/"


def test_it_shows_the_measure_with_its_facts_timeline_and_indicators_in_german(client, plan):
    measure = measure_of(plan, "Beratungsstelle gegen Diskriminierung")
    response = client.get(url_of(measure))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1" in body and "Beratungsstelle gegen Diskriminierung" in body
    assert "Eine Maßnahme der Landeshauptstadt Dresden" in body
    assert 'href="/de/commitments/3/"' in body
    assert "Büro der Integrations- und Ausländerbeauftragten" in body and "Antidiskriminierungsbüro Sachsen e. V." in body
    assert "01.03.2024" in body and "31.12.2026" in body and 'value="60"' in body
    # The public timeline, newest first, never an entry dated in the future.
    assert body.index("Zweite Stelle besetzt.") < body.index("Beratung eröffnet.")
    assert "Angekündigt für später" not in body
    # Its public indicators with their chart and values; not the internal one.
    assert "Beratungsfälle pro Jahr" in body and 'class="line-chart"' in body and "Verborgene Kennzahl" not in body
    # The member's other public measures under the same commitment, linked; nothing internal, retired or elsewhere.
    other = measure_of(plan, "Schulungen für Verwaltung")
    assert f'href="/de/members/dresden/measures/{other.pk}/"' in body
    assert "Kulturfest" not in body and "Geheime Interna" not in body and "Alte Maßnahme" not in body
    # Breadcrumb back to the member page, a canonical address, meta description and Open Graph.
    assert '<li class="breadcrumb-item"><a href="/de/members/dresden/">Landeshauptstadt Dresden</a></li>' in body
    assert f'<link rel="canonical" href="http://testserver/de/members/dresden/measures/{measure.pk}/">' in body
    assert '<meta property="og:title" content="Beratungsstelle gegen Diskriminierung – Landeshauptstadt Dresden">' in body
    assert re.search(r'<meta name="description" content="Eine Maßnahme der Landeshauptstadt Dresden unter Verpflichtung 3', body)
    assert '<meta property="og:description" content="Eine Maßnahme der Landeshauptstadt Dresden' in body


def test_it_shows_the_measure_in_english(client, plan):
    measure = measure_of(plan, "Beratungsstelle gegen Diskriminierung")
    body = client.get(url_of(measure, "en")).content.decode()
    assert '<html lang="en">' in body
    assert "A measure of Landeshauptstadt Dresden" in body and "Timeline" in body and "Responsible unit" in body
    assert '<time datetime="2024-03-01">' in body
    # The member's text keeps its language, and says so.
    assert '<span lang="de">Beratungsstelle gegen Diskriminierung</span>' in body
    assert f'<link rel="canonical" href="http://testserver/en/members/dresden/measures/{measure.pk}/">' in body


def test_it_says_so_when_there_is_no_timeline_or_other_measure(client, dresden, commitments):
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0], progress=None)
    body = client.get(url_of(measure, "en")).content.decode()
    assert "No timeline entry yet." in body
    assert "The member has no other public measure under this commitment." in body
    assert "not stated" in body


@pytest.mark.parametrize("title", ["Geheime Interna", "Alte Maßnahme"])
@pytest.mark.parametrize("persona", [None, "outsider", "dresden_editor", "dresden_lead", "bare_staff", "staff"])
def test_it_gives_404_for_internal_and_retired_measures_to_everyone(client, plan, request, persona, title):
    # The member page shows public measures only, to coordinators as well: so does this page.
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.get(url_of(measure_of(plan, title))).status_code == 404


@pytest.mark.parametrize("persona", [None, "outsider", "dresden_editor", "dresden_lead", "bare_staff", "staff"])
def test_it_shows_a_public_measure_to_everyone(client, plan, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(url_of(measure_of(plan, "Beratungsstelle gegen Diskriminierung"), "en"))
    assert response.status_code == 200 and "Beratungsfälle pro Jahr" in response.content.decode()


@pytest.mark.parametrize("persona", [None, "outsider", "dresden_lead", "staff"])
def test_it_refuses_a_post_without_failing(client, plan, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.post(url_of(measure_of(plan, "Beratungsstelle gegen Diskriminierung")), {"title": "Anders"})
    assert response.status_code == 405
    assert measure_of(plan, "Beratungsstelle gegen Diskriminierung").title == "Beratungsstelle gegen Diskriminierung"


def test_it_gives_404_for_another_members_measure_and_unknown_addresses(client, plan, duesseldorf, commitments):
    theirs = MeasureFactory(plan=ActionPlanFactory(member=duesseldorf), commitment=commitments[0])
    assert client.get(url_of(theirs, slug="dresden")).status_code == 404
    assert client.get(url_of(theirs, slug="duesseldorf")).status_code == 200
    assert client.get("/de/members/dresden/measures/999999/").status_code == 404
    assert client.get(f"/de/members/nowhere/measures/{theirs.pk}/").status_code == 404
    assert client.get("/en/members/dresden/measures/abc/").status_code == 404


def test_it_gives_404_for_the_measures_of_an_applicant_even_to_its_coordinator(client, dresden, dresden_lead, commitments):
    dresden.status = MemberStatus.APPLICANT
    dresden.save()
    measure = MeasureFactory(plan=ActionPlanFactory(member=dresden), commitment=commitments[0])
    assert client.get(url_of(measure)).status_code == 404
    client.force_login(dresden_lead)
    # Its member page shows the coordinator no measure; neither does this one.
    assert client.get("/de/members/dresden/").status_code == 200
    assert client.get(url_of(measure)).status_code == 404


def test_it_keeps_the_query_count_flat(client, dresden, commitments, django_assert_max_num_queries):
    plan = ActionPlanFactory(member=dresden)
    measure = MeasureFactory(plan=plan, commitment=commitments[0])
    for i in range(4):
        MeasureFactory(plan=plan, commitment=commitments[i % 2])
    indicator = IndicatorFactory(plan=plan, commitment=commitments[0], measure=measure)
    IndicatorValueFactory(indicator=indicator)
    MeasureUpdateFactory(measure=measure, date=dt.date(2024, 1, 1))
    with django_assert_max_num_queries(8) as few:  # member, measure, timeline, indicators, values, siblings; the savepoint and its release
        assert client.get(url_of(measure)).status_code == 200
    for i in range(45):
        MeasureFactory(plan=plan, commitment=commitments[0])
    for i in range(60):
        MeasureUpdateFactory(measure=measure, date=dt.date(2020, 1, 1) + dt.timedelta(days=i))
    for i in range(3):
        extra = IndicatorFactory(plan=plan, commitment=commitments[0], measure=measure)
        for j in range(5):
            IndicatorValueFactory(indicator=extra)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url_of(measure))
    assert response.content.decode().count('class="border-start ps-3 mb-3"') == 61


def test_it_links_the_member_pages_measure_titles_to_their_pages(client, plan):
    measure = measure_of(plan, "Beratungsstelle gegen Diskriminierung")
    for lang in ("de", "en"):
        body = client.get(f"/{lang}/members/dresden/").content.decode()
        assert f'href="/{lang}/members/dresden/measures/{measure.pk}/"' in body
        # A recent timeline entry leads to that entry on the measure's page.
        entry = measure.updates.get(text="Zweite Stelle besetzt.")
        assert f'href="/{lang}/members/dresden/measures/{measure.pk}/#entry-{entry.pk}"' in body


def test_it_links_the_library_to_the_measure_pages(client, plan):
    measure = measure_of(plan, "Beratungsstelle gegen Diskriminierung")
    body = client.get("/de/commitments/3/").content.decode()
    assert f'href="/de/members/dresden/measures/{measure.pk}/"' in body
    body = client.get("/en/commitments/3/?q=Beratungsstelle").content.decode()
    assert f'href="/en/members/dresden/measures/{measure.pk}/"' in body


def test_it_links_a_search_hit_in_a_measure_to_its_page(client, plan):
    measure = measure_of(plan, "Beratungsstelle gegen Diskriminierung")
    body = client.get("/de/members/?q=Beratungsstelle").content.decode()
    assert f'<a href="/de/members/dresden/measures/{measure.pk}/" lang="de">' in body


def test_it_links_the_feed_entries_to_the_measure_pages(client, plan):
    measure = measure_of(plan, "Beratungsstelle gegen Diskriminierung")
    feed = ET.fromstring(client.get("/feeds/de/members/dresden/").content)
    links = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    page = f"http://testserver/de/members/dresden/measures/{measure.pk}/"
    assert page in links
    entry = measure.updates.get(text="Zweite Stelle besetzt.")
    assert f"{page}#entry-{entry.pk}" in links
    assert not any("#measure-" in (link or "") for link in links)


def test_it_links_the_comparison_and_the_similar_page_to_the_measure_pages(client, plan, duesseldorf, commitments):
    theirs = MeasureFactory(plan=ActionPlanFactory(member=duesseldorf), commitment=commitments[2], title="Beratung Düsseldorf")
    IndicatorFactory(plan=theirs.plan, commitment=commitments[2], measure=theirs, name="Fälle Düsseldorf")
    measure = measure_of(plan, "Beratungsstelle gegen Diskriminierung")
    body = client.get("/en/compare/?members=dresden&members=duesseldorf").content.decode()
    assert f'href="/en/members/dresden/measures/{measure.pk}/"' in body
    assert f'href="/en/members/duesseldorf/measures/{theirs.pk}/"' in body


def test_it_lists_the_measure_pages_in_the_sitemap(client, plan):
    measure = measure_of(plan, "Beratungsstelle gegen Diskriminierung")
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-measures.xml" in index
    body = client.get("/sitemap-measures.xml").content.decode()
    assert f"http://testserver/de/members/dresden/measures/{measure.pk}/" in body
    assert f'hreflang="en" href="http://testserver/en/members/dresden/measures/{measure.pk}/"' in body
    internal = measure_of(plan, "Geheime Interna")
    retired = measure_of(plan, "Alte Maßnahme")
    assert f"/measures/{internal.pk}/" not in body and f"/measures/{retired.pk}/" not in body


def test_it_documents_measure_url_on_the_open_data_page(client, db):
    for lang, text in [("en", "The measure&#x27;s own page on the portal."), ("de", "Die eigene Seite der Maßnahme im Portal.")]:
        body = client.get(f"/{lang}/open-data/").content.decode()
        assert "measure_url" in body and text in body
