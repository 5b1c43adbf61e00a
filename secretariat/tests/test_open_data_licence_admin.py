"""The secretariat chooses the open data licence in the admin; earlier choices stay on record."""

import pytest

from secretariat.models import OpenDataLicence

pytestmark = pytest.mark.django_db

ADD = "/admin/secretariat/opendatalicence/add/"


def test_it_lets_the_secretariat_choose_a_licence_and_records_who(client, staff):
    client.force_login(staff)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/", "note": ""})
    assert response.status_code == 302
    licence = OpenDataLicence.current()
    assert (licence.name, licence.chosen_by) == ("CC BY 4.0", staff)
    # A later choice is a new row; the earlier one is never changed or deleted.
    client.post(ADD, {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/", "note": ""})
    assert OpenDataLicence.current().name == "CC0 1.0" and OpenDataLicence.objects.count() == 2
    assert client.post(f"/admin/secretariat/opendatalicence/{licence.pk}/delete/", {"post": "yes"}).status_code == 403


def test_it_refuses_a_licence_without_a_valid_address(client, staff):
    client.force_login(staff)
    response = client.post(ADD, {"name": "CC BY 4.0", "url": "creative commons", "note": ""})
    assert response.status_code == 200 and not OpenDataLicence.objects.exists()
    assert 'value="CC BY 4.0"' in response.content.decode()


@pytest.mark.parametrize("persona", ["bare_staff", "dresden_lead"])
def test_it_keeps_others_away(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ADD).status_code in {302, 403}
    assert client.post(ADD, {"name": "X", "url": "https://example.org/"}).status_code in {302, 403}
    assert not OpenDataLicence.objects.exists()
