"""The directory search keeps its promises: its own examples, word beginnings, typos, commitments, snippets."""

import re

import pytest

from actionplan.models import Commitment
from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from members.models import Member
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [m.name for m in response.context["members"]]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_finds_members_for_every_example_its_help_text_gives(client, seeded, lang):
    body = client.get(f"/{lang}/members/").content.decode()
    help_text = re.search(r'id="search-help"[^>]*>([^<]*)<', body).group(1)
    examples = re.search(r"(?:e\.g\.|z\. B\.) (.+)\.$", help_text.strip()).group(1)
    words = [w.strip() for w in re.split(r",| or | oder ", examples) if w.strip()]
    assert len(words) == 3, help_text
    for word in words:
        assert names(client.get(f"/{lang}/members/", {"q": word})), f"{word!r} finds no member"


def test_it_matches_word_beginnings(client, db, commitments):
    member = MemberFactory(name="Musterstadt", description="Projekte an Schulen und Kitas")
    assert names(client.get("/de/members/", {"q": "Schul"})) == ["Musterstadt"]
    assert names(client.get("/de/members/", {"q": "Schule"})) == ["Musterstadt"]
    assert names(client.get("/de/members/", {"q": "Schul Kita"})) == ["Musterstadt"]
    # Any word may match; the member with more of the words comes first.
    MemberFactory(name="Bahnhofstadt", description="Projekte am Bahnhof und an Schulen")
    assert names(client.get("/de/members/", {"q": "Schul Bahnhof"})) == ["Bahnhofstadt", "Musterstadt"]
    assert names(client.get("/de/members/", {"q": "Bahnhof"})) == ["Bahnhofstadt"]
    assert member.pk


@pytest.mark.parametrize("typo", ["Heilbron", "heilbronn", "Heilbrom", "Dresen", "Düseldorf"])
def test_it_tolerates_typos_in_member_names(client, seeded, typo):
    found = names(client.get("/de/members/", {"q": typo}))
    assert found and found[0] in {"Stadt Heilbronn", "Landeshauptstadt Dresden", "Landeshauptstadt Düsseldorf"}
    assert "StädteRegion Aachen" not in found


def test_it_finds_members_by_the_title_of_a_commitment_they_have_public_measures_under(client, db, commitments):
    housing = Commitment.objects.get(number=7)
    with_measure = MemberFactory(name="Wohnstadt")
    MeasureFactory(plan=ActionPlanFactory(member=with_measure), commitment=housing, title="Mietberatung")
    internal_only = MemberFactory(name="Internstadt")
    MeasureFactory(plan=ActionPlanFactory(member=internal_only), commitment=housing, title="Geheim", is_public=False)
    response = client.get("/en/members/", {"q": "housing"})
    assert names(response) == ["Wohnstadt"]
    body = response.content.decode()
    assert "Public measures under commitment" in body and f'href="/en/commitments/7/"' in body
    assert names(client.get("/de/members/", {"q": "Wohnungsmarkt"})) == ["Wohnstadt"]


def test_it_says_why_a_member_matched_with_a_snippet(client, db, commitments):
    member = MemberFactory(name="Musterstadt", description="Die Stadt fördert Projekte an Schulen gegen Rassismus.")
    MeasureFactory(plan=ActionPlanFactory(member=member), commitment=commitments[7], title="Schulprojekt",
                   description="Workshops an Berufsschulen")
    body = client.get("/de/members/", {"q": "Schulen"}).content.decode()
    assert "Gefunden in" in body
    assert "<mark>Schulen</mark>" in body  # the description's snippet
    assert "Maßnahme:" in body


def test_it_escapes_the_snippet_and_marks_only_the_match(client, db):
    MemberFactory(name="Musterstadt", description="<script>alert(1)</script> Schulen ⟦frei⟧")
    body = client.get("/de/members/", {"q": "Schulen"}).content.decode()
    hit = body[body.index('class="d-block small fw-normal search-hit"'):]
    hit = hit[: hit.index("</li>")]
    assert "<script>" not in hit
    # Marker characters typed by a member are not PostgreSQL's markers: only the match is marked.
    assert "<mark>Schulen</mark>" in hit and "<mark>frei</mark>" not in hit and "frei" in hit


@pytest.mark.parametrize("query", ['"Beratung', "-", "a & b | !c", "':*", "\\", "x" * 300, "Schul:* & (", "ä ö ü ß"])
def test_it_never_fails_on_odd_input(client, seeded, query):
    assert client.get("/de/members/", {"q": query}).status_code == 200


def test_it_keeps_the_applicants_hidden_from_typo_search(client, db):
    MemberFactory(name="Bewerbstadt", status="applicant")
    assert names(client.get("/de/members/", {"q": "Bewerbstat"})) == []
    assert Member.objects.count() == 1


@pytest.mark.parametrize("word", ["housing", "Wohnen", "Wohnung"])
def test_it_ranks_members_with_their_own_housing_measures_above_a_match_on_the_commitment_title(client, seeded, word):
    from portal.tests.housing import add_housing_measures

    add_housing_measures()
    found = names(client.get("/en/members/", {"q": word, "country": "DE"}))
    assert found[0] == "Landeshauptstadt Dresden", found
    # The others are still found, by the commitment's title, after Dresden.
    assert "Amtsstadt Beispiel" in found


def test_it_finds_housing_measures_for_racism_in_housing(client, seeded):
    from portal.tests.housing import add_housing_measures

    add_housing_measures()
    plan = ActionPlanFactory(member=MemberFactory(name="Beispielstadt", country="DE"))
    MeasureFactory(plan=plan, commitment=Commitment.objects.get(number=7), title="Affordable housing advice")
    response = client.get("/en/members/", {"q": "racism in housing", "country": "DE"})
    found = names(response)
    # Dresden's measure has both words; Beispielstadt's only one of them, but it is found.
    assert found[0] == "Landeshauptstadt Dresden" and "Beispielstadt" in found
    # The snippet is of the measure with both words.
    assert "<mark>Racism</mark> in <mark>housing</mark>" in response.content.decode()
