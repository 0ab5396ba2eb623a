"""Planning through the services (SPEC v2 §12): due times, tags, repeats, reminders.

A real SQLite file per test and a fixed clock; no part of Momentum is mocked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from momentum_app.core import planning
from momentum_app.core.catalog import Kind
from momentum_app.core.errors import ValidationError
from momentum_app.core.services import Momentum

UTC = timezone.utc
WEEKLY_COUNT = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=55;COUNT=3"


def test_a_due_time_is_stored_in_utc_with_the_local_wall_time(app: Momentum) -> None:
    app.profiles.update(timezone="Europe/Paris")
    task = app.items.add_task("Dentist", due="2026-12-01T09:00")
    assert task.due == date(2026, 12, 1) and task.due_time == "09:00"
    assert task.due_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert task.due_label == "2026-12-01T09:00"
    dated = app.items.add_task("Taxes", due="2026-12-01")
    assert dated.due_time is None and dated.due_at is None


def test_overdue_after_the_instant_or_after_the_day() -> None:
    day = date(2026, 12, 1)
    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert not planning.is_overdue(day, at, at, day)
    assert planning.is_overdue(day, at, at + timedelta(minutes=1), day)
    assert not planning.is_overdue(day, None, at + timedelta(hours=15), day)
    assert planning.is_overdue(day, None, at + timedelta(days=1), day + timedelta(days=1))


def test_bad_due_is_refused_naming_the_field(app: Momentum) -> None:
    with pytest.raises(ValidationError, match="^due: "):
        app.items.add_task("x", due="2026-13-01T09:00")
    with pytest.raises(ValidationError, match="^due: "):
        app.items.add_task("x", due="tomorrow-ish")
    assert app.items.count_tasks() == 0


def test_tags_are_added_filtered_removed_and_case_insensitive(app: Momentum) -> None:
    one = app.items.add_task("Milk", tags=["errands", "@Home"])
    app.items.add_task("Report", tags=["work"])
    assert one.tags == ("errands", "Home")
    assert [t.title for t in app.items.list_tasks(tag="home")] == ["Milk"]
    app.items.edit_task(one.id, tags=["HOME", "shop"], untag=["errands"])
    assert app.items.get(Kind.TASK, one.id).tags == ("Home", "shop")
    assert app.planning.list_tags() == ["Home", "shop", "work"]
    with pytest.raises(ValidationError, match="^tag: "):
        app.items.list_tasks(tag="nope")
    with pytest.raises(ValidationError, match="^tag: "):
        app.items.add_task("x", tags=["two words"])


def _complete_chain(app: Momentum, task_id: int, limit: int = 10) -> list[str]:
    dues = []
    for _ in range(limit):
        result = app.items.complete(Kind.TASK, task_id)
        if result.spawned is None:
            break
        dues.append(result.spawned.due_label)
        task_id = result.spawned.id
    return dues


def test_rrule_byhour_byminute_count_advance_and_stop(app: Momentum, clock) -> None:
    clock.instant = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday
    task = app.items.add_task("Standup", repeat=WEEKLY_COUNT)
    assert task.due_label == "2026-12-07T06:55"  # the rule's first occurrence
    assert _complete_chain(app, task.id) == ["2026-12-14T06:55", "2026-12-21T06:55"]
    assert [t.status for t in app.items.list_tasks()] == ["done"] * 3  # COUNT=3: it stops


def test_rrule_until_ends_the_series(app: Momentum, clock) -> None:
    clock.instant = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    task = app.items.add_task("Pills", due="2026-12-01", repeat="FREQ=DAILY;UNTIL=20261203")
    assert _complete_chain(app, task.id) == ["2026-12-02", "2026-12-03"]


def test_completing_an_overdue_occurrence_creates_the_next_after_today(app: Momentum,
                                                                       clock) -> None:
    clock.instant = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    task = app.items.add_task("Water plants", repeat="daily")
    assert task.due == date(2026, 11, 28)
    clock.instant = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # three days left alone
    result = app.items.complete(Kind.TASK, task.id)
    assert result.spawned is not None and result.spawned.due == date(2026, 12, 3)
    assert len(app.items.list_tasks(status="open")) == 1  # no chain of overdue copies


def test_repeat_after_counts_from_the_completion(app: Momentum, clock) -> None:
    task = app.items.add_task("Descale", due="2026-01-01T18:00", repeat_after="2w")
    clock.instant = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    result = app.items.complete(Kind.TASK, task.id)
    assert result.spawned is not None and result.spawned.due_label == "2026-01-24T18:00"
    monthly = app.items.add_task("Haircut", repeat_after="1m")
    spawned = app.items.complete(Kind.TASK, monthly.id).spawned
    assert spawned is not None and spawned.due == date(2026, 2, 10)
    with pytest.raises(ValidationError, match="^repeat_after: "):
        app.items.add_task("x", repeat="daily", repeat_after="3d")
    with pytest.raises(ValidationError, match="^repeat_after: "):
        app.items.add_task("x", repeat_after="3x")


def test_undoing_a_completion_gives_the_series_back(app: Momentum, clock) -> None:
    task = app.items.add_task("Standup", repeat=WEEKLY_COUNT)
    result = app.items.complete(Kind.TASK, task.id)
    assert result.spawned is not None
    app.items.reopen(Kind.TASK, task.id, spawned=result.spawned.id)
    again = app.items.get(Kind.TASK, task.id)
    assert again.repeat == WEEKLY_COUNT and again.status == "open"


def test_repeat_preview_gives_the_next_three_dates() -> None:
    start = datetime(2026, 12, 2, 0, 0)
    found = planning.preview(WEEKLY_COUNT, start, "UTC")
    assert found == [datetime(2026, 12, d, 6, 55) for d in (7, 14, 21)]


def test_reminders_offsets_instants_snooze_and_the_due_moving(app: Momentum, clock) -> None:
    task = app.items.add_task("Call", due="2026-01-06T09:00", remind=["30m", "1d"])
    instant = app.items.add_task("Pay", remind=["2026-01-05T18:00"])
    upcoming = app.planning.upcoming()
    assert [(r.task, r.at, r.offset) for r in upcoming] == [
        ("Call", datetime(2026, 1, 5, 9, 0, tzinfo=UTC), "1d"),
        ("Pay", datetime(2026, 1, 5, 18, 0, tzinfo=UTC), None),
        ("Call", datetime(2026, 1, 6, 8, 30, tzinfo=UTC), "30m"),
    ]
    # the 1d reminder's time has passed (the clock is at noon): it is due now
    assert [r.offset for r in app.planning.due_now()] == ["1d"]
    app.planning.mark_shown([upcoming[0].id])
    app.items.edit_task(task.id, due="2026-01-07T10:00")
    assert sorted(r.at for r in app.planning.upcoming() if r.task == "Call") == [
        datetime(2026, 1, 6, 10, 0, tzinfo=UTC), datetime(2026, 1, 7, 9, 30, tzinfo=UTC)]
    first = next(r for r in app.planning.upcoming() if r.task == "Call")
    snoozed = app.planning.snooze(first.id, "1h")
    assert snoozed.at == clock.instant + timedelta(hours=1)
    tomorrow = app.planning.snooze(first.id, "tomorrow")
    assert tomorrow.at == datetime(2026, 1, 6, 9, 0, tzinfo=UTC)
    assert app.planning.due_now() == []
    clock.instant = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
    [due] = app.planning.due_now()
    assert due.task_id == instant.id
    app.planning.mark_shown([due.id])
    assert app.planning.due_now() == []
    with pytest.raises(ValidationError, match="^remind: "):
        app.items.add_task("no due", remind=["30m"])
    with pytest.raises(ValidationError, match="^duration: "):
        app.planning.snooze(first.id, "soon")
    with pytest.raises(ValidationError, match="^id: "):
        app.planning.snooze(999, "1h")


def test_a_repeating_task_keeps_its_tags_and_offset_reminders(app: Momentum) -> None:
    task = app.items.add_task("Standup", due="2026-01-06T09:00", repeat="daily",
                              tags=["work"], remind=["10m"])
    spawned = app.items.complete(Kind.TASK, task.id).spawned
    assert spawned is not None and spawned.tags == ("work",)
    assert [r.at for r in app.planning.upcoming() if r.task_id == spawned.id] == [
        datetime(2026, 1, 7, 8, 50, tzinfo=UTC)]


def test_quick_add_creates_the_project_and_everything_it_read(app: Momentum) -> None:
    task, created = app.planning.quick_add("Call mom tomorrow 5pm #Home !3 every sun @phone "
                                           "remind 30m")
    assert created and task.title == "Call mom" and task.project == "Home"
    assert task.complexity == 3 and task.due_label == "2026-01-06T17:00"
    assert task.repeat == "FREQ=WEEKLY;BYDAY=SU" and task.tags == ("phone",)
    assert [r.at for r in app.planning.upcoming()] == [datetime(2026, 1, 6, 16, 30, tzinfo=UTC)]
    again, created_again = app.planning.quick_add("Buy flowers #home")
    assert not created_again and again.project == "Home"
    kept, _ = app.planning.quick_add("Call mom tomorrow", keep=["tomorrow"])
    assert kept.title == "Call mom tomorrow" and kept.due is None


def test_lists_say_which_tasks_are_overdue(app: Momentum, clock) -> None:
    clock.instant = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    for title, due in (("timed past", "2026-12-01T09:00"), ("timed ahead", "2026-12-01T11:00"),
                       ("today", "2026-12-01"), ("yesterday", "2026-11-30")):
        app.items.add_task(title, due=due)
    assert {t.title: t.overdue for t in app.items.list_tasks()} == {
        "timed past": True, "timed ahead": False, "today": False, "yesterday": True}
    assert app.items.get(Kind.TASK, 1).overdue is True


def test_a_date_alone_with_a_timed_rule_takes_the_rules_time_and_advances(app: Momentum,
                                                                         clock) -> None:
    clock.instant = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    task = app.items.add_task("Standup", due="2026-12-07", repeat=WEEKLY_COUNT)
    assert task.due_label == "2026-12-07T06:55"
    assert _complete_chain(app, task.id) == ["2026-12-14T06:55", "2026-12-21T06:55"]
    daily = app.items.add_task("Pills", due="2026-12-02", repeat="daily")
    assert _complete_chain(app, daily.id, limit=2) == ["2026-12-03", "2026-12-04"]
