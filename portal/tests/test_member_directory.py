import pytest

from actionplan.models import MeasureStatus
from actionplan.tests.factories import MeasureFactory
from members.models import MemberKind, MemberStatus
from members.search import MAX_QUERY_LENGTH
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [m.name for m in response.context["members"]]


def test_it_finds_german_words_by_their_stem(client, db):
    MemberFactory(name="Schulstadt", description="Die Stadt berät Schulen zu Diskriminierung.")
    MemberFactory(name="Andere Stadt", description="Nichts davon.")
    assert names(client.get("/de/members/", {"q": "Schule"})) == ["Schulstadt"]


def test_it_finds_english_words_by_their_stem_in_measures(client, db):
    member = MemberFactory(name="Housing Town")
    MeasureFactory(plan__member=member, title="Housing policy without discrimination", content_language="en")
    MemberFactory(name="Elsewhere")
    assert names(client.get("/en/members/", {"q": "housing"})) == ["Housing Town"]
    assert names(client.get("/en/members/", {"q": "houses"})) == ["Housing Town"]


def test_it_ignores_internal_and_retired_measures_in_search(client, db):
    from django.utils import timezone

    member = MemberFactory(name="Geheimstadt")
    MeasureFactory(plan__member=member, title="Geheimprojekt Wohnungsbau", is_public=False)
    MeasureFactory(plan__member=member, title="Altprojekt Wohnungsbau", retired_at=timezone.now())
    assert names(client.get("/de/members/", {"q": "Wohnungsbau"})) == []


def test_it_finds_ratzeburg_by_name_working_group_and_kind(client, seeded):
    assert names(client.get("/de/members/", {"q": "Ratzeburg"})) == ["Stadt Ratzeburg und Amt Lauenburgische Seen"]
    assert names(client.get("/de/members/", {"q": "ländliche Gebiete"})) == ["Stadt Ratzeburg und Amt Lauenburgische Seen"]
    assert names(client.get("/en/members/", {"q": "rural areas"})) == ["Stadt Ratzeburg und Amt Lauenburgische Seen"]
    assert names(client.get("/de/members/", {"kind": "joint"})) == ["Stadt Ratzeburg und Amt Lauenburgische Seen"]


def test_it_combines_filters_with_search_and_keeps_them_in_the_page_links(client, db):
    for i in range(60):
        MemberFactory(name=f"Schulort {i:02d}", country="DE", description="Schulen", kind=MemberKind.CITY)
    MemberFactory(name="Schulort AT", country="AT", description="Schulen")
    MemberFactory(name="Schulkreis", country="DE", description="Schulen", kind=MemberKind.DISTRICT)
    response = client.get("/de/members/", {"q": "Schulen", "country": "DE", "kind": "city"})
    assert response.context["paginator"].count == 60
    body = response.content.decode()
    assert "q=Schulen&amp;country=DE&amp;kind=city&amp;page=2" in body
    assert 'value="Schulen"' in body and '<option value="DE" selected>' in body
    page2 = client.get("/de/members/", {"q": "Schulen", "country": "DE", "kind": "city", "page": 2})
    assert len(names(page2)) == 10 and "Schulort AT" not in names(page2)


def test_it_filters_by_region_status_and_year_joined(client, db):
    import datetime as dt

    MemberFactory(name="Alt", region="Sachsen", admitted_on=dt.date(2010, 5, 1))
    MemberFactory(name="Neu", region="Sachsen", admitted_on=dt.date(2020, 5, 1))
    MemberFactory(name="Ehemalig", region="Bayern", admitted_on=dt.date(2010, 1, 1), status=MemberStatus.FORMER)
    assert names(client.get("/de/members/", {"region": "Sachsen", "joined": "2010"})) == ["Alt"]
    assert names(client.get("/de/members/", {"status": "former"})) == ["Ehemalig"]
    # Anonymous visitors cannot filter their way to applicants.
    MemberFactory(name="Bewerber", status=MemberStatus.APPLICANT)
    assert names(client.get("/de/members/", {"status": "applicant"})) == ["Alt", "Ehemalig", "Neu"]


@pytest.mark.parametrize(
    "query", ["", "   ", "x" * 10_000, "!!!???", "&|!:*()", "'\"; DROP TABLE members_member; --", "\x00abc", "der die das"]
)
def test_it_answers_empty_and_absurd_queries_without_error(client, db, query):
    MemberFactory(name="Teststadt")
    response = client.get("/de/members/", {"q": query, "country": "ZZ", "joined": "abc", "page": "999"})
    assert response.status_code == 200
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH


def test_it_says_when_a_query_was_shortened(client, db):
    body = client.get("/en/members/", {"q": "y" * 500}).content.decode()
    assert "shortened to its first 200 characters" in body


@pytest.mark.parametrize("count", [3, 120])
def test_it_keeps_the_query_count_flat(client, db, count, django_assert_max_num_queries):
    for i in range(count):
        member = MemberFactory(name=f"Ort {i}", region=f"Region {i % 5}")
        MeasureFactory(plan__member=member, title="Beratung an Schulen", status=MeasureStatus.PLANNED)
    # A search costs two more: why each member on the page matched, and the commitments named in it.
    with django_assert_max_num_queries(11):
        assert client.get("/de/members/", {"q": "Schule", "kind": "city", "page": 2 if count > 50 else 1}).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/de/members/").status_code == 200


def test_it_lets_coordinators_and_staff_search_including_what_they_may_see(client, dresden_editor, staff):
    from members.models import Member

    Member.objects.filter(slug="dresden").update(status=MemberStatus.APPLICANT, description="Schulen")
    MemberFactory(name="Bewerber anderswo", status=MemberStatus.APPLICANT, description="Schulen")
    assert names(client.get("/de/members/", {"q": "Schule"})) == []
    client.force_login(dresden_editor)
    assert names(client.get("/de/members/", {"q": "Schule"})) == ["Landeshauptstadt Dresden"]
    client.force_login(staff)
    response = client.get("/de/members/", {"q": "Schule", "status": "applicant"})
    assert sorted(names(response)) == ["Bewerber anderswo", "Landeshauptstadt Dresden"]
