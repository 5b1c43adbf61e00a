import datetime as dt

import pytest
from django.core.management import call_command

from actionplan.models import Commitment, Measure
from members.models import Contact, Member, MemberKind, NetworkMembership, WorkingGroup
from reports.models import ImplementationReport, ReportStatus

pytestmark = pytest.mark.django_db


def table_counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in {"members", "actionplan", "reports"}}


def test_it_loads_the_ten_commitments_in_both_languages():
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    titles = list(Commitment.objects.order_by("number").values_list("number", "title_de", "title_en"))
    assert [n for n, _, _ in titles] == list(range(1, 11))
    assert titles[0][1:] == ("Verstärkte Wachsamkeit gegenüber Rassismus", "Greater Vigilance Against Racism")
    assert titles[9][1:] == ("Rassistische Gewalttaten und Konfliktmanagement", "Hate Crimes and Conflict Management")


def test_it_loads_the_portals_summaries_of_the_commitments_whose_official_text_it_read(client):
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    summaries = dict(Commitment.objects.values_list("number", "summary_en"))
    assert summaries[1].startswith("Set up a network at city level") and summaries[2].startswith("Start or extend the collection")
    assert all(not summaries[n] for n in range(3, 11))  # none invented where the official text was not read
    assert Commitment.objects.get(number=2).summary_de.startswith("Daten zu Rassismus und Diskriminierung")
    body = client.get("/en/commitments/1/").content.decode()
    assert "monitors racism, stays vigilant" in body and "The portal's summary, not the official wording" in body


def test_it_loads_the_five_members_with_their_facts_and_sources():
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    assert Member.objects.count() == 5
    aachen = Member.objects.get(slug="staedteregion-aachen")
    assert aachen.kind == MemberKind.DISTRICT
    assert aachen.admitted_on == dt.date(2019, 11, 1) and aachen.admitted_precision == "month"
    contact = Contact.objects.published().get(member=aachen)
    assert contact.email == "verena.mohnen@staedteregion-aachen.de" and contact.phone == "+49 241 5198-4611"

    ratzeburg = Member.objects.get(slug="ratzeburg-amt-lauenburgische-seen")
    assert ratzeburg.kind == MemberKind.JOINT
    assert list(ratzeburg.authorities.values_list("name", flat=True)) == ["Stadt Ratzeburg", "Amt Lauenburgische Seen"]
    assert "einstimmig" in ratzeburg.plan.adoption_note

    dresden = Member.objects.get(slug="dresden")
    assert dresden.lead_department == "Bürgermeisteramt"
    assert "Stadtrates" in dresden.admission_note
    assert dresden.source.url.startswith("https://www.dresden.de/")

    duesseldorf = Member.objects.get(slug="duesseldorf")
    assert duesseldorf.lead_department == "Gleichstellungsbüro"
    assert NetworkMembership.objects.filter(member=duesseldorf).count() == 8
    covenant = NetworkMembership.objects.get(member=duesseldorf, network__name="Covenant of Mayors")
    assert covenant.lead_department == "Amt für Umwelt- und Verbraucherschutz" and covenant.network.founded_year == 2008

    for member in Member.objects.all():
        assert member.source is not None, member


def test_it_does_not_invent_a_join_date_for_heilbronn():
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    heilbronn = Member.objects.get(slug="heilbronn")
    assert heilbronn.admitted_on is None
    assert heilbronn.council_resolution_on is None
    assert heilbronn.population is None and heilbronn.region == ""
    komma = Measure.objects.get(plan__member=heilbronn)
    assert komma.title.startswith("KommA")
    assert komma.source == heilbronn.source
    assert komma.progress is None  # the source gives no figure


def test_it_loads_the_working_group_and_dresdens_report_without_a_file():
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    group = WorkingGroup.objects.get(slug="small-cities-rural-areas")
    assert group.founded_on == dt.date(2025, 2, 5)
    assert list(group.initiated_by.values_list("slug", flat=True)) == ["ratzeburg-amt-lauenburgische-seen"]
    report = ImplementationReport.objects.get(member__slug="dresden")
    assert report.status == ReportStatus.PUBLISHED
    assert report.period_label == "2017 – September 2020"
    assert sorted(report.documents.values_list("language", "title")) == [("de", "Bericht ECCAR"), ("en", "Report ECCAR")]
    assert not any(doc.file for doc in report.documents.all())


def test_it_is_idempotent():
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    before = table_counts()
    history_before = Member.history.count()
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    assert table_counts() == before
    assert Member.history.count() == history_before  # a rerun writes nothing at all


def test_it_repairs_a_changed_fact_on_rerun():
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    Member.objects.filter(slug="dresden").update(lead_department="falsch")
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    assert Member.objects.get(slug="dresden").lead_department == "Bürgermeisteramt"


def test_it_moves_the_version_on_when_it_repairs_a_fact_so_an_open_form_is_told(client, dresden_editor_of_seed):
    from core.versioning import save_versioned

    member = Member.objects.get(slug="dresden")
    member.lead_department = "falsch"  # a wrong fact, as an earlier run left it
    save_versioned(member, expected_version=member.version)
    client.force_login(dresden_editor_of_seed)
    form = client.get("/de/dashboard/dresden/profile/").context["form"]
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    opened = {name: form[name].value() or "" for name in ("description", "content_language", "lead_department", "website", "population")}
    post = {**opened, "version": form["version"].value(), "contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0}
    # The repair and a coordinator's own change of the same fact: a conflict, nothing written.
    assert client.post("/de/dashboard/dresden/profile/", {**post, "lead_department": "Von Hand"}).status_code == 409
    assert Member.objects.get(pk=member.pk).lead_department == "Bürgermeisteramt"
    # Saving the form as it was opened keeps the repair: the coordinator did not touch the field.
    assert client.post("/de/dashboard/dresden/profile/", post).status_code == 302
    assert Member.objects.get(pk=member.pk).lead_department == "Bürgermeisteramt"


@pytest.fixture
def dresden_editor_of_seed(db):
    from members.models import CoordinatorRole
    from members.tests.factories import AssignmentFactory, UserFactory

    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    user = UserFactory(username="dresden-editor")
    AssignmentFactory(user=user, member=Member.objects.get(slug="dresden"), role=CoordinatorRole.EDITOR)
    return user


def test_it_records_the_admissions_the_sources_state_once():
    from members.models import MembershipTransition

    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    call_command("seed_eccar", stdout=open("/dev/null", "w"))
    ratzeburg = MembershipTransition.objects.get(member__slug="ratzeburg-amt-lauenburgische-seen")
    assert (ratzeburg.from_status, ratzeburg.to_status, ratzeburg.effective_on) == ("applicant", "member", dt.date(2024, 5, 1))
    assert "Bewerbungsphase" in ratzeburg.reason and "Ratzeburg" in ratzeburg.reason
    # Heilbronn's source gives no admission: nothing is invented.
    assert not MembershipTransition.objects.filter(member__slug="heilbronn").exists()
