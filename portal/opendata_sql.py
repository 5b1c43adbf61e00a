"""The open-data downloads written by PostgreSQL: each row arrives as one finished CSV or JSON line.

The same bytes as the row-by-row writers in portal/opendata.py (schema version 1; portal/tests/test_open_data_sql.py
compares them on tricky text), at several times the speed: Python only joins lines that a server-side cursor
hands over in chunks, so memory stays flat.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db import connection

from portal.opendata import _FORMULA_START, _LABEL_CHOICES, _SENTINEL, Dataset, _status_labels, link_columns

# Lines per fetch from the server-side cursor, and so per piece of the response: about 200 kB of CSV.
FETCH_SIZE = 1000

_FORMULA_SQL = ", ".join("E'" + c.replace("\t", "\\t").replace("\r", "\\r") + "'" for c in _FORMULA_START)


def _text(column_type: str, ref: str, *, excel: bool = False) -> str:
    """The value as the Python writers turn it into text (None stays NULL)."""
    if column_type == "date":
        return f"to_char({ref}, 'YYYY-MM-DD')"
    if excel and column_type == "decimal":
        # As opendata.german_decimal: no trailing zeros, a decimal comma.
        return f"replace(trim_scale({ref})::text, '.', ',')"
    if excel and column_type == "datetime":
        return f"to_char({ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
    if column_type == "datetime":
        # As datetime.isoformat() in UTC with "Z": microseconds only when there are any.
        utc = f"({ref} AT TIME ZONE 'UTC')"
        return (
            f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
            f" || CASE WHEN date_part('microseconds', {ref})::integer %% 1000000 <> 0 THEN to_char({utc}, '.US') ELSE '' END"
            " || 'Z')"
        )
    return f"({ref})::text"


def _csv_cell(value_sql: str, *, kind: str, delimiter: str, excel: bool) -> str:
    if kind != "text":  # numbers, dates and times: never quoted, never a formula
        return f"coalesce({value_sql}, '')"
    v = value_sql
    # Most cells need neither a guard nor quotes: one regular expression tells, the rest runs for the few others.
    # In the CSV for Excel a formula gets a leading apostrophe, as in opendata.neutralised; that adds nothing that
    # needs quoting. The plain CSV keeps the exact text.
    guarded = f"(CASE WHEN left({v}, 1) IN ({_FORMULA_SQL}) THEN '''' || {v} ELSE {v} END)" if excel else v
    # Quoted as Python's csv module does: when the cell holds the delimiter, a quote, CR or LF.
    special = "E'[" + delimiter + '"' + "\\r\\n]'"
    either = "E'[" + delimiter + '"' + "\\r\\n]|^[-=+@\\t]'" if excel else special
    slow = f"""CASE WHEN {v} ~ {special} THEN '"' || replace({guarded}, '"', '""') || '"' ELSE {guarded} END"""
    return f"coalesce(CASE WHEN {v} ~ {either} THEN {slow} ELSE {v} END, '')"


def _values(dataset: Dataset, url_pattern: str, *, excel: bool = False) -> tuple[list[tuple[str, str]], list[str], list]:
    """(SQL of the text value, its kind: int, plain or text) for every column of the dataset, in order; the
    derived columns (url, labels) computed once per row in a middle query, with their params."""
    columns = dataset.stored_columns
    values = []
    for i, column in enumerate(columns):
        # Numbers are written as PostgreSQL prints them: never quoted, and bare numbers in JSON.
        kind = "int" if column.type in ("integer", "decimal") else "plain" if column.type in ("date", "datetime") else "text"
        values.append((_text(column.type, f"t.c{i}", excel=excel), kind))
    derived, params = [], []
    before, after = url_pattern.split(str(_SENTINEL), 1)
    url_index = dataset.keys.index(dataset.url_field)
    derived.append(f"(%s || (t.c{url_index})::text || %s)")
    params += [before, after]
    names = [c.name for c in columns]
    for column in dataset.label_columns:
        index = names.index(column.label_of[0])
        labels = _status_labels(_LABEL_CHOICES[column.label_of[0]][dataset.slug], column.label_of[1])
        cases = " ".join("WHEN %s THEN %s" for _ in labels)
        derived.append(f"(CASE (t.c{index})::text {cases} ELSE (t.c{index})::text END)")
        for code, label in labels.items():
            params += [code, label]
    for parts, indexes in link_columns(dataset, url_pattern):
        pieces = []
        for part, index in zip(parts, indexes):
            pieces += ["%s", f"(t.c{index})::text"]
            params.append(part)
        pieces.append("%s")
        params.append(parts[-1])
        derived.append("(" + " || ".join(pieces) + ")")
    values += [(f"t.x{j}", "text") for j in range(len(derived))]
    # In the order of the columns (a stored column added after the derived ones is written in its place).
    return [values[i] for i in dataset.order], derived, params


def _query(dataset: Dataset, line_sql: str, derived: list[str], params: list) -> tuple[str, list]:
    inner, inner_params = dataset.queryset().values_list(*dataset.keys).query.sql_with_params()
    aliases = ", ".join(f"c{i}" for i in range(len(dataset.keys)))
    extra = "".join(f", {sql} AS x{j}" for j, sql in enumerate(derived))
    # The inner query keeps its ORDER BY; the outer ones only project, so the order is kept.
    middle = f"SELECT t.*{extra} FROM ({inner}) AS t({aliases})"
    return f"SELECT {line_sql} FROM ({middle}) AS t", [*params, *inner_params]


def _lines(sql: str, params: list) -> Iterator[str]:
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_SIZE):
            yield rows


def csv_chunks(dataset: Dataset, url_pattern: str, *, excel: bool = False) -> Iterator[str]:
    delimiter = ";" if excel else ","
    values, derived, params = _values(dataset, url_pattern, excel=excel)
    cells = [_csv_cell(sql, kind=kind, delimiter=delimiter, excel=excel) for sql, kind in values]
    careful = f" || '{delimiter}' || ".join(cells)
    plain = f" || '{delimiter}' || ".join(f"coalesce({sql}, '')" for sql, _kind in values)
    # One regular expression per row decides whether any text cell needs a guard or quotes (each text value
    # preceded by a control character, to spot a formula at its start); almost no row does.
    texts = " || ".join(f"E'\\x01' || coalesce({sql}, '')" for sql, kind in values if kind == "text")
    formula = "|\\x01[-=+@\\t]" if excel else ""
    needs_care = f"({texts}) ~ E'[{delimiter}\"\\r\\n]{formula}'"
    line = f"(CASE WHEN {needs_care} THEN {careful} ELSE {plain} END) || E'\\r\\n'"
    header = ("\ufeff" if excel else "") + delimiter.join(c.name for c in dataset.columns) + "\r\n"
    yield header
    for rows in _lines(*_query(dataset, line, derived, params)):
        yield "".join(row[0] for row in rows)


def json_chunks(dataset: Dataset, url_pattern: str) -> Iterator[str]:
    values, derived, params = _values(dataset, url_pattern)
    names = [c.name for c in dataset.columns]
    members = []
    for name, (sql, kind) in zip(names, values, strict=True):
        value = f"coalesce({sql}, 'null')" if kind == "int" else f"coalesce(to_json({sql})::text, 'null')"
        members.append(f"'{json.dumps(name)}: ' || {value}")
    line = "'{' || " + " || ', ' || ".join(members) + " || '}'"
    yield "["
    separator = "\n"
    for rows in _lines(*_query(dataset, line, derived, params)):
        yield separator + ",\n".join(row[0] for row in rows)
        separator = ",\n"
    yield "\n]\n"
