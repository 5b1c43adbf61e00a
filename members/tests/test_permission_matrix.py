"""Every coordinator URL of the members app × every kind of user × GET and POST, with the exact outcome."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.tests.permissions import LOGIN, PERSONAS, assert_outcome
from members.tests.test_team import TEAM_URL_NAMES

pytestmark = pytest.mark.django_db



def _profile_post(member) -> dict:
    return {"description": "Neu", "content_language": "de", "lead_department": "Amt", "version": member.version,
            "contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0, "contacts-MIN_NUM_FORMS": 0, "contacts-MAX_NUM_FORMS": 50}


# url name -> (POST data, expected GET status per persona, expected POST status per persona), in PERSONAS order.
MATRIX = {
    "members:profile_edit": (_profile_post, [LOGIN, 404, 200, 200, 200, 404], [LOGIN, 404, 302, 302, 302, 404]),
}
# The team pages have object ids in their addresses: their matrix is in test_team.py.
MATRIX_URL_NAMES = set(MATRIX) | TEAM_URL_NAMES


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_gives_each_user_exactly_the_expected_outcome(client, dresden, dresden_editor, dresden_lead, outsider, staff, bare_staff, name, persona, method):
    users = {"outsider": outsider, "dresden_editor": dresden_editor, "dresden_lead": dresden_lead, "staff": staff,
             "bare_staff": bare_staff}
    data, expected_get, expected_post = MATRIX[name]
    expected = (expected_get if method == "GET" else expected_post)[PERSONAS.index(persona)]
    if persona != "anonymous":
        client.force_login(users[persona])
    with translation.override("de"):
        url = reverse(name, kwargs={"slug": "dresden"})
    response = client.get(url) if method == "GET" else client.post(url, data(dresden))
    assert_outcome(response, expected, (name, persona, method))


def test_it_covers_every_coordinator_url_of_the_app():
    from members.urls import urlpatterns

    names = {f"members:{p.name}" for p in urlpatterns if "dashboard/" in str(p.pattern)}
    assert names == MATRIX_URL_NAMES


# The public pages of a member that other sites show: the same for every kind of user. A member that is not
# public has none (the secretariat and its own coordinators included: the embed shows only what anyone may see).
# url name -> {member status: (expected GET, expected POST) for every persona}.
PUBLIC_MATRIX = {
    "members:embed": {"member": (200, 405), "applicant": (404, 405)},
    "members:embed_size": {"member": (200, 405), "applicant": (404, 405)},
}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("status", ["member", "applicant"])
@pytest.mark.parametrize("name", sorted(PUBLIC_MATRIX))
def test_it_shows_the_public_member_pages_to_everyone_and_no_one_for_a_member_not_public(
    client, dresden, dresden_editor, dresden_lead, outsider, staff, bare_staff, name, status, persona, method
):
    dresden.status = status
    dresden.save()
    users = {"outsider": outsider, "dresden_editor": dresden_editor, "dresden_lead": dresden_lead, "staff": staff,
             "bare_staff": bare_staff}
    expected_get, expected_post = PUBLIC_MATRIX[name][status]
    if persona != "anonymous":
        client.force_login(users[persona])
    with translation.override("de"):
        url = reverse(name, kwargs={"slug": "dresden"})
    response = client.get(url) if method == "GET" else client.post(url, {})
    assert_outcome(response, expected_get if method == "GET" else expected_post, (name, status, persona, method))
