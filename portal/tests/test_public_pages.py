import pytest

from actionplan.models import MeasureStatus
from actionplan.tests.factories import MeasureFactory
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("/{lang}/", {"de": "Europäische Städtekoalition gegen Rassismus", "en": "European Coalition of Cities against Racism"}),
    ("/{lang}/members/", {"de": "Mitglieder", "en": "Members"}),
    ("/{lang}/members/dresden/", {"de": "Bürgermeisteramt", "en": "Bürgermeisteramt"}),
    ("/{lang}/commitments/", {"de": "Verstärkte Wachsamkeit gegenüber Rassismus", "en": "Greater Vigilance Against Racism"}),
    ("/{lang}/commitments/3/", {"de": "Bessere Unterstützung", "en": "Better Support for the Victims"}),
    ("/{lang}/working-groups/", {"de": "Kleine Städte und ländliche Gebiete", "en": "Small Cities and Rural Areas"}),
]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(("url", "texts"), PAGES)
def test_it_renders_every_public_page_in_both_languages(client, seeded, lang, url, texts, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get(url.format(lang=lang))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{lang}">' in body
    assert texts[lang] in body
    assert 'class="skip-link"' in body


def test_it_redirects_the_root_to_the_visitors_language(client, db):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").headers["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr").headers["Location"] == "/de/"


def test_it_shows_the_seeded_facts_with_sources_on_the_member_page(client, seeded):
    body = client.get("/de/members/staedteregion-aachen/").content.decode()
    assert "November 2019" in body
    assert "verena.mohnen@staedteregion-aachen.de" in body
    assert "Quelle:" in body and "StädteRegion Aachen" in body
    body = client.get("/en/members/ratzeburg-amt-lauenburgische-seen/").content.decode()
    assert "Amt Lauenburgische Seen" in body and "Joint membership" in body
    assert "May 2024" in body
    body = client.get("/en/members/duesseldorf/").content.decode()
    for network in ["Covenant of Mayors", "EUROCITIES", "Mayors for Peace", "Strong Cities Network", "member since 2018"]:
        assert network in body


def test_it_says_not_stated_where_the_source_is_silent(client, seeded):
    body = client.get("/de/members/heilbronn/").content.decode()
    assert "nicht angegeben" in body
    assert "KommA" in body
    body = client.get("/en/members/heilbronn/").content.decode()
    assert "not stated" in body


def test_it_keeps_query_counts_flat_with_many_measures(client, seeded, django_assert_max_num_queries):
    from actionplan.models import Commitment
    from members.models import Member

    dresden = Member.objects.get(slug="dresden")
    commitments = list(Commitment.objects.all())
    for i in range(200):
        MeasureFactory(plan=dresden.plan, commitment=commitments[i % 10], status=MeasureStatus.PLANNED)
    with django_assert_max_num_queries(16):  # + indicators, their values, similar members
        response = client.get("/de/members/dresden/")
    assert response.content.decode().count('class="measure-progress"') == 200
    with django_assert_max_num_queries(10):
        client.get("/de/commitments/3/")
    for i in range(60):
        MemberFactory()
    with django_assert_max_num_queries(10):
        assert client.get("/de/members/?page=2").status_code == 200


def test_it_hides_internal_measures(client, seeded):
    from members.models import Member

    dresden = Member.objects.get(slug="dresden")
    MeasureFactory(plan=dresden.plan, title="Öffentliche Maßnahme", is_public=True)
    MeasureFactory(plan=dresden.plan, title="Interne Maßnahme", is_public=False)
    for url in ["/de/members/dresden/", "/de/commitments/", f"/de/commitments/{1}/"]:
        assert "Interne Maßnahme" not in client.get(url).content.decode()
    assert "Öffentliche Maßnahme" in client.get("/de/members/dresden/").content.decode()


def test_it_gives_a_designed_404_for_an_unknown_slug(client, seeded):
    for lang, text in [("de", "Seite nicht gefunden"), ("en", "Page not found")]:
        response = client.get(f"/{lang}/members/atlantis/")
        assert response.status_code == 404
        assert text in response.content.decode()


def test_it_hides_applicants_from_the_public(client, db):
    MemberFactory(slug="bewerberstadt", status="applicant")
    assert client.get("/de/members/bewerberstadt/").status_code == 404


def test_it_filters_the_directory_by_kind(client, seeded):
    body = client.get("/en/members/?kind=joint").content.decode()
    assert "Ratzeburg" in body and "Dresden" not in body


def test_it_sets_no_cookie_for_anonymous_visitors(client, seeded):
    for url in ["/de/", "/en/members/", "/de/members/dresden/", "/de/commitments/3/"]:
        response = client.get(url)
        assert not response.cookies, url
        assert "Content-Security-Policy" in response.headers


def test_it_keeps_applicants_off_the_working_groups_page_and_the_network_filter(client, db):
    from members.models import MemberStatus, WorkingGroupParticipation
    from members.tests.factories import NetworkMembershipFactory, WorkingGroupFactory

    public = MemberFactory(name="Offene Stadt")
    applicant = MemberFactory(name="Bewerberstadt", status=MemberStatus.APPLICANT)
    group = WorkingGroupFactory()
    group.initiated_by.add(public, applicant)
    WorkingGroupParticipation.objects.create(working_group=group, member=applicant)
    NetworkMembershipFactory(member=applicant, network__name="Geheimes Netzwerk")
    body = client.get("/en/working-groups/").content.decode()
    assert "Offene Stadt" in body and "Bewerberstadt" not in body
    assert "Geheimes Netzwerk" not in client.get("/en/members/").content.decode()


def test_it_marks_german_content_on_english_pages_with_its_language(client, seeded):
    """Screen readers switch pronunciation by lang: German user content on /en/ pages says so."""
    heilbronn = client.get("/en/members/heilbronn/").content.decode()
    assert 'lang="de">KommA – Kommunale Allianzen' in heilbronn
    assert 'lang="de">Stabsstelle Chancengerechtigkeit' in heilbronn
    library = client.get("/en/commitments/6/").content.decode()
    assert 'lang="de">Stabsstelle Chancengerechtigkeit' in library
    dresden = client.get("/en/members/dresden/").content.decode()
    assert '<span lang="de">Bürgermeisteramt</span>' in dresden
    assert 'lang="de">Bericht zur Umsetzung des Zehn-Punkte-Aktionsplans</a>' in dresden
    networks = client.get("/en/networks/").content.decode()
    assert '<span lang="de">Amt für Umwelt- und Verbraucherschutz</span>' in networks
    groups = client.get("/en/working-groups/").content.decode()
    assert '<span lang="de">Mehr als 15 Mitgliedsstädte nahmen am Auftakt teil.</span>' in groups


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_labels_the_two_council_resolutions_of_a_member_page_apart(client, lang):
    import datetime as dt

    from django.core.files.base import ContentFile

    from actionplan.tests.factories import ActionPlanFactory

    member = MemberFactory(slug="heilbronn", name="Stadt Heilbronn", council_resolution_on=dt.date(2020, 10, 1))
    plan = ActionPlanFactory(member=member, adopted_on=dt.date(2021, 3, 4))
    plan.resolution_document.save("beschluss.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    body = client.get(f"/{lang}/members/heilbronn/").content.decode()
    join, plan_pdf = {"de": ("Ratsbeschluss zum Beitritt", "Ratsbeschluss über den Aktionsplan (PDF)"),
                      "en": ("Council resolution to join", "Council resolution adopting the plan (PDF)")}[lang]
    assert f"<dt>{join}</dt>" in body and plan_pdf in body
    assert body.count("<dt>Council resolution</dt>") == 0 and body.count("<dt>Ratsbeschluss</dt>") == 0


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_reaches_statistics_open_data_and_compare_from_the_main_navigation(client, db, lang):
    import re

    body = client.get(f"/{lang}/").content.decode()
    nav = re.search(r'<div class="collapse navbar-collapse" id="main-nav">(.*?)</div>', body, re.S).group(1)
    for url in (f"/{lang}/statistics/", f"/{lang}/open-data/", f"/{lang}/compare/"):
        assert f'href="{url}"' in nav, url
