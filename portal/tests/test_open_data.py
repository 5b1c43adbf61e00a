import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from actionplan.tests.factories import MeasureFactory
from members.models import MemberStatus
from members.tests.factories import AuthorityFactory, MemberFactory
from reports.models import ReportStatus
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

MEMBER_COLUMNS = [
    "id", "slug", "name", "kind", "authorities", "country", "region", "population", "website", "status", "admitted_on",
    "admitted_precision", "left_on", "lead_department", "description", "content_language", "url",
    # Added later, at the end, as the schema promises.
    "status_label_de", "status_label_en",
]
MEASURE_COLUMNS = [
    "id", "member_id", "member_slug", "member_name", "country", "commitment", "title", "description", "responsible_unit",
    "partners", "status", "progress", "start_date", "end_date", "content_language", "updated_at", "url",
    "status_label_de", "status_label_en", "measure_url",
    # The commitment in words, in both languages, so that the column set is the same in every file.
    "commitment_title_de", "commitment_title_en",
]
REPORT_COLUMNS = [
    "id", "member_id", "member_slug", "member_name", "country", "period_start", "period_end", "period_label", "title",
    "summary", "published_at", "url",
]


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def read_csv(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Schema-Version"] == "1"
    return list(csv.DictReader(io.StringIO(body(response))))


def read_json(client, url) -> list[dict]:
    response = client.get(url)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(body(response))


@pytest.fixture
def data(db):
    import datetime as dt

    joint = MemberFactory(slug="joint", name="Stadt und Amt", kind="joint", admitted_on=dt.date(2024, 5, 1), admitted_precision="month")
    AuthorityFactory(member=joint, name="Stadt", position=0)
    AuthorityFactory(member=joint, name="Amt", position=1)
    MemberFactory(slug="bewerber", status=MemberStatus.APPLICANT)
    MeasureFactory(plan__member=joint, title="Öffentlich", start_date=dt.date(2024, 1, 2))
    MeasureFactory(plan__member=joint, title="Intern", is_public=False)
    MeasureFactory(plan__member=joint, title="Zurückgezogen", retired_at=timezone.now())
    MeasureFactory(plan__member__slug="bewerber", title="Vom Bewerber")
    ReportFactory(member=joint, title="Veröffentlicht", status=ReportStatus.PUBLISHED, published_at=timezone.now())
    ReportFactory(member=joint, title="Entwurf", status=ReportStatus.DRAFT)
    ReportFactory(member=joint, title="Eingereicht", status=ReportStatus.SUBMITTED)
    return joint


def test_it_exports_members_with_the_documented_columns(client, data):
    rows = read_csv(client, "/open-data/members.csv")
    assert list(rows[0].keys()) == MEMBER_COLUMNS
    assert [r["slug"] for r in rows] == ["joint"]
    assert rows[0]["authorities"] == "Stadt; Amt"
    assert rows[0]["admitted_on"] == "2024-05-01" and rows[0]["population"] == ""
    assert rows[0]["url"] == "http://testserver/de/members/joint/"
    items = read_json(client, "/open-data/members.json")
    assert list(items[0].keys()) == MEMBER_COLUMNS
    assert items[0]["population"] is None and items[0]["id"] == data.pk


def test_it_exports_only_public_measures(client, data):
    rows = read_csv(client, "/open-data/measures.csv")
    assert list(rows[0].keys()) == MEASURE_COLUMNS
    assert [r["title"] for r in rows] == ["Öffentlich"]
    assert rows[0]["start_date"] == "2024-01-02" and rows[0]["updated_at"].endswith("Z")
    items = read_json(client, "/open-data/measures.json")
    assert [list(i.keys()) for i in items] == [MEASURE_COLUMNS]
    assert items[0]["progress"] == 40 and items[0]["member_slug"] == "joint"
    # The measure's own page, added at the end as the schema promises; the member's page stays in "url".
    assert rows[0]["measure_url"] == f"http://testserver/de/members/joint/measures/{rows[0]['id']}/"
    assert items[0]["measure_url"] == rows[0]["measure_url"]
    assert items[0]["url"] == "http://testserver/de/members/joint/"


def test_it_exports_only_published_reports(client, data):
    rows = read_csv(client, "/open-data/reports.csv")
    assert list(rows[0].keys()) == REPORT_COLUMNS
    assert [r["title"] for r in rows] == ["Veröffentlicht"]
    items = read_json(client, "/open-data/reports.json")
    assert [i["title"] for i in items] == ["Veröffentlicht"] and list(items[0].keys()) == REPORT_COLUMNS
    assert items[0]["url"].startswith("http://testserver/de/reports/")


def test_it_writes_a_header_and_an_empty_array_when_there_is_no_data(client, db):
    assert body(client.get("/open-data/measures.csv")).strip() == ",".join(MEASURE_COLUMNS)
    assert read_json(client, "/open-data/measures.json") == []


def test_it_streams_large_downloads_in_chunks(client, db, django_assert_max_num_queries):
    from portal.opendata import CHUNK_SIZE

    member = MemberFactory()
    from actionplan.tests.factories import ActionPlanFactory, CommitmentFactory
    from actionplan.models import Measure

    plan = ActionPlanFactory(member=member)
    commitment = CommitmentFactory(number=1)
    Measure.objects.bulk_create([Measure(plan=plan, commitment=commitment, title=f"M {i}", is_public=True) for i in range(2 * CHUNK_SIZE + 10)])
    response = client.get("/open-data/measures.json")
    assert response.streaming
    with django_assert_max_num_queries(4):
        chunks = list(response.streaming_content)
    # Rows arrive in several pieces, not as one string built in memory.
    assert len(chunks) > 5
    assert len(json.loads(b"".join(chunks))) == 2 * CHUNK_SIZE + 10


def test_it_gives_404_for_unknown_datasets_and_formats(client, db):
    assert client.get("/open-data/users.csv").status_code == 404
    assert client.get("/open-data/members.xml").status_code == 404


def test_it_documents_the_schema_in_both_languages(client, db):
    de = client.get("/de/open-data/").content.decode()
    en = client.get("/en/open-data/").content.decode()
    for column in MEASURE_COLUMNS + MEMBER_COLUMNS + REPORT_COLUMNS:
        assert f"<code>{column}</code>" in en
    assert "/open-data/measures.csv" in en and "/open-data/measures.json" in en
    assert "Open data" in en and '<html lang="de">' in de
    assert client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en").headers["Location"] == "/en/open-data/"


def test_it_keeps_memory_flat_while_streaming(client, db):
    import tracemalloc

    from actionplan.models import Measure
    from actionplan.tests.factories import ActionPlanFactory, CommitmentFactory

    plan = ActionPlanFactory(member=MemberFactory())
    commitment = CommitmentFactory(number=2)
    text = "Beratung und Begleitung für Betroffene. " * 12
    peaks, sizes, rows = [], [], 0
    for total in (4000, 16000):
        Measure.objects.bulk_create(
            [Measure(plan=plan, commitment=commitment, title=f"M {i}", description=text, is_public=True) for i in range(total - rows)]
        )
        rows = total
        response = client.get("/open-data/measures.csv")
        tracemalloc.start()
        sizes.append(sum(len(chunk) for chunk in response.streaming_content))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert sizes[1] > 3.9 * sizes[0]
    # Four times the rows, (almost) the same peak memory: only about one cursor chunk is ever held.
    assert peaks[1] < 1.3 * peaks[0]


def excel_rows(client, url) -> list[dict]:
    raw = b"".join(client.get(url).streaming_content)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_it_neutralises_spreadsheet_formulas_in_the_excel_csv_only(client, db):
    # A clerk opening the CSV for Excel must not run a formula a coordinator typed into a title (CSV injection).
    member = MemberFactory(slug="formel", name="=HYPERLINK(\"http://evil.example\";\"Klick\")", region="@SUM(A1)")
    MeasureFactory(plan__member=member, title="+cmd|' /C calc'!A0", description="-2+3", partners="\tTab", responsible_unit="Amt = Amt")
    members = excel_rows(client, "/open-data/members.excel.csv")
    assert members[0]["name"] == "'=HYPERLINK(\"http://evil.example\";\"Klick\")"
    assert members[0]["region"] == "'@SUM(A1)"
    measure = excel_rows(client, "/open-data/measures.excel.csv")[0]
    assert measure["title"] == "'+cmd|' /C calc'!A0"
    assert measure["description"] == "'-2+3"
    assert measure["partners"] == "'\tTab"
    # Text that merely contains an operator, numbers and dates stay as they are.
    assert measure["responsible_unit"] == "Amt = Amt" and measure["progress"] == "40"


def test_it_keeps_the_exact_text_in_the_plain_csv_as_in_the_json(client, db):
    # The plain CSV is for programs: its cells are the JSON's values, apostrophe-free.
    member = MemberFactory(slug="formel", name="=HYPERLINK(\"http://evil.example\";\"Klick\")", region="@SUM(A1)")
    MeasureFactory(plan__member=member, title="+cmd|' /C calc'!A0", description="-2+3", partners="\tTab")
    for slug in ("members", "measures"):
        rows = read_csv(client, f"/open-data/{slug}.csv")
        items = read_json(client, f"/open-data/{slug}.json")
        assert rows == [{k: "" if v is None else str(v) for k, v in item.items()} for item in items]
    assert read_csv(client, "/open-data/measures.csv")[0]["title"] == "+cmd|' /C calc'!A0"


def test_it_gives_the_status_in_words_beside_the_code(client, seeded):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/open-data/members.csv")))))
    dresden = next(r for r in rows if r["slug"] == "dresden")
    assert (dresden["status"], dresden["status_label_de"], dresden["status_label_en"]) == ("member", "Mitglied", "Member")


def test_it_offers_a_csv_that_german_excel_opens(client, seeded):
    response = client.get("/open-data/members.excel.csv")
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="eccar-members-excel.csv"'
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # the byte order mark tells Excel it is UTF-8
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == MEMBER_COLUMNS
    assert any("Landeshauptstadt Düsseldorf" in row for row in rows)
    # The standard CSV is unchanged: commas, no BOM.
    assert not b"".join(client.get("/open-data/members.csv").streaming_content).startswith("\ufeff".encode())


def test_it_says_plainly_that_no_licence_is_chosen_until_the_secretariat_chooses_one(client, db, staff):
    from secretariat.models import OpenDataLicence

    page = client.get("/de/open-data/").content.decode()
    assert "Für diese Daten ist noch keine Lizenz gewählt." in page
    assert "Link" not in client.get("/open-data/members.json")
    OpenDataLicence.objects.create(name="CC BY 4.0", url="https://creativecommons.org/licenses/by/4.0/", chosen_by=staff)
    page = client.get("/en/open-data/").content.decode()
    assert "published under the licence “CC BY 4.0”" in page
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">' in page
    assert client.get("/open-data/members.json")["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
