"""The diff of two report snapshots (reports/comparison.py): pure functions, no database."""

import datetime as dt
from decimal import Decimal

from reports.comparison import compare_snapshots, narrative_changes


def measure(id, status="in_progress", progress=None, title=None):
    return {"id": id, "title": title or f"Maßnahme {id}", "status": status, "progress": progress, "responsible_unit": "", "updates": []}


def indicator(id, latest=None, share=None, name="Beratungsfälle"):
    return {
        "id": id, "name": name, "unit": "Fälle", "measure_id": None, "measure_title": "",
        "baseline": {"date": "2022-01-01", "value": "40.00"}, "target": {"date": "2027-12-31", "value": "100.00"},
        "values": [], "latest": {"date": latest[0], "value": latest[1]} if latest else None, "share_percent": share,
    }


def snapshot(*commitments, schema=2):
    groups = []
    for number, measures, indicators in commitments:
        group = {"number": number, "title_de": f"Verpflichtung {number}", "title_en": f"Commitment {number}", "measures": measures}
        if schema >= 2:
            group["indicators"] = indicators
        groups.append(group)
    return {"schema": schema, "period": {"start": "2021-01-01", "end": "2022-12-31"}, "commitments": groups}


def group(result, number):
    return next(c for c in result.commitments if c.number == number)


def test_it_lists_added_finished_discontinued_gone_and_changed_measures_per_commitment():
    old = snapshot(
        (1, [measure(1), measure(2), measure(3, progress=20), measure(4), measure(5, "planned"), measure(6, "in_progress")], []),
        (2, [measure(7, "implemented", 100)], []),
    )
    new = snapshot(
        (1, [measure(2, "implemented", 100), measure(3, progress=60), measure(4, "discontinued"), measure(5, "planned"),
             measure(6, "continuous"), measure(8, "planned")], []),
        (2, [measure(7, "implemented", 100)], []),
    )
    result = compare_snapshots(old, new)
    one = group(result, 1)
    assert [m.id for m in one.added] == [8]
    assert [(m.id, m.old_status, m.new_status) for m in one.finished] == [(2, "in_progress", "implemented")]
    assert [m.id for m in one.discontinued] == [4]
    assert [m.id for m in one.gone] == [1]  # no longer in the report: not called discontinued
    # Continuous is a status change, not an end; progress changes are listed with both values.
    assert {(m.id, m.old_progress, m.new_progress, m.old_status, m.new_status) for m in one.changed} == {
        (3, 20, 60, "in_progress", "in_progress"), (6, None, None, "in_progress", "continuous")
    }
    assert one.unchanged == 1
    two = group(result, 2)
    assert not two.has_changes and two.unchanged == 1
    assert result.totals() == {"added": 1, "finished": 1, "discontinued": 1, "gone": 1, "changed": 2}


def test_it_does_not_count_a_measure_finished_twice_nor_an_unchanged_indicator_as_a_change():
    old = snapshot((1, [measure(1, "implemented", 100)], [indicator(1, ("2022-06-30", "55.00"), 25)]))
    new = snapshot((1, [measure(1, "implemented", 100)], [indicator(1, ("2022-06-30", "55.00"), 25)]))
    result = compare_snapshots(old, new)
    assert not result.has_changes
    assert len(group(result, 1).indicators) == 1  # still shown, then and now
    newer = snapshot((1, [measure(1, "implemented", 100)], [indicator(1, ("2024-06-30", "56.00"), 27)]))
    assert compare_snapshots(old, newer).has_changes and not group(compare_snapshots(old, newer), 1).measures_changed


def test_it_files_a_measure_that_moved_under_its_new_commitment():
    old = snapshot((1, [measure(1, progress=10)], []), (2, [], []))
    new = snapshot((1, [], []), (2, [measure(1, progress=50)], []))
    result = compare_snapshots(old, new)
    assert not group(result, 1).has_changes
    assert [m.id for m in group(result, 2).changed] == [1]


def test_it_compares_indicator_values_then_and_now():
    old = snapshot((1, [], [indicator(1, ("2022-06-30", "55.00"), 25), indicator(2), indicator(3, ("2022-01-01", "1.00"))]))
    new = snapshot((1, [], [indicator(1, ("2024-06-30", "85.00"), 75), indicator(2), indicator(4, ("2024-01-01", "7.50"))]))
    rows = {i.id: i for i in group(compare_snapshots(old, new), 1).indicators}
    assert rows[1].then == {"date": dt.date(2022, 6, 30), "value": Decimal("55.00")}
    assert rows[1].now == {"date": dt.date(2024, 6, 30), "value": Decimal("85.00")}
    assert (rows[1].then_share, rows[1].now_share, rows[1].difference) == (25, 75, Decimal("30.00"))
    assert rows[2].then is None and rows[2].now is None and rows[2].in_old and rows[2].in_new  # no value yet either time
    assert rows[3].in_old and not rows[3].in_new and rows[3].now is None  # retired or made internal since
    assert rows[4].in_new and not rows[4].in_old and rows[4].then is None and rows[4].difference is None


def test_it_compares_with_a_schema_1_snapshot_that_froze_no_indicators():
    old = snapshot((1, [measure(1)], []), schema=1)
    new = snapshot((1, [measure(1, "implemented", 100)], [indicator(1, ("2024-06-30", "85.00"), 75)]))
    result = compare_snapshots(old, new)
    assert not result.old_has_indicators and result.new_has_indicators
    row = group(result, 1).indicators[0]
    assert not row.in_old and row.now["value"] == Decimal("85.00")
    assert [m.id for m in group(result, 1).finished] == [1]


def test_it_compares_nothing_with_nothing():
    result = compare_snapshots({}, {})
    assert result.commitments == [] and not result.has_changes


def test_it_lists_changed_texts_in_order():
    old = {"title": "Bericht", "summary": "Kurz", "1": "Alt", "2": "Gleich", "10": ""}
    new = {"title": "Bericht", "summary": "Länger", "1": "Neu", "2": "Gleich ", "10": "Ergänzt"}
    assert narrative_changes(old, new) == [
        {"key": "summary", "old": "Kurz", "new": "Länger"},
        {"key": "1", "old": "Alt", "new": "Neu"},
        {"key": "10", "old": "", "new": "Ergänzt"},
    ]


def test_it_lists_the_documents_added_removed_and_renamed_between_two_submissions():
    from reports.comparison import document_changes

    def doc(id, title, language="de"):
        return {"id": id, "title": title, "language": language, "has_file": True}

    old = [doc(1, "Bericht"), doc(2, "Entwurf"), doc(3, "Anhang")]
    new = [doc(1, "Bericht"), doc(3, "Annex", "en"), doc(4, "Report", "en")]
    changes = document_changes(old, new)
    assert [d["id"] for d in changes["added"]] == [4]
    assert [d["id"] for d in changes["removed"]] == [2]
    assert [(c["old"]["title"], c["new"]["title"], c["new"]["language"]) for c in changes["changed"]] == [("Anhang", "Annex", "en")]
    assert document_changes(None, new) is None  # kept before documents were: unknown, not "all added"
    assert document_changes(new, new) == {"added": [], "removed": [], "changed": []}
