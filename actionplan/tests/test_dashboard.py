import pytest

from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from members.models import CoordinatorRole
from members.tests.factories import AssignmentFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/de/dashboard/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/de/accounts/login/?next=")


def test_it_lists_every_member_the_coordinator_is_assigned_to(client, dresden_editor, duesseldorf, commitments):
    AssignmentFactory(user=dresden_editor, member=duesseldorf, role=CoordinatorRole.LEAD)
    plan = ActionPlanFactory(member=MemberFactory(slug="dresden"))
    MeasureFactory(plan=plan, commitment=commitments[2])
    MeasureFactory(plan=plan, commitment=commitments[2], is_public=False)
    client.force_login(dresden_editor)
    response = client.get("/en/dashboard/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Landeshauptstadt Dresden" in body and "Landeshauptstadt Düsseldorf" in body
    assert "/en/dashboard/dresden/plan/" in body and "/en/dashboard/duesseldorf/plan/" in body
    # The adoption is the lead's act: the link shows only where the user is lead.
    assert "/en/dashboard/duesseldorf/adoption/" in body and "/en/dashboard/dresden/adoption/" not in body
    dresden_block = response.context["assignments"][0]
    assert (dresden_block.measure_count, dresden_block.public_count, dresden_block.commitments_covered) == (2, 1, 1)


def test_it_lands_on_the_dashboard_after_logging_in(client, dresden_lead):
    response = client.post("/de/accounts/login/", {"username": "dresden-lead", "password": "correct-horse-battery"})
    assert response.headers["Location"] == "/de/dashboard/"


def test_it_keeps_the_query_count_flat_with_many_members_and_measures(
    client, dresden_editor, commitments, django_assert_max_num_queries
):
    client.force_login(dresden_editor)
    with django_assert_max_num_queries(6) as few:
        client.get("/de/dashboard/")
    for _ in range(10):
        member = MemberFactory()
        AssignmentFactory(user=dresden_editor, member=member)
        for i in range(20):
            MeasureFactory(plan=ActionPlanFactory(member=member), commitment=commitments[i % 10])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/de/dashboard/")
    assert response.content.decode().count('class="card mb-4 dashboard-member"') == 11


def test_it_shows_a_coordinator_only_their_own_members(client, outsider, dresden):
    client.force_login(outsider)
    body = client.get("/de/dashboard/").content.decode()
    assert "Landeshauptstadt Düsseldorf" in body
    assert "Landeshauptstadt Dresden" not in body and "/dashboard/dresden/" not in body


def test_it_points_staff_without_assignments_to_the_admin(client, staff):
    client.force_login(staff)
    body = client.get("/en/dashboard/").content.decode()
    assert 'href="/admin/"' in body
