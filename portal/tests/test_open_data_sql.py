"""The open-data files written by PostgreSQL are byte for byte those of the Python writers (schema version 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from actionplan.models import Measure, MeasureStatus
from actionplan.tests.factories import MeasureFactory
from members.models import Authority, MemberStatus
from members.tests.factories import MemberFactory
from portal import opendata, opendata_sql

TRICKY = [
    'Quote " inside, and a comma',
    "Line one\nline two\r\nline three\rend",
    "Umlaute: Äußerst schöne Grüße – „Anführung“ 🚀",
    "=HYPERLINK(\"http://evil\")",
    "+1 plus",
    "-minus",
    "@at",
    "\ttab first",
    "\rcarriage first",
    "semi;colon",
    "back\\slash and control \x01\x1f chars",
    "",
    "plain",
]
URL = "https://eccar.example/de/members/987654321/"


@pytest.fixture
def tricky(seeded):
    for i, text in enumerate(TRICKY):
        member = MemberFactory(name=text or "X", status=MemberStatus.MEMBER if i % 4 else MemberStatus.FORMER,
                               description=text, region=text[:50], website="https://example.org/a,b")
        Authority.objects.create(member=member, name=text or "Amt", position=0)
        MeasureFactory(
            plan__member=member, title=text or "T", description=text, partners=text, responsible_unit=text,
            status=MeasureStatus.values[i % 5], progress=None if i % 3 == 0 else i,
            start_date=dt.date(2024, 1, i + 1) if i % 2 else None,
        )
    # Times with and without microseconds, as both writers must tell apart.
    Measure.objects.filter(title="plain").update(updated_at=dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC))
    Measure.objects.filter(title="semi;colon").update(updated_at=timezone.now().replace(microsecond=120))


def old_csv(dataset, *, excel=False) -> str:
    return "".join(opendata._csv_lines(dataset, URL, excel=excel))


def old_json(dataset) -> str:
    return "".join(opendata._json_lines(dataset, URL))


@pytest.mark.parametrize("slug", ["measures", "members", "reports"])
def test_it_writes_the_same_csv_as_the_python_writer(tricky, slug):
    dataset = opendata.DATASETS[slug]
    new = "".join(opendata_sql.csv_chunks(dataset, URL))
    assert new == old_csv(dataset)
    assert new.count("\r\n") > 1


@pytest.mark.parametrize("slug", ["measures", "members", "reports"])
def test_it_writes_the_same_excel_csv_as_the_python_writer(tricky, slug):
    dataset = opendata.DATASETS[slug]
    assert "".join(opendata_sql.csv_chunks(dataset, URL, excel=True)) == old_csv(dataset, excel=True)


@pytest.mark.parametrize("slug", ["measures", "members", "reports"])
def test_it_writes_the_same_json_as_the_python_writer(tricky, slug):
    dataset = opendata.DATASETS[slug]
    assert "".join(opendata_sql.json_chunks(dataset, URL)) == old_json(dataset)


def test_it_serves_the_sql_written_file(client, tricky):
    response = client.get("/open-data/measures.csv")
    body = b"".join(response.streaming_content).decode()
    expected = old_csv(opendata.DATASETS["measures"]).replace(URL.replace("987654321/", ""), "http://testserver/de/members/")
    assert body == expected
