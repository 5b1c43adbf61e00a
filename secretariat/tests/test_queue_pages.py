import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.permissions import ADMIN_LOGIN, PERSONAS, assert_outcome
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(dresden):
    return ReportFactory(member=dresden, status=ReportStatus.SUBMITTED, submitted_at=timezone.now())


def test_it_shows_the_queue_in_the_admin_and_links_it_from_every_admin_page(client, staff, submitted):
    client.force_login(staff)
    body = client.get(reverse("secretariat_queue")).content.decode()
    assert "Arbeitsliste des Sekretariats" in body and "Landeshauptstadt Dresden" in body
    assert reverse("secretariat_queue") in client.get(reverse("admin:index")).content.decode()


def test_it_shows_the_queue_on_the_secretariats_portal_dashboard(client, staff, submitted):
    client.force_login(staff)
    body = client.get(reverse("actionplan:dashboard")).content.decode()
    assert "Arbeitsliste des Sekretariats" in body
    assert reverse("admin:reports_implementationreport_change", args=[submitted.pk]) in body
    assert "noch keinem Mitglied zugeordnet" not in body


@pytest.mark.parametrize("persona", ["dresden_lead", "bare_staff"])
def test_it_shows_no_queue_to_anyone_else(client, request, persona, submitted):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(reverse("actionplan:dashboard")).content.decode()
    assert "Arbeitsliste" not in body


QUEUE = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "dresden_editor": ADMIN_LOGIN, "dresden_lead": ADMIN_LOGIN,
         "staff": 200, "bare_staff": 403}


@pytest.mark.parametrize("name", ["secretariat_queue", "secretariat_upcoming_reminders"])
@pytest.mark.parametrize("persona", [*PERSONAS, "superuser"])
def test_it_opens_the_admin_queue_to_the_secretariat_only(client, request, persona, name):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    expected = 200 if persona == "superuser" else QUEUE[persona]
    assert_outcome(client.get(reverse(name)), expected, (persona, name))
    assert client.post(reverse(name)).status_code in (302, 403, 405)


MATRIX_URL_NAMES = {"secretariat_queue", "secretariat_upcoming_reminders"}
