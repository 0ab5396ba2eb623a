"""Validation at the service boundary (SPEC §10): every rule, each error naming its field.

First the rules of ``services/validation.py`` one by one (both sides of every boundary),
then every service that uses them: a refused call raises :class:`ValidationError` whose
``field`` names the input, and writes nothing (a full dump of the file is unchanged).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.errors import NotFoundError, ValidationError
from momentum_app.core.services import Momentum
from momentum_app.core.services import validation as v

UTC = timezone.utc
START = datetime(2026, 1, 5, 9, tzinfo=UTC)
LONE_SURROGATES = ["\ud800", "a\udfffb", "caf\udce9"]  # the last one is what surrogateescape
# makes of the Latin-1 byte 0xE9 in argv
CONTROL_CHARACTERS = ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\r"]


def refused(field: str, call: Callable[[], Any]) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        call()
    error = info.value
    assert error.field == field, f"expected the error to name {field!r}: {error}"
    assert str(error).startswith(f"{field}: ")
    assert error.message and "\n" not in str(error)
    return error


# --- text ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", LONE_SURROGATES)
def test_lone_surrogates_are_refused_in_every_kind_of_text(value):
    checks = [("title", v.title), ("notes", v.notes), ("name", v.name),
              ("search", lambda text: v.clean_text(text, "search", max_length=50))]
    for field, check in checks:
        error = refused(field, lambda: check(value))  # noqa: B023 (called at once)
        assert "surrogate" in error.message


@pytest.mark.parametrize("value", CONTROL_CHARACTERS)
def test_control_characters_are_refused(value):
    refused("title", lambda: v.title(f"before{value}after"))
    refused("notes", lambda: v.notes(f"before{value}after"))
    refused("name", lambda: v.name(f"before{value}after"))


def test_newlines_and_tabs_are_allowed_in_notes_only():
    assert v.notes("line one\n\tline two") == "line one\n\tline two"
    refused("title", lambda: v.title("line one\nline two"))
    refused("title", lambda: v.title("tab\tinside"))
    refused("name", lambda: v.name("two\nlines"))


@pytest.mark.parametrize("value", ["", " ", "      ", "\u3000", "\u2003 \u00a0"])
def test_empty_and_blank_titles_are_refused(value):
    assert "empty" in refused("title", lambda: v.title(value)).message


@pytest.mark.parametrize("value", ["\t", "   \n  ", "\r\n"])
def test_titles_of_only_tabs_or_line_breaks_are_refused(value):
    refused("title", lambda: v.title(value))


def test_titles_are_trimmed_and_at_most_500_characters_after_trimming():
    assert v.title("  Buy milk  ") == "Buy milk"
    assert v.title("x" * 500) == "x" * 500
    assert v.title("   " + "x" * 500 + "   ") == "x" * 500  # the length counts after trimming
    assert v.title("é" * 500) == "é" * 500  # characters, not bytes
    assert "501" in refused("title", lambda: v.title("x" * 501)).message


def test_names_are_at_most_100_characters_and_notes_may_be_empty():
    assert v.name("n" * 100) == "n" * 100
    refused("name", lambda: v.name("n" * 101))
    assert v.notes("") == ""
    assert v.notes("   ") == ""


@pytest.mark.parametrize("value", [None, 42, b"bytes", ["a"]])
def test_text_must_be_text(value):
    refused("title", lambda: v.title(value))


# --- numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [(1, 1), (5, 5), ("3", 3), (" 2 ", 2)])
def test_complexity_from_one_to_five(value, expected):
    assert v.complexity(value) == expected


@pytest.mark.parametrize("value", [0, 6, -1, "0", "6", "abc", "", "2.5", 2.5, True, None])
def test_complexity_outside_one_to_five_or_not_a_number_is_refused(value):
    refused("complexity", lambda: v.complexity(value))


@pytest.mark.parametrize("value", [0, 23, "0", "23", 12])
def test_day_start_hour_from_0_to_23(value):
    assert v.day_start_hour(value) == int(value)


@pytest.mark.parametrize("value", [-1, 24, "24", "noon", 7.5, False])
def test_day_start_hour_outside_0_to_23_is_refused(value):
    refused("day_start_hour", lambda: v.day_start_hour(value))


@pytest.mark.parametrize("value", [1, 3, 1000, "5"])
def test_daily_target_from_1_to_1000(value):
    assert v.daily_target(value) == int(value)


@pytest.mark.parametrize("value", [0, -3, 1001, "many", None])
def test_daily_target_outside_1_to_1000_is_refused(value):
    refused("daily_target", lambda: v.daily_target(value))


# --- zones, dates and instants --------------------------------------------------------


@pytest.mark.parametrize("value", ["UTC", "Europe/Paris", "America/New_York", "Pacific/Apia",
                                   "Australia/Lord_Howe"])
def test_iana_zones_are_accepted(value):
    assert v.timezone_name(value) == value


@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "", "   ", "Europe/Paris\x00",
                                   "../../etc/passwd", "Europe/../Europe/Paris", "+02:00",
                                   "x" * 200, None, 5])
def test_unknown_zones_are_refused(value):
    refused("timezone", lambda: v.timezone_name(value))


@pytest.mark.parametrize("value, expected", [("2026-02-28", date(2026, 2, 28)),
                                             ("2028-02-29", date(2028, 2, 29)),
                                             (" 2026-01-05 ", date(2026, 1, 5)),
                                             (None, None), ("", None)])
def test_dates_are_yyyy_mm_dd(value, expected):
    assert v.optional_date(value, "due") == expected


@pytest.mark.parametrize("value", ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10",
                                   "2026-2-3", "20260203", "03/02/2026", "2026-02-03T10:00",
                                   "tomorrow", "1899-12-31", "2201-01-01", "2026-01-05\x00",
                                   datetime(2026, 1, 5, tzinfo=UTC), 20260105])
def test_bad_dates_are_refused_naming_their_field(value):
    refused("due", lambda: v.optional_date(value, "due"))
    refused("target", lambda: v.optional_date(value, "target"))


def test_instants_without_an_offset_are_read_in_the_profile_zone():
    assert v.instant("2026-01-05T09:00", "at", "Europe/Paris") == datetime(2026, 1, 5, 8,
                                                                          tzinfo=UTC)
    assert v.instant("2026-01-05T09:00Z", "at", "Europe/Paris") == datetime(2026, 1, 5, 9,
                                                                           tzinfo=UTC)
    assert v.instant("2026-01-05T09:00-05:00", "at", "UTC") == datetime(2026, 1, 5, 14,
                                                                       tzinfo=UTC)


@pytest.mark.parametrize("value", ["", "soon", "2026-01-05T25:00", "2026-02-30T10:00",
                                   "2026-01-05T10:00+25:00", "1850-01-01T00:00Z",
                                   "2026-01-05T10:00" + " " * 60 + "x",
                                   datetime(2026, 1, 5, 10), 1767600000])
def test_bad_instants_are_refused(value):
    refused("at", lambda: v.instant(value, "at", "UTC"))


# --- days off, repeat rules -----------------------------------------------------------


@pytest.mark.parametrize("value, expected", [("sat,sun", "5,6"), ("SUN, sat", "5,6"),
                                             ("mon", "0"), ("none", ""), ("", ""),
                                             ("monday,friday", "0,4"),
                                             ("mon,tue,wed,thu,fri,sat", "0,1,2,3,4,5")])
def test_days_off(value, expected):
    assert v.days_off(value) == expected


@pytest.mark.parametrize("value", ["mon,tue,wed,thu,fri,sat,sun", "sun,sat,fri,thu,wed,tue,mon",
                                   "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday"])
def test_all_seven_days_off_are_refused(value):
    assert "working day" in refused("days_off", lambda: v.days_off(value)).message


@pytest.mark.parametrize("value", ["funday", "mon,xyz", "1,2", "sat,,sun", None])
def test_unknown_weekdays_are_refused(value):
    refused("days_off", lambda: v.days_off(value))


@pytest.mark.parametrize("value", ["monkey", "sunshine", "wedding"])
def test_words_that_merely_start_like_a_weekday_are_refused(value):
    refused("days_off", lambda: v.days_off(value))


@pytest.mark.parametrize("value, expected", [
    ("daily", "FREQ=DAILY"), ("Weekly", "FREQ=WEEKLY"), ("monthly", "FREQ=MONTHLY"),
    ("yearly", "FREQ=YEARLY"), ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("FREQ=DAILY;INTERVAL=3", "FREQ=DAILY;INTERVAL=3"),
    ("RRULE:FREQ=WEEKLY;BYDAY=SA", "FREQ=WEEKLY;BYDAY=SA"), (None, None), ("", None)])
def test_repeat_rules(value, expected):
    assert v.repeat_rule(value) == expected


@pytest.mark.parametrize("value", ["every blue moon", "FREQ=SOMETIMES", "FREQ=DAILY;INTERVAL=x",
                                   "FREQ=WEEKLY;BYDAY=XX", "RRULE:", "FREQ=DAILY\nFREQ=WEEKLY",
                                   "daily\ud800", "FREQ=DAILY;" + "X" * 600, 7])
def test_bad_repeat_rules_are_refused(value):
    refused("repeat", lambda: v.repeat_rule(value))


# --- the services: refused calls name the field and write nothing --------------------


def dump(app: Momentum) -> list[str]:
    assert app.db.path is not None
    with closing(sqlite3.connect(f"{app.db.path.resolve().as_uri()}?mode=ro", uri=True)) as c:
        return list(c.iterdump())


@pytest.fixture(scope="module")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A little of everything, built once (commits are fsynced: slow), copied per test."""
    path = tmp_path_factory.mktemp("validation") / "world.sqlite3"
    database = open_database(path)
    try:
        app = Momentum(database, FixedClock(datetime(2026, 1, 5, 12, tzinfo=UTC)))
        app.profiles.update(timezone="UTC", day_start_hour=0)
        app.projects.add("Work")
        task = app.items.add_task("Open task", project="Work")
        done = app.items.add_task("Done task")
        app.items.complete(Kind.TASK, done.id)
        goal = app.items.add_goal("Goal", project="Work")
        step = app.items.add_step(goal.id, "Step")
        slot = app.items.add_slot("Slot", START, START + timedelta(hours=1))
        app.events.add_type("meditated", 5)
        other = app.profiles.add("someone-else", timezone="UTC")
    finally:
        database.close()
    return path, {"task": task.id, "done": done.id, "goal": goal.id, "step": step.id,
                  "slot": slot.id, "other_profile": other.id}


@pytest.fixture
def world(world_template: tuple[Path, dict[str, int]], tmp_path: Path
          ) -> Iterator[tuple[Momentum, dict[str, int]]]:
    template, ids = world_template
    path = tmp_path / "world.sqlite3"
    shutil.copyfile(template, path)
    database = open_database(path, migrate=False)  # a copy of a file already at head
    try:
        yield Momentum(database, FixedClock(datetime(2026, 1, 5, 12, tzinfo=UTC))), ids
    finally:
        database.close()


SERVICE_CASES: list[Any] = [
    # tasks
    ("task-empty-title", "title", lambda a, w: a.items.add_task("")),
    ("task-blank-title", "title", lambda a, w: a.items.add_task("  \t ")),
    ("task-501-title", "title", lambda a, w: a.items.add_task("x" * 501)),
    ("task-surrogate-title", "title", lambda a, w: a.items.add_task("bad \ud800 title")),
    ("task-control-title", "title", lambda a, w: a.items.add_task("bell\x07")),
    ("task-nul-title", "title", lambda a, w: a.items.add_task("nul\x00")),
    ("task-surrogate-notes", "notes", lambda a, w: a.items.add_task("ok", notes="\udcff")),
    ("task-complexity-0", "complexity", lambda a, w: a.items.add_task("ok", complexity=0)),
    ("task-complexity-6", "complexity", lambda a, w: a.items.add_task("ok", complexity=6)),
    ("task-complexity-abc", "complexity", lambda a, w: a.items.add_task("ok", complexity="abc")),
    ("task-bad-due", "due", lambda a, w: a.items.add_task("ok", due="2026-02-30")),
    ("task-bad-repeat", "repeat", lambda a, w: a.items.add_task("ok", repeat="sometimes")),
    # An unknown --project on add/edit is created (SPEC §9 v2); a bad name is refused.
    ("task-bad-project", "project", lambda a, w: a.items.add_task("ok", project="x" * 101)),
    ("task-surrogate-project", "project", lambda a, w: a.items.add_task("ok", project="\ud800")),
    ("task-unknown-goal", "goal", lambda a, w: a.items.add_task("ok", goal=999)),
    ("task-edit-unknown-id", "id", lambda a, w: a.items.edit_task(999, title="x")),
    ("task-edit-bad-id", "id", lambda a, w: a.items.edit_task("abc", title="x")),
    ("task-edit-huge-id", "id", lambda a, w: a.items.edit_task(10**30, title="x")),
    ("task-edit-other-profiles-task", "id",
     lambda a, w: Momentum(a.db, a.clock, "someone-else").items.edit_task(w["task"], title="x")),
    ("task-edit-empty-title", "title", lambda a, w: a.items.edit_task(w["task"], title="")),
    ("task-edit-complexity-9", "complexity",
     lambda a, w: a.items.edit_task(w["task"], complexity=9)),
    ("task-edit-bad-due", "due", lambda a, w: a.items.edit_task(w["task"], due="2026-04-31")),
    ("task-edit-bad-project", "project",
     lambda a, w: a.items.edit_task(w["task"], project="x" * 101)),
    ("task-complete-unknown", "id", lambda a, w: a.items.complete(Kind.TASK, 999)),
    ("task-complete-twice", "id", lambda a, w: a.items.complete(Kind.TASK, w["done"])),
    ("task-complete-bad-at", "at", lambda a, w: a.items.complete(Kind.TASK, w["task"], at="x")),
    ("task-reopen-open", "id", lambda a, w: a.items.reopen(Kind.TASK, w["task"])),
    ("task-delete-unknown", "id", lambda a, w: a.items.delete(Kind.TASK, 999)),
    ("task-restore-not-deleted", "id", lambda a, w: a.items.restore(Kind.TASK, w["task"])),
    ("task-list-bad-status", "status", lambda a, w: a.items.list_tasks(status="closed")),
    ("task-list-unknown-project", "project", lambda a, w: a.items.list_tasks(project="Nope")),
    ("task-list-surrogate-search", "search", lambda a, w: a.items.list_tasks(search="\ud800")),
    # goals and steps
    ("goal-empty-title", "title", lambda a, w: a.items.add_goal("")),
    ("goal-bad-target", "target", lambda a, w: a.items.add_goal("ok", target="2026-02-30")),
    ("goal-bad-project", "project", lambda a, w: a.items.add_goal("ok", project="x" * 101)),
    ("task-complete-future", "at", lambda a, w: a.items.complete(
        Kind.TASK, w["task"], at=a.clock.now() + timedelta(minutes=6))),
    ("event-future", "at", lambda a, w: a.events.process_engine_event(
        "task_completion", at=a.clock.now() + timedelta(minutes=6))),
    ("goal-edit-unknown", "id", lambda a, w: a.items.edit_goal(999, title="x")),
    ("goal-edit-bad-target", "target", lambda a, w: a.items.edit_goal(w["goal"], target="x")),
    ("goal-complete-unknown", "id", lambda a, w: a.items.complete(Kind.GOAL, 999)),
    ("goal-reopen-open", "id", lambda a, w: a.items.reopen(Kind.GOAL, w["goal"])),
    ("step-unknown-goal", "goal", lambda a, w: a.items.add_step(999, "Step")),
    ("step-empty-title", "title", lambda a, w: a.items.add_step(w["goal"], " ")),
    ("step-complete-unknown", "id", lambda a, w: a.items.complete(Kind.STEP, 999)),
    ("step-reopen-open", "id", lambda a, w: a.items.reopen(Kind.STEP, w["step"])),
    ("step-edit-position-0", "position", lambda a, w: a.items.edit_step(w["step"], position=0)),
    # time slots
    ("slot-end-before-start", "end",
     lambda a, w: a.items.add_slot("ok", START, START - timedelta(minutes=1))),
    ("slot-end-equals-start", "end", lambda a, w: a.items.add_slot("ok", START, START)),
    ("slot-longer-than-7-days", "end",
     lambda a, w: a.items.add_slot("ok", START, START + timedelta(days=7, minutes=1))),
    ("slot-of-8-days", "end",
     lambda a, w: a.items.add_slot("ok", START, START + timedelta(days=8))),
    ("slot-bad-start", "start", lambda a, w: a.items.add_slot("ok", "9am", "2026-01-05T10:00")),
    ("slot-bad-end", "end", lambda a, w: a.items.add_slot("ok", "2026-01-05T10:00", "later")),
    ("slot-end-before-start-text", "end",
     lambda a, w: a.items.add_slot("ok", "2026-01-05T10:00", "2026-01-05T09:59")),
    ("slot-surrogate-title", "title",
     lambda a, w: a.items.add_slot("\ud83d", START, START + timedelta(hours=1))),
    ("slot-unknown-task", "task",
     lambda a, w: a.items.add_slot("ok", START, START + timedelta(hours=1), task=999)),
    ("slot-unknown-goal", "goal",
     lambda a, w: a.items.add_slot("ok", START, START + timedelta(hours=1), goal=999)),
    ("slot-edit-end-before-start", "end",
     lambda a, w: a.items.edit_slot(w["slot"], end=START - timedelta(hours=1))),
    ("slot-complete-unknown", "id", lambda a, w: a.items.complete(Kind.SLOT, 999)),
    # projects
    ("project-empty-name", "name", lambda a, w: a.projects.add("")),
    ("project-duplicate", "name", lambda a, w: a.projects.add("Work")),
    ("project-surrogate-name", "name", lambda a, w: a.projects.add("\udc80")),
    ("project-101-name", "name", lambda a, w: a.projects.add("p" * 101)),
    ("project-goals-unknown", "project", lambda a, w: a.projects.set_goals_enabled("Nope", False)),
    # profiles and vacations
    ("profile-empty-name", "name", lambda a, w: a.profiles.add("")),
    ("profile-duplicate", "name", lambda a, w: a.profiles.add("someone-else")),
    ("profile-unknown-zone", "timezone", lambda a, w: a.profiles.add("zed", timezone="Mars/X")),
    ("profile-day-start-24", "day_start_hour", lambda a, w: a.profiles.add("zed",
                                                                           day_start_hour=24)),
    ("profile-daily-target-0", "daily_target", lambda a, w: a.profiles.add("zed",
                                                                           daily_target=0)),
    ("profile-set-day-start-minus-1", "day_start_hour",
     lambda a, w: a.profiles.update(day_start_hour=-1)),
    ("profile-set-unknown-zone", "timezone", lambda a, w: a.profiles.update(timezone="Nowhere")),
    ("profile-set-daily-target-0", "daily_target", lambda a, w: a.profiles.update(daily_target=0)),
    ("profile-set-seven-days-off", "days_off",
     lambda a, w: a.profiles.update(days_off="mon,tue,wed,thu,fri,sat,sun")),
    ("profile-set-bad-weekday", "days_off", lambda a, w: a.profiles.update(days_off="caturday")),
    ("profile-set-taken-name", "name", lambda a, w: a.profiles.update(name="someone-else")),
    ("profile-set-several-one-bad", "daily_target",
     lambda a, w: a.profiles.update(timezone="Europe/Paris", daily_target=0)),
    ("profile-unknown", "profile", lambda a, w: Momentum(a.db, a.clock, "nobody")),
    ("vacation-to-before-from", "to", lambda a, w: a.profiles.add_vacation("2026-02-10",
                                                                          "2026-02-01")),
    ("vacation-bad-from", "from", lambda a, w: a.profiles.add_vacation("2026-02-30",
                                                                      "2026-03-01")),
    ("vacation-bad-to", "to", lambda a, w: a.profiles.add_vacation("2026-02-01", "soon")),
    ("vacation-empty-from", "from", lambda a, w: a.profiles.add_vacation("", "2026-03-01")),
    ("vacation-longer-than-a-year", "to", lambda a, w: a.profiles.add_vacation("2026-01-01",
                                                                              "2027-01-03")),
    ("vacation-delete-unknown", "id", lambda a, w: a.profiles.delete_vacation(999)),
    # events and reads
    ("event-unknown-type", "event_type", lambda a, w: a.events.process_event("no_such_type")),
    ("event-empty-type", "event_type", lambda a, w: a.events.process_event(" ")),
    ("event-surrogate-meta", "meta.note",
     lambda a, w: a.events.process_event("meditated", {"note": "\ud800"})),
    ("event-control-key", "key", lambda a, w: a.events.process_event("meditated", key="k\x1b")),
    ("event-bad-at", "at", lambda a, w: a.events.process_event("meditated", at="yesterday-ish")),
    ("event-type-builtin-name", "name", lambda a, w: a.events.add_type("task_completion", 5)),
    ("event-type-duplicate", "name", lambda a, w: a.events.add_type("meditated", 5)),
    ("event-type-negative-points", "points", lambda a, w: a.events.add_type("ran", -1)),
    ("event-type-too-many-points", "points", lambda a, w: a.events.add_type("ran", 10_001)),
    ("stats-from-after-to", "from", lambda a, w: a.reads.stats("2026-02-01", "2026-01-01")),
    ("stats-bad-to", "to", lambda a, w: a.reads.stats(None, "2026-02-30")),
    ("leaderboard-bad-period", "period", lambda a, w: a.reads.leaderboard("decade")),
    ("milestones-unknown-project", "project", lambda a, w: a.reads.milestones("Nope")),
]


def _service_params() -> list[Any]:
    """(id, field, call[, mark]) rows as pytest params."""
    return [pytest.param(case[1], case[2], id=case[0], marks=case[3:]) for case in SERVICE_CASES]


@pytest.mark.parametrize("field, call", _service_params())
def test_a_refused_service_call_names_its_field_and_writes_nothing(world, field, call):
    app, ids = world
    before = dump(app)
    refused(field, lambda: call(app, ids))
    assert dump(app) == before


@pytest.mark.parametrize("name", ["\ud800", "caf\udce9"])
def test_a_profile_name_with_a_lone_surrogate_is_refused(app, name):
    refused("profile", lambda: Momentum(app.db, app.clock, name))


def test_unknown_ids_are_not_found_errors(app):
    for kind in Kind:
        error = refused("id", lambda: app.items.complete(kind, 424242))
        assert isinstance(error, NotFoundError)


def test_the_boundaries_themselves_are_accepted(app):
    """The other side of each boundary: nothing above refuses a valid value."""
    app.items.add_task("x" * 500, complexity=1)
    app.items.add_task("y", complexity=5, due="2028-02-29", repeat="weekdays",
                       notes="multi\nline\tnotes")
    app.items.add_slot("one minute", START, START + timedelta(minutes=1))
    app.items.add_slot("a week", START, START + timedelta(days=7))
    app.profiles.add("early", timezone="Pacific/Apia", day_start_hour=23, daily_target=1000)
    app.profiles.update(day_start_hour=0, days_off="mon,tue,wed,thu,fri,sat")
    assert app.profiles.current().days_off == ("mon", "tue", "wed", "thu", "fri", "sat")
    one_day = app.profiles.add_vacation("2026-03-01", "2026-03-01")
    assert one_day.start == one_day.end == date(2026, 3, 1)
    app.profiles.add_vacation("2026-01-01", "2027-01-02")  # 366 days after its start
    app.events.add_type("max", 10_000)
    app.events.add_type("zero", 0)
    titles = [t.title for t in app.items.list_tasks()]
    assert titles == ["x" * 500, "y"]


def test_the_one_completion_time_rule_spec_v2():
    """SPEC §1 v2, in one place for every --at: five minutes of grace, a date is noon."""
    from momentum_app.core.services.validation import completion_instant

    now = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
    assert completion_instant(None, now, "UTC") == now
    assert completion_instant("2026-03-02T08:05:00Z", now, "UTC") == now + timedelta(minutes=5)
    with pytest.raises(ValidationError) as refused:
        completion_instant("2026-03-02T08:05:01Z", now, "UTC")
    assert str(refused.value) == "at: is in the future"
    assert completion_instant("2026-03-01", now, "Europe/Berlin") == datetime(
        2026, 3, 1, 11, 0, tzinfo=timezone.utc)  # 12:00 in Berlin (UTC+1)
    with pytest.raises(ValidationError, match="at: is in the future"):
        completion_instant("2026-03-02", now, "UTC")  # today's noon is still ahead
    with pytest.raises(ValidationError, match="at: not a date"):
        completion_instant("2026-02-30", now, "UTC")


def _verdict(check: Callable[[str], str], value: str) -> tuple[str, str]:
    try:
        return "ok", check(value)
    except ValidationError as exc:
        return "refused", exc.message


def test_plain_ascii_text_gets_the_same_verdict_as_any_other_text():
    """clean_text's ASCII shortcuts (issue #18 item 5) decide as the general rules do:
    every ASCII character inside a title, a name and notes, once between ASCII letters
    and once between non-ASCII ones (which takes the general path)."""
    checks = (v.title, v.name, v.notes)
    for code in range(128):
        ch = chr(code)
        for check in checks:
            plain = _verdict(check, f"x{ch}{ch}y")
            other = _verdict(check, f"é{ch}{ch}é")
            assert plain[0] == other[0], (check.__name__, code)
            assert plain[1] == (f"x{other[1][1:-1]}y" if plain[0] == "ok" else other[1])
            # alone: empty once stripped exactly when the general rule finds it invisible
            alone = _verdict(check, ch * 3)
            assert (alone == ("refused", "must not be empty")) == (
                check is not v.notes and ch.isprintable()
                and all(v.invisible(c) for c in (ch * 3).strip())), code
