"""Counts that agree: the home page, the directory and the statistics say how many members are active and how many
the whole count includes, and which statuses the difference is made of."""

import re

import pytest

from members.models import MemberStatus
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "en": "3 active members; 6 including the on-hold and former members",
    "de": "3 aktive Mitglieder; 6 mit den ruhenden und ehemaligen Mitgliedern",
}


@pytest.fixture
def members(db):
    for n in range(3):
        MemberFactory(name=f"Aktiv {n}")
    MemberFactory(name="Ruhend", status=MemberStatus.ON_HOLD)
    MemberFactory(name="Ehemalig 1", status=MemberStatus.FORMER)
    MemberFactory(name="Ehemalig 2", status=MemberStatus.FORMER)
    MemberFactory(name="Bewerber", status=MemberStatus.APPLICANT)  # never public, never counted


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_says_what_the_home_page_counts(client, members, lang):
    response = client.get(f"/{lang}/")
    body = text(response)
    assert TEXTS[lang] in body
    assert response.context["figures"]["members"] == 3
    assert ("All 6 members in the directory" if lang == "en" else "Alle 6 Mitglieder im Verzeichnis") in body
    assert ("active members" if lang == "en" else "aktive Mitglieder") in body


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_says_what_the_directory_counts(client, members, lang):
    assert TEXTS[lang] in text(client.get(f"/{lang}/members/"))
    # A filtered list counts its matches as before.
    filtered = text(client.get(f"/{lang}/members/", {"status": "former"}))
    assert ("2 members" if lang == "en" else "2 Mitglieder") in filtered and TEXTS[lang] not in filtered


@pytest.mark.parametrize("lang", ["de", "en"])
def test_it_says_what_the_statistics_count(client, members, lang):
    assert TEXTS[lang] in text(client.get(f"/{lang}/statistics/"))


def test_it_names_only_the_statuses_present(client, db):
    MemberFactory(name="Aktiv")
    MemberFactory(name="Ausgesetzt", status=MemberStatus.SUSPENDED)
    assert "1 active member; 2 including the suspended members" in text(client.get("/en/"))


def test_it_says_active_members_alone_when_there_are_no_others(client, db):
    MemberFactory(name="Aktiv 1")
    MemberFactory(name="Aktiv 2")
    body = text(client.get("/en/members/"))
    assert "2 active members" in body and "including" not in body


def test_it_counts_in_one_query(django_assert_num_queries, members):
    from members.models import Member
    from portal.member_counts import member_counts

    with django_assert_num_queries(1):
        counts = member_counts(Member.objects.public())
    assert (counts.active, counts.total, counts.others) == (3, 6, ("on_hold", "former"))
