import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from actionplan.tests.factories import ActionPlanFactory, MeasureFactory
from members.models import ApplicationStatus, Authority, Contact, Member, MemberStatus, MembershipApplication
from reports.tests.pdfs import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _url(name: str, *args, language: str = "de") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def _data(**extra) -> dict:
    data = {
        "name": "Stadt Ratzeburg und Amt Lauenburgische Seen", "kind": "joint", "country": "DE",
        "region": "Schleswig-Holstein", "population": "", "website": "",
        "authorities-TOTAL_FORMS": "4", "authorities-INITIAL_FORMS": "0", "authorities-MIN_NUM_FORMS": "0", "authorities-MAX_NUM_FORMS": "4",
        "authorities-0-name": "Stadt Ratzeburg", "authorities-0-kind": "city",
        "authorities-1-name": "Amt Lauenburgische Seen", "authorities-1-kind": "amt",
        "contact_name": "Erika Muster", "contact_role": "Koordinierungsstelle", "contact_email": "erika@ratzeburg.example",
        "contact_phone": "", "contact_consent": "on", "council_decision_expected_on": "2030-05-01",
        "motivation": "Antirassismusarbeit soll strukturell werden.", "homepage": "",
    }
    return {**data, **extra}


def _submit(client, language="de", **extra):
    return client.post(_url("members:apply", language=language), _data(**extra), REMOTE_ADDR="203.0.113.7")


def _confirm_link() -> str:
    return next(line for line in mail.outbox[-1].body.splitlines() if "/join/confirm/" in line).replace("http://127.0.0.1:8000", "")


def test_it_explains_membership_and_offers_the_form_in_both_languages(client):
    german = client.get(_url("members:apply")).content.decode()
    assert "Mitglied werden" in german and "Zehn-Punkte-Aktionsplan" in german
    english = client.get(_url("members:apply", language="en")).content.decode()
    assert "Become a member" in english and "every two years" in english


def test_it_takes_an_application_and_asks_the_contact_to_confirm_it(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client)
    assert response.status_code == 302 and response.headers["Location"] == _url("members:apply_sent")
    application = MembershipApplication.objects.get()
    assert application.status == ApplicationStatus.UNCONFIRMED and application.member is None
    assert application.authority_names == ["Stadt Ratzeburg", "Amt Lauenburgische Seen"]
    assert application.submitted_from == "203.0.113.7" and application.language == "de"
    assert mail.outbox[-1].to == ["erika@ratzeburg.example"] and "bestätigen" in mail.outbox[-1].subject
    # Nothing reaches the public or a member list before confirmation.
    assert not Member.objects.exists()


def test_it_makes_the_confirmed_application_an_applicant_member_that_is_never_public(client, django_capture_on_commit_callbacks, settings):
    settings.REPORTS_NOTIFY_EMAILS = ["sekretariat@eccar.example"]
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client)
    link = _confirm_link()
    assert "Antrag bestätigen" in client.get(link).content.decode()  # a GET (a mail scanner) confirms nothing
    assert MembershipApplication.objects.get().status == ApplicationStatus.UNCONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 200 and "bestätigt" in response.content.decode()
    application = MembershipApplication.objects.get()
    member = application.member
    assert application.status == ApplicationStatus.CONFIRMED and member.status == MemberStatus.APPLICANT
    assert member.slug == "stadt-ratzeburg-und-amt-lauenburgische-seen"
    assert list(Authority.objects.filter(member=member).values_list("name", "kind")) == [("Stadt Ratzeburg", "city"), ("Amt Lauenburgische Seen", "amt")]
    contact = Contact.objects.get(member=member)
    assert contact.email == "erika@ratzeburg.example" and not contact.publish
    assert mail.outbox[-1].to == ["sekretariat@eccar.example"]
    # An applicant with public measures is still not public anywhere.
    plan = ActionPlanFactory(member=member)
    MeasureFactory(plan=plan, is_public=True, title="Geheime Maßnahme")
    assert client.get(member.get_absolute_url()).status_code == 404
    for url in [_url("members:list"), _url("actionplan:commitment", plan.measures.get().commitment.number), "/open-data/measures.csv", "/sitemap-members.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert "Ratzeburg" not in body.decode(), url
    assert "already" not in client.post(link).content.decode()  # a second click: calmly "already confirmed"
    assert "bereits bestätigt" in client.post(link).content.decode()
    assert Member.objects.count() == 1


def test_it_refuses_a_forged_confirmation_link(client):
    response = client.get(_url("members:apply_confirm", "forged"))
    assert response.status_code == 404 and "nicht gültig" in response.content.decode()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"name": ""}, "name", "Dieses Feld ist zwingend erforderlich."),
        ({"contact_consent": ""}, "contact_consent", "Bitte stimmen Sie der Kontaktaufnahme zu"),
        ({"council_decision_expected_on": ""}, "resolution", "Bitte fügen Sie den Ratsbeschluss als PDF bei"),
        ({"authorities-0-name": "", "authorities-1-name": ""}, None, "Bitte nennen Sie mindestens eine Gebietskörperschaft"),
        ({"contact_email": "keine-adresse"}, "contact_email", "gültige E-Mail-Adresse"),
    ],
)
def test_it_explains_bad_input_keeps_what_was_typed_and_stores_nothing(client, extra, field, message):
    response = _submit(client, **extra)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "Antirassismusarbeit soll strukturell werden." in body  # what was typed stays
    assert not MembershipApplication.objects.exists() and not mail.outbox


def test_it_takes_a_council_resolution_as_pdf_only(client):
    not_pdf = SimpleUploadedFile("beschluss.pdf", b"<html>kein PDF</html>", content_type="application/pdf")
    response = _submit(client, resolution=not_pdf, council_resolution_on="2024-02-01", council_decision_expected_on="")
    assert response.status_code == 400 and "keine PDF" in response.content.decode().replace("kein PDF", "keine PDF")
    assert not MembershipApplication.objects.exists()
    pdf = SimpleUploadedFile("beschluss.pdf", make_pdf("Ratsbeschluss"), content_type="application/pdf")
    response = _submit(client, resolution=pdf, council_resolution_on="2024-02-01", council_decision_expected_on="")
    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    assert application.resolution.name.startswith("applications/") and "beschluss" not in application.resolution.name


def test_it_keeps_the_typed_application_when_the_disk_is_full_and_leaves_no_file(client, monkeypatch, tmp_path):
    import errno
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    def full_disk(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:100])  # a write that stops half-way
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    pdf = SimpleUploadedFile("beschluss.pdf", make_pdf("Ratsbeschluss"), content_type="application/pdf")
    response = _submit(client, resolution=pdf, council_resolution_on="2024-02-01", council_decision_expected_on="")
    assert response.status_code == 503
    body = response.content.decode()
    assert "Speicher" in body or "storage" in body
    assert 'value="2024-02-01"' in body  # what was typed stays
    assert not MembershipApplication.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_it_ignores_a_bot_that_fills_the_honeypot(client):
    response = _submit(client, homepage="http://spam.example")
    assert response.status_code == 400
    assert not MembershipApplication.objects.exists() and not mail.outbox


def test_it_limits_applications_per_address_and_per_ip(client, settings):
    settings.APPLICATIONS_PER_HOUR = 2
    assert _submit(client).status_code == 302
    assert _submit(client, contact_email="other@ratzeburg.example").status_code == 302
    response = _submit(client, contact_email="third@ratzeburg.example")  # same IP, third time
    assert response.status_code == 429 and "innerhalb der letzten Stunde" in response.content.decode()
    assert MembershipApplication.objects.count() == 2
    response = client.post(_url("members:apply"), _data(), REMOTE_ADDR="198.51.100.9")  # same address, other IP
    assert response.status_code == 302  # first address used once so far
    response = client.post(_url("members:apply"), _data(), REMOTE_ADDR="198.51.100.10")
    assert response.status_code == 429


def test_it_writes_the_confirmation_in_the_language_of_the_page(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, language="en")
    assert "Please confirm" in mail.outbox[-1].subject
    assert "/en/join/confirm/" in mail.outbox[-1].body
    assert MembershipApplication.objects.get().language == "en"


def test_it_takes_a_population_with_thousands_and_a_website_without_scheme(client):
    response = _submit(client, population="12.345", website="www.ratzeburg.de")
    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    assert (application.population, application.website) == (12345, "https://www.ratzeburg.de")


def test_it_explains_a_population_with_a_fraction_and_keeps_it(client):
    response = _submit(client, language="en", population="12.5")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a whole number such as 566,222." in body and 'value="12.5"' in body
    assert not MembershipApplication.objects.exists()
