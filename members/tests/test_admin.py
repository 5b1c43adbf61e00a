import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (m._meta.app_label, m._meta.model_name)
    for m in admin.site._registry
    if m._meta.app_label in {"members", "actionplan", "reports"}
)


def test_it_registers_every_domain_model():
    domain = {
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if m._meta.app_label in {"members", "actionplan", "reports"} and not m._meta.model_name.startswith("historical")
        # Inlines; plan and members imports, staging rows (what they create is in the admin, the members import
        # has its own pages); the plans' figures, which the database keeps from the measures and nobody edits; and
        # the report editor's kept drafts, a coordinator's unsaved typing that is nobody else's to read.
        and m._meta.model_name
        not in {
            "workinggroupparticipation", "reportnarrative", "reporttransition", "planimport", "planfigures", "memberimport",
            "reportdraft",
        }
    }
    assert domain <= set(REGISTERED)


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_it_loads_each_changelist_for_staff(client, staff, seeded, app_label, model_name, django_assert_max_num_queries):
    client.force_login(staff)
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_it_redirects_anonymous_users_to_the_admin_login(client, app_label, model_name):
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_it_refuses_a_coordinator(client, dresden_lead):
    client.force_login(dresden_lead)
    response = client.get(reverse("admin:members_member_changelist"))
    assert response.status_code == 302


def test_it_opens_the_member_change_form_with_inlines(client, staff, seeded):
    from members.models import Member

    client.force_login(staff)
    member = Member.objects.get(slug="ratzeburg-amt-lauenburgische-seen")
    body = client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    assert "Amt Lauenburgische Seen" in body
    assert "authorities-TOTAL_FORMS" in body and "contacts-TOTAL_FORMS" in body and "assignments-TOTAL_FORMS" in body


def test_it_moves_the_member_version_on_when_staff_edit_a_contact(client, staff, dresden, dresden_editor):
    from django.test import Client

    from members.tests.test_profile_edit import profile_data
    from members.models import Contact, ContactConsent
    from members.tests.factories import ContactFactory

    contact = ContactFactory(member=dresden, name="Vorher", email="v@example.org")
    coordinator = Client()
    coordinator.force_login(dresden_editor)
    stale = profile_data(dresden, [contact], {"contacts-0-name": "Vom Koordinator"})
    client.force_login(staff)
    response = client.post(
        f"/admin/members/contact/{contact.pk}/change/",
        {"member": dresden.pk, "name": "Vom Sekretariat", "role": "", "email": "v@example.org", "phone": "", "fax": "",
         "consent": ContactConsent.NONE, "consent_given_on": "", "source": "", "version": dresden.version},
    )
    assert response.status_code == 302
    assert coordinator.post("/en/dashboard/dresden/profile/", stale).status_code == 409
    assert Contact.objects.get(pk=contact.pk).name == "Vom Sekretariat"


def test_it_keeps_a_trace_of_granted_and_removed_coordinator_access(client, staff, dresden, duesseldorf):
    from members.models import CoordinatorAssignment
    from members.tests.factories import UserFactory

    user = UserFactory(username="neu")
    client.force_login(staff)
    response = client.post(
        "/admin/members/coordinatorassignment/add/", {"user": user.pk, "member": dresden.pk, "role": "editor"}
    )
    assert response.status_code == 302
    assignment = CoordinatorAssignment.objects.get(user=user)
    assert client.post(f"/admin/members/coordinatorassignment/{assignment.pk}/delete/", {"post": "yes"}).status_code == 302
    trail = [(h.history_type, h.member_id, h.history_user) for h in CoordinatorAssignment.history.filter(user_id=user.pk).order_by("history_date")]
    assert trail == [("+", dresden.pk, staff), ("-", dresden.pk, staff)]


def test_it_names_the_admin_after_the_portal(client, staff):
    client.force_login(staff)
    body = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ECCAR Portal administration" in body
    assert "Django administration" not in body and "Django site admin" not in body


def test_it_shows_the_next_report_date_in_the_local_format_inside_its_column(client, staff, seeded):
    client.force_login(staff)
    german = client.get(reverse("admin:members_member_changelist"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    # Dresden's last published report ended in September 2020: the next one was due 24 months later.
    assert "<strong>30.09.2022 (überfällig)</strong>" in german
    assert "2022-09-30" not in german and 'class="errornote"' not in german


def test_it_refuses_a_coordinators_older_profile_form_after_an_admin_edit(client, staff, dresden, dresden_lead):
    from django.test import Client

    coordinator = Client()
    coordinator.force_login(dresden_lead)
    opened = coordinator.get("/de/dashboard/dresden/profile/").context["form"]["version"].value()
    client.force_login(staff)
    url = reverse("admin:members_member_change", args=[dresden.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for prefix in ("authorities", "contacts", "assignments", "network_memberships", "transitions", "notes"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data["description"] = "Vom Sekretariat"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = {"description": "Alter Stand", "content_language": "de", "lead_department": "", "version": opened,
            "contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0}
    assert coordinator.post("/de/dashboard/dresden/profile/", post).status_code == 409
    dresden.refresh_from_db()
    assert dresden.description == "Vom Sekretariat"


def test_it_refuses_a_stale_admin_save_of_a_member_with_its_contacts(client, staff, dresden, dresden_editor):
    """Staff open the member, the coordinator saves profile and contacts in the portal, then staff click Save."""
    from django.test import Client

    from core.tests.admin_forms import admin_form_data
    from members.models import Contact, ContactConsent
    from members.tests.factories import ContactFactory
    from members.tests.test_profile_edit import profile_data

    contact = ContactFactory(member=dresden, name="Vorher", email="v@example.org")
    client.force_login(staff)
    url = reverse("admin:members_member_change", args=[dresden.pk])
    data = admin_form_data(client.get(url))
    coordinator = Client()
    coordinator.force_login(dresden_editor)
    dresden.refresh_from_db()
    saved = profile_data(dresden, [contact], {"contacts-0-name": "Vom Koordinator", "contacts-0-consent": ContactConsent.NONE},
                         lead_department="Amt des Koordinators")
    assert coordinator.post("/de/dashboard/dresden/profile/", saved).status_code == 302

    data["description"] = "Vom Sekretariat"
    name_key = next(k for k, v in data.items() if k.startswith("contacts-") and v == "Vorher")
    data[name_key] = "Vom Sekretariat geändert"
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nicht gespeichert: Jemand anderes hat dies inzwischen gespeichert." in body
    assert "Amt des Koordinators" in body  # the other person's lead department, beside the staff member's empty one
    assert 'value="Vom Sekretariat geändert"' in body and "Vom Sekretariat</textarea>" in body
    rows = response.context["adminform"].form.conflict_rows
    assert {"label": "Kontakt „Vom Koordinator (Landeshauptstadt Dresden)“: Name", "theirs": "Vom Koordinator",
            "mine": "Vom Sekretariat geändert"} in rows, rows
    assert "Gespeichert von dresden-editor am " in body
    dresden.refresh_from_db()
    assert (dresden.lead_department, dresden.description) == ("Amt des Koordinators", "Dresden tritt für Vielfalt ein.")
    assert Contact.objects.get(pk=contact.pk).name == "Vom Koordinator"


def test_it_refuses_a_stale_contact_edit_in_the_admin(client, staff, dresden, dresden_editor):
    from django.test import Client

    from core.tests.admin_forms import admin_form_data
    from members.models import Contact
    from members.tests.factories import ContactFactory
    from members.tests.test_profile_edit import profile_data

    contact = ContactFactory(member=dresden, name="Vorher", email="v@example.org")
    client.force_login(staff)
    url = reverse("admin:members_contact_change", args=[contact.pk])
    data = admin_form_data(client.get(url))
    coordinator = Client()
    coordinator.force_login(dresden_editor)
    dresden.refresh_from_db()
    assert coordinator.post("/de/dashboard/dresden/profile/", profile_data(dresden, [contact], {"contacts-0-name": "Vom Koordinator"})).status_code == 302

    response = client.post(url, {**data, "name": "Vom Sekretariat"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["adminform"].form["name"].value() == "Vom Sekretariat"
    body = response.content.decode()
    assert '<th scope="row">Name</th><td class="conflict-theirs">Vom Koordinator</td><td class="conflict-mine">Vom Sekretariat</td>' in body
    assert Contact.objects.get(pk=contact.pk).name == "Vom Koordinator"


def test_it_moves_the_member_version_on_when_staff_delete_a_contact(client, staff, dresden):
    from members.tests.factories import ContactFactory

    contact = ContactFactory(member=dresden, name="Weg")
    client.force_login(staff)
    assert client.post(reverse("admin:members_contact_delete", args=[contact.pk]), {"post": "yes"}).status_code == 302
    dresden.refresh_from_db()
    assert dresden.version == 2


def test_it_tells_staff_plainly_when_a_form_comes_without_its_version(client, staff, dresden):
    from core.tests.admin_forms import admin_form_data

    client.force_login(staff)
    url = reverse("admin:members_member_change", args=[dresden.pk])
    data = admin_form_data(client.get(url))
    del data["version"]
    response = client.post(url, {**data, "description": "Neu"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "This form is out of date. Nothing was saved" in response.content.decode()
    dresden.refresh_from_db()
    assert dresden.description == ""


@pytest.mark.parametrize(("lang", "population", "shown"), [("de", "566.222", 'value="566.222"'), ("en", "566,222", 'value="566,222"')])
def test_it_takes_figures_dates_and_web_addresses_in_the_admin_as_people_type_them(client, staff, dresden, lang, population, shown):
    from core.tests.admin_forms import admin_form_data

    client.force_login(staff)
    url = reverse("admin:members_member_change", args=[dresden.pk])
    data = admin_form_data(client.get(url, HTTP_ACCEPT_LANGUAGE=lang))
    data.update({"population": population, "website": "www.dresden.de"})
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 302, response.context["adminform"].form.errors
    dresden.refresh_from_db()
    assert (dresden.population, dresden.website) == (566222, "https://www.dresden.de")
    assert shown in client.get(url, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    data.update(admin_form_data(client.get(url, HTTP_ACCEPT_LANGUAGE=lang)))
    data["council_resolution_on"] = "31.02.2016" if lang == "de" else "31/02/2016"
    body = client.post(url, data, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert ("Diesen Tag gibt es nicht: Der Februar 2016 hat 29 Tage." if lang == "de" else "This day does not exist: February 2016 has 29 days.") in body
