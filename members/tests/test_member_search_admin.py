"""The member list's search finds a member by its people: contact persons and coordinators, by name and e-mail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import CoordinatorRole
from members.tests.factories import AssignmentFactory, ContactFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:members_member_changelist")


def _found(client, query: str) -> list[str]:
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    return [member.name for member in response.context["cl"].result_list]


@pytest.fixture
def people(dresden, duesseldorf):
    ContactFactory(member=dresden, name="Dr. Petra Schönfelder", email="p.schoenfelder@dresden.de")
    ContactFactory(member=dresden, name="Jörg Schönfelder", email="j.schoenfelder@dresden.de")  # two hits, one row
    lead = UserFactory(username="kwagner", first_name="Katrin", last_name="Wagner", email="katrin.wagner@duesseldorf.de")
    AssignmentFactory(user=lead, member=duesseldorf, role=CoordinatorRole.LEAD)
    MemberFactory(slug="leipzig", name="Stadt Leipzig")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Schönfelder", ["Landeshauptstadt Dresden"]),
        ("schÖnfelder", ["Landeshauptstadt Dresden"]),
        ("Petra Schönfelder", ["Landeshauptstadt Dresden"]),
        ("p.schoenfelder@dresden.de", ["Landeshauptstadt Dresden"]),
        ("SCHOENFELDER@DRESDEN", ["Landeshauptstadt Dresden"]),
        ("Wagner", ["Landeshauptstadt Düsseldorf"]),
        ("katrin", ["Landeshauptstadt Düsseldorf"]),
        ("kwagner", ["Landeshauptstadt Düsseldorf"]),
        ("katrin.wagner@duesseldorf.de", ["Landeshauptstadt Düsseldorf"]),
        ("Leipzig", ["Stadt Leipzig"]),
        ("Niemand", []),
    ],
)
def test_it_finds_members_by_their_contact_persons_and_coordinators(client, staff, people, query, expected):
    client.force_login(staff)
    assert _found(client, query) == expected


def test_it_shows_a_member_once_whatever_number_of_its_people_match(client, staff, people, dresden):
    AssignmentFactory(user=UserFactory(username="schoenfelder-editor", last_name="Schönfelder"), member=dresden)
    client.force_login(staff)
    response = client.get(LIST, {"q": "Schönfelder"})
    assert [m.name for m in response.context["cl"].result_list] == ["Landeshauptstadt Dresden"]
    assert response.context["cl"].result_count == 1


def _queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(LIST, {"q": query}).status_code == 200
    return len(context.captured_queries)


def test_it_searches_the_people_with_a_number_of_queries_that_does_not_grow_with_the_hits(client, staff, django_assert_max_num_queries):
    def members_with_schoenfelder(count: int, start: int) -> None:
        for n in range(start, start + count):
            member = MemberFactory(slug=f"stadt-{n}", name=f"Stadt {n:03d}")
            ContactFactory(member=member, name=f"Person {n} Schönfelder", email=f"p{n}@example.org")
            AssignmentFactory(user=UserFactory(username=f"koordination-{n}", last_name="Schönfelder"), member=member)

    client.force_login(staff)
    members_with_schoenfelder(2, 0)
    _queries(client, "Schönfelder")  # warm: sessions, content types, permissions
    few = _queries(client, "Schönfelder")
    members_with_schoenfelder(60, 2)
    with django_assert_max_num_queries(few):
        response = client.get(LIST, {"q": "Schönfelder"})
    assert response.context["cl"].result_count == 62
