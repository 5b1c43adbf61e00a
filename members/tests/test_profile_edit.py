import datetime as dt

import pytest
import time_machine
from django.test import Client

from members.models import Contact, ContactConsent, Member
from members.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def profile_data(member: Member, contacts: list[Contact] = (), extra: dict | None = None, **overrides) -> dict:
    data = {
        "description": "Dresden tritt für Vielfalt ein.",
        "content_language": "de",
        "lead_department": "Büro der Integrations- und Ausländerbeauftragten",
        "version": member.version,
        "website": member.website,
        "population": "" if member.population is None else member.population,
        "contacts-TOTAL_FORMS": len(contacts) + 1,
        "contacts-INITIAL_FORMS": len(contacts),
        "contacts-MIN_NUM_FORMS": 0,
        "contacts-MAX_NUM_FORMS": 50,
    }
    for i, contact in enumerate(contacts):
        data.update({
            f"contacts-{i}-id": contact.pk, f"contacts-{i}-name": contact.name, f"contacts-{i}-email": contact.email,
            f"contacts-{i}-consent": contact.consent, f"contacts-{i}-member": member.pk,
        })
    # The empty extra form, as a browser sends it: the consent select always has a value.
    data[f"contacts-{len(contacts)}-consent"] = ContactConsent.NONE
    data.update(extra or {})
    data.update(overrides)
    return data


def test_it_saves_the_profile_and_a_published_contact_with_consent(client, dresden_editor, dresden):
    client.force_login(dresden_editor)
    assert client.get("/de/dashboard/dresden/profile/").status_code == 200
    new = {"contacts-0-name": "Kerstin Beispiel", "contacts-0-role": "Koordination", "contacts-0-email": "k@example.org",
           "contacts-0-consent": ContactConsent.GIVEN, "contacts-0-consent_given_on": "2026-01-10", "contacts-0-publish": "on"}
    response = client.post("/de/dashboard/dresden/profile/", profile_data(dresden, extra=new))
    assert response.status_code == 302
    dresden.refresh_from_db()
    assert dresden.lead_department == "Büro der Integrations- und Ausländerbeauftragten"
    assert dresden.version == 2
    assert dresden.history.first().history_user == dresden_editor
    contact = Contact.objects.get()
    assert (contact.name, contact.publish, contact.history.first().history_user) == ("Kerstin Beispiel", True, dresden_editor)
    public = client.get("/de/members/dresden/").content.decode()
    assert "Kerstin Beispiel" in public and "Dresden tritt für Vielfalt ein." in public


@pytest.mark.parametrize(
    ("lang", "message"),
    [("de", "Ein Kontakt kann nur mit erfasster Einwilligung veröffentlicht werden."),
     ("en", "A contact can only be published with recorded consent.")],
)
def test_it_refuses_to_publish_a_contact_without_consent_and_keeps_the_input(client, dresden_editor, dresden, lang, message):
    client.force_login(dresden_editor)
    new = {"contacts-0-name": "Ohne Einwilligung", "contacts-0-email": "o@example.org",
           "contacts-0-consent": ContactConsent.NONE, "contacts-0-publish": "on"}
    response = client.post(f"/{lang}/dashboard/dresden/profile/", profile_data(dresden, extra=new, description="Neuer Text"))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="Ohne Einwilligung"' in body and "Neuer Text" in body
    assert not Contact.objects.exists()
    dresden.refresh_from_db()
    assert dresden.description == ""


def test_it_removes_a_contact_and_keeps_the_removal_in_the_history(client, dresden_editor, dresden):
    contact = ContactFactory(member=dresden, name="Alte Ansprechperson")
    client.force_login(dresden_editor)
    response = client.post("/de/dashboard/dresden/profile/", profile_data(dresden, [contact], {"contacts-0-DELETE": "on"}))
    assert response.status_code == 302
    assert not Contact.objects.exists()
    assert Contact.history.filter(id=contact.pk, history_type="-").get().history_user == dresden_editor


def test_it_refuses_the_second_of_two_concurrent_profile_saves(dresden_editor, dresden_lead, dresden):
    first, second = Client(), Client()
    first.force_login(dresden_editor)
    second.force_login(dresden_lead)
    started_at = dresden.version
    assert first.post("/en/dashboard/dresden/profile/", profile_data(dresden, lead_department="Amt A", version=started_at)).status_code == 302
    response = second.post("/en/dashboard/dresden/profile/", profile_data(dresden, lead_department="Amt B", version=started_at))
    assert response.status_code == 409
    body = response.content.decode()
    assert '<td class="conflict-theirs">Amt A</td>' in body and '<td class="conflict-mine">Amt B</td>' in body
    assert 'value="Amt B"' in body
    dresden.refresh_from_db()
    assert dresden.lead_department == "Amt A"


def test_it_never_touches_another_members_contact_sent_in_the_formset(client, dresden_editor, dresden, duesseldorf):
    foreign = ContactFactory(member=duesseldorf, name="Düsseldorfer Kontakt", email="d@example.org")
    client.force_login(dresden_editor)
    for extra in ({"contacts-0-name": "Übernommen"}, {"contacts-0-DELETE": "on"}):
        dresden.refresh_from_db()
        data = profile_data(dresden, [foreign], extra)
        response = client.post("/en/dashboard/dresden/profile/", data)
        # The inline formset only knows Dresden's contacts: the foreign row is dropped, never a 500.
        assert response.status_code in (200, 302)
        foreign.refresh_from_db()
        assert (foreign.member, foreign.name) == (duesseldorf, "Düsseldorfer Kontakt")
    assert not dresden.contacts.exists()


def test_it_accepts_only_the_offered_description_languages(client, dresden_editor, dresden):
    client.force_login(dresden_editor)
    response = client.post("/en/dashboard/dresden/profile/", profile_data(dresden, content_language='x"><b'))
    assert response.status_code == 200
    assert "content_language" in response.context["form"].errors
    dresden.refresh_from_db()
    assert dresden.content_language == "de" and dresden.version == 1


@time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC))
def test_it_lets_coordinators_state_website_and_population_and_dates_the_statement(client, dresden_editor, dresden):
    dresden.population, dresden.website = None, "https://www.dresden.de/"
    dresden.save()
    client.force_login(dresden_editor)
    response = client.post("/de/dashboard/dresden/profile/", profile_data(dresden, population="566222"))
    assert response.status_code == 302
    dresden.refresh_from_db()
    assert (dresden.population, dresden.population_stated_on) == (566222, dt.date(2026, 11, 28))
    assert dresden.website_stated_on is None  # unchanged: still the seeded fact with its source
    page = client.get("/de/members/dresden/").content.decode()
    assert "566.222 <span" in page and "(Angabe des Mitglieds, 28. November 2026)" in page
    assert page.count("Angabe des Mitglieds") == 1
    english = client.get("/en/members/dresden/").content.decode()
    assert "(stated by the member, 28 Nov 2026)" in english


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("population", "-5", "Dieser Wert muss größer oder gleich 0 sein."),
        ("population", "800000000", "kleiner oder gleich 50.000.000"),
        ("population", "viele", "Geben Sie eine ganze Zahl wie 566.222 ein."),
        ("population", "566,2", "Geben Sie eine ganze Zahl wie 566.222 ein."),
        ("website", "dresden punkt de", "Bitte eine gültige Adresse eingeben."),
    ],
)
def test_it_refuses_an_implausible_population_or_website_and_keeps_the_input(client, dresden_editor, dresden, field, value, message):
    client.force_login(dresden_editor)
    response = client.post("/de/dashboard/dresden/profile/", profile_data(dresden, **{field: value}))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and f'value="{value}"' in body
    dresden.refresh_from_db()
    assert dresden.version == 1 and dresden.population_stated_on is None and dresden.website_stated_on is None


def test_it_keeps_a_colleagues_lead_department_when_i_change_only_the_description(dresden_editor, dresden_lead, dresden):
    first, second = Client(), Client()
    first.force_login(dresden_editor)
    second.force_login(dresden_lead)
    # The form as opened: the stored values.
    opened = profile_data(dresden, description=dresden.description, lead_department=dresden.lead_department)
    assert first.post("/en/dashboard/dresden/profile/", {**opened, "lead_department": "Amt A"}).status_code == 302
    assert second.post("/en/dashboard/dresden/profile/", {**opened, "description": "Neue Beschreibung"}).status_code == 302
    dresden.refresh_from_db()
    assert (dresden.lead_department, dresden.description) == ("Amt A", "Neue Beschreibung")


def test_it_does_not_merge_a_stale_profile_whose_contacts_differ_from_the_stored_ones(dresden_editor, dresden_lead, dresden):
    # The contacts have no versions of their own: a stale form's contacts would silently replace the colleague's.
    contact = ContactFactory(member=dresden, name="Vorher", email="v@example.org")
    first, second = Client(), Client()
    first.force_login(dresden_editor)
    second.force_login(dresden_lead)
    opened = profile_data(dresden, [contact], description=dresden.description, lead_department=dresden.lead_department)
    assert first.post("/en/dashboard/dresden/profile/", {**opened, "contacts-0-name": "Vom Kollegen"}).status_code == 302
    response = second.post("/en/dashboard/dresden/profile/", {**opened, "description": "Neue Beschreibung"})
    assert response.status_code == 409
    assert "In your form (not saved)" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).name == "Vom Kollegen"


def test_it_keeps_the_date_of_a_colleagues_statement_when_my_stale_form_changes_another_field(dresden_editor, dresden_lead, dresden):
    first, second = Client(), Client()
    first.force_login(dresden_editor)
    second.force_login(dresden_lead)
    opened = profile_data(dresden, description=dresden.description, lead_department=dresden.lead_department)
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC)):
        assert first.post("/en/dashboard/dresden/profile/", {**opened, "population": "566222"}).status_code == 302
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)):
        assert second.post("/en/dashboard/dresden/profile/", {**opened, "description": "Neu"}).status_code == 302
    dresden.refresh_from_db()
    assert (dresden.population, dresden.population_stated_on, dresden.description) == (566222, dt.date(2026, 11, 28), "Neu")


@pytest.mark.parametrize(("lang", "population", "shown"), [("de", "566.222", "566.222"), ("en", "566,222", "566,222"), ("de", "566222", "566.222")])
def test_it_takes_the_population_with_thousands_and_shows_it_so(client, dresden_editor, dresden, lang, population, shown):
    client.force_login(dresden_editor)
    response = client.post(f"/{lang}/dashboard/dresden/profile/", profile_data(dresden, population=population))
    assert response.status_code == 302
    dresden.refresh_from_db()
    assert dresden.population == 566222
    form = client.get(f"/{lang}/dashboard/dresden/profile/").content.decode()
    assert f'value="{shown}"' in form and 'inputmode="numeric"' in form


@pytest.mark.parametrize(("lang", "message"), [("de", "Geben Sie eine ganze Zahl wie 566.222 ein."), ("en", "Enter a whole number such as 566,222.")])
def test_it_explains_a_population_with_a_fraction_and_keeps_it(client, dresden_editor, dresden, lang, message):
    client.force_login(dresden_editor)
    typed = "566,2" if lang == "de" else "566.2"
    response = client.post(f"/{lang}/dashboard/dresden/profile/", profile_data(dresden, population=typed))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and f'value="{typed}"' in body
    dresden.refresh_from_db()
    assert dresden.version == 1


def test_it_saves_a_website_typed_without_scheme_with_https(client, dresden_editor, dresden):
    client.force_login(dresden_editor)
    response = client.post("/de/dashboard/dresden/profile/", profile_data(dresden, website="www.dresden.de"))
    assert response.status_code == 302
    dresden.refresh_from_db()
    assert dresden.website == "https://www.dresden.de"
