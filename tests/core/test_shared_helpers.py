"""The small helpers that several modules now share (issue 15: no twin in momentum_app).

Each one replaced two or more copies; these tests pin what every copy did, so a change
to the helper shows here first and not only in one of the modules that use it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from momentum_app.core import planning
from momentum_app.core.errors import ValidationError
from momentum_app.core.imports import common
from momentum_app.core.services import validation as v
from momentum_app.core.sqlite import day_conditions


def test_day_conditions_adds_only_the_bounds_given_and_selects_those_days() -> None:
    assert day_conditions(("day >= ?", None), ("day < ?", None)) == ("", [])
    sql, params = day_conditions(("day >= ?", date(2026, 1, 2)), ("day < ?", date(2026, 1, 4)))
    assert (sql, params) == (" AND day >= ? AND day < ?", ["2026-01-02", "2026-01-04"])
    assert day_conditions(("day >= ?", None), ("day <= ?", date(2026, 3, 1))) == (
        " AND day <= ?", ["2026-03-01"])
    with sqlite3.connect(":memory:") as db:  # the SQL and its parameters agree
        db.execute("CREATE TABLE t (day TEXT)")
        db.executemany("INSERT INTO t VALUES (?)",
                       [(f"2026-01-0{n}",) for n in range(1, 6)])
        found = db.execute("SELECT day FROM t WHERE 1" + sql + " ORDER BY day", params)
        assert [row[0] for row in found] == ["2026-01-02", "2026-01-03"]


def test_changes_checks_only_what_was_given_in_order_naming_the_first_bad_field() -> None:
    missing = object()
    assert v.changes(missing, (("title", " Pay rent ", v.title),
                               ("complexity", missing, v.complexity))) == {"title": "Pay rent"}
    assert v.changes(None, (("notes", "", v.notes),)) == {"notes": ""}  # empty is given
    with pytest.raises(ValidationError) as caught:
        v.changes(None, (("title", "", v.title), ("complexity", "9", v.complexity)))
    assert caught.value.field == "title"


def test_parse_instant_in_reads_a_wall_time_in_the_zone_and_names_the_field() -> None:
    assert common.parse_instant_in("2026-07-01T12:00:00", "due", "Europe/Berlin", "bad") == \
        datetime(2026, 7, 1, 10, tzinfo=UTC)
    assert common.parse_instant_in("20261121T120000Z", "due", "Europe/Berlin", "bad") == \
        datetime(2026, 11, 21, 12, tzinfo=UTC)
    with pytest.raises(ValidationError) as caught:
        common.parse_instant_in("soon", "due", "UTC", "not a date: 'soon'")
    assert (caught.value.field, caught.value.message) == ("due", "not a date: 'soon'")


def test_json_export_wants_an_object_holding_the_container() -> None:
    assert common.json_export('{"items": []}', "items", list, "no")["items"] == []
    for text in ('[]', '{"items": {}}', '{"other": []}'):
        with pytest.raises(ValidationError) as caught:
            common.json_export(text, "items", list, "not a Google Tasks export")
        assert (caught.value.field, caught.value.message) == (
            "items", "not a Google Tasks export")


def test_title_and_notes_of_a_record() -> None:
    assert common.title_or_untitled(None) == common.title_or_untitled("  ") == "Untitled task"
    assert common.title_or_untitled(" Call ") == "Call"
    assert common.joined_notes(["a", " ", "", "b"]) == "a\nb"


@pytest.mark.parametrize(("read", "good", "written", "bad"), [
    (planning.optional_wall_time, "07:05", "07:05", ("7:05", "07:5x", "07:05:00", 705)),
    (planning.optional_local_start, "2026-01-02T07:05", "2026-01-02T07:05",
     ("2026-01-02", "2026-01-02T07:05:00", "2026-13-02T07:05")),
])
def test_optional_stamps_take_exactly_their_layout(read: Callable[[object], str | None],
                                                   good: str, written: str,
                                                   bad: tuple[object, ...]) -> None:
    assert read(None) is None
    assert read(good) == written
    for value in bad:
        with pytest.raises(ValidationError):
            read(value)
