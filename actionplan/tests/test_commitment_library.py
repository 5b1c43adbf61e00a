import pytest
from django.utils import timezone

from actionplan.models import MeasureStatus
from actionplan.tests.factories import ActionPlanFactory, CommitmentFactory, MeasureFactory
from members.models import MemberStatus
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [m.title for m in response.context["measures"]]


@pytest.fixture
def library(db):
    three = CommitmentFactory(number=3)
    de = MemberFactory(name="Aachen", country="DE")
    at = MemberFactory(name="Graz", country="AT")
    MeasureFactory(plan__member=de, commitment=three, title="Beratungsstelle für Betroffene", status=MeasureStatus.IMPLEMENTED)
    MeasureFactory(plan__member=at, commitment=three, title="Victim support hotline", status=MeasureStatus.PLANNED, content_language="en")
    MeasureFactory(plan__member=de, commitment=three, title="Interne Maßnahme", is_public=False)
    MeasureFactory(plan__member=de, commitment=three, title="Zurückgezogene Maßnahme", retired_at=timezone.now())
    MeasureFactory(plan__member=MemberFactory(status=MemberStatus.APPLICANT), commitment=three, title="Bewerbermaßnahme")
    MeasureFactory(plan__member=de, commitment=CommitmentFactory(number=4), title="Andere Verpflichtung")
    return three


def test_it_lists_every_members_public_measures_under_the_commitment(client, library):
    response = client.get("/de/commitments/3/")
    assert titles(response) == ["Beratungsstelle für Betroffene", "Victim support hotline"]
    body = response.content.decode()
    assert "Graz" in body and "Aachen" in body
    # The English measure says it is shown as entered, on the German page.
    assert body.count("library-measure") == 2


def test_it_filters_by_status_and_country_and_searches(client, library):
    assert titles(client.get("/de/commitments/3/", {"status": "planned"})) == ["Victim support hotline"]
    assert titles(client.get("/de/commitments/3/", {"country": "DE"})) == ["Beratungsstelle für Betroffene"]
    assert titles(client.get("/en/commitments/3/", {"q": "hotlines"})) == ["Victim support hotline"]
    assert titles(client.get("/de/commitments/3/", {"q": "Beratungsstellen", "country": "DE"})) == ["Beratungsstelle für Betroffene"]
    assert titles(client.get("/de/commitments/3/", {"q": "Beratung", "country": "AT"})) == []


def test_it_answers_bad_filter_values_without_error(client, library):
    response = client.get("/de/commitments/3/", {"status": "nonsense", "country": "<b>", "q": "!" * 5000, "page": "x"})
    assert response.status_code == 200
    assert len(titles(response)) == 2


def test_it_gives_404_for_an_unknown_commitment(client, library):
    assert client.get("/de/commitments/11/").status_code == 404


def test_it_has_opengraph_and_a_description(client, library):
    body = client.get("/en/commitments/3/").content.decode()
    assert '<meta property="og:title"' in body and '<meta name="description" content="Commitment 3' in body


@pytest.mark.parametrize("count", [2, 90])
def test_it_paginates_with_a_flat_query_count(client, db, count, django_assert_max_num_queries):
    three = CommitmentFactory(number=3)
    for i in range(count):
        MeasureFactory(plan__member=MemberFactory(), commitment=three, title=f"Maßnahme {i:03d}")
    with django_assert_max_num_queries(8):
        response = client.get("/de/commitments/3/", {"page": 2, "status": "in_progress"})
    assert response.status_code == 200
    assert len(titles(response)) == (20 if count > 40 else 2)


def test_it_counts_public_measures_on_the_commitments_list_in_two_queries(client, db, commitments, django_assert_max_num_queries):
    first, second = ActionPlanFactory(), ActionPlanFactory()
    MeasureFactory(plan=first, commitment=commitments[2])
    MeasureFactory(plan=first, commitment=commitments[2])
    MeasureFactory(plan=second, commitment=commitments[2])
    MeasureFactory(plan=second, commitment=commitments[2], is_public=False)  # internal: not counted
    MeasureFactory(plan=ActionPlanFactory(member=MemberFactory(status=MemberStatus.APPLICANT)), commitment=commitments[2])
    # The maintained figures and the commitments (and the request's savepoint pair).
    with django_assert_max_num_queries(4):
        response = client.get("/en/commitments/")
    counts = {c.number: (c.measure_count, c.member_count) for c in response.context["commitments"]}
    assert counts[3] == (3, 2) and counts[1] == (0, 0)
    body = response.content.decode()
    assert "3 public measures · from 2 members" in body and "No public measures yet" in body


@pytest.mark.parametrize("lang, names", [("de", ["Deutschland", "Österreich"]), ("en", ["Austria", "Germany"])])
def test_it_names_the_countries_of_its_filter_in_the_pages_language(client, library, lang, names):
    response = client.get(f"/{lang}/commitments/3/")
    choices = response.context["form"].fields["country"].choices
    assert [label for _value, label in choices[1:]] == names
    body = response.content.decode()
    assert '<option value="AT">AT</option>' not in body and f'<option value="AT">{names[-1] if lang == "de" else names[0]}</option>' in body


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_says_what_the_commitment_asks_of_a_member_with_its_source(client, db, lang):
    CommitmentFactory(number=2, summary_de="Daten zu Rassismus erheben.", summary_en="Collect data on racism.")
    CommitmentFactory(number=7)
    body = client.get(f"/{lang}/commitments/2/").content.decode()
    if lang == "en":
        assert "What the commitment asks of a member" in body and "Collect data on racism." in body
        assert "The portal's summary, not the official wording" in body
        assert "at least one action under each of the ten commitments" in body
    else:
        assert "Was die Verpflichtung von einem Mitglied verlangt" in body and "Daten zu Rassismus erheben." in body
        assert "nicht der amtliche Wortlaut" in body
    assert 'href="http://www.eccar.info/10-point-plan-action"' in body
    # A commitment without a summary yet still says what the plan asks, and links to the official text.
    other = client.get(f"/{lang}/commitments/7/").content.decode()
    assert 'href="http://www.eccar.info/10-point-plan-action"' in other
    assert ("The portal's summary" not in other) and ("nicht der amtliche Wortlaut" not in other)
