"""Time at its edges (SPEC §1, §4): streaks and points across DST in three awkward zones, a
change of zone while travelling, a change of the day-start hour, and a clock that goes
backwards. The rule throughout: a person is never punished by the calendar, the clock or
their settings — a streak does not break and a day is not counted twice.

tests/core/test_timezones.py already covers activity-day boundaries, wall-clock bonuses and
streak reads in five zones with day start 0 and 4 (New York, London and Lord Howe on
their change days, Apia's missing 2011-12-30); this file covers what it does not: Lord
Howe with a day start inside the skipped half hour, São Paulo's skipped midnight and
repeated hour, Apia's missing day under a week-long run (multiplier, streak bonus,
achievement) and a backdated wall time on the missing day, and the three kinds of change
over time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock, activity_day_exists, parse_instant
from momentum_app.core.engine.outcome import Outcome, StreakState
from momentum_app.core.services import Momentum

UTC = timezone.utc

# --- helpers ----------------------------------------------------------------------------


def wall(zone: str, day: date, hour: int = 12, minute: int = 0, fold: int = 0) -> datetime:
    """The UTC instant of a local wall-clock time."""
    local = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).replace(fold=fold)
    return local.astimezone(UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def done(app: Momentum, when: datetime | str) -> Outcome:
    """Add a task and complete it at ``when`` (an instant, or local text as the CLI takes)."""
    task = app.items.add_task("Task")
    clock = app.clock
    assert isinstance(clock, FixedClock)
    instant = when if isinstance(when, datetime) else parse_instant(
        when, "at", app.profiles.current().timezone)
    saved = clock.instant
    clock.instant = max(saved, instant)  # a completion is never ahead of now (SPEC §1 v2)
    try:
        return app.items.complete(Kind.TASK, task.id, at=when).outcome
    finally:
        clock.instant = saved


def day_of(app: Momentum, outcome: Outcome) -> str:
    days = {row.activity_day.isoformat() for row in app.reads.history(limit=None)
            if row.event_id == outcome.event_id}
    assert len(days) == 1, days
    return days.pop()


def activity(app: Momentum) -> StreakState:
    return next(s for s in app.reads.streaks() if s.type == "daily_activity")


def credits(outcome: Outcome, source: str) -> list[int]:
    return [line.points for line in outcome.credits if line.source == source]


def bonus_days(app: Momentum, source: str = "first_task_of_day") -> list[str]:
    """Activity days holding a bonus, net of reversals (one entry per day)."""
    net: dict[str, int] = {}
    for row in app.reads.history(limit=None):
        if row.source == source:
            day = row.activity_day.isoformat()
            net[day] = net.get(day, 0) + (1 if row.type == "credit" else -1)
    return sorted(day for day, count in net.items() if count)


def active_days(app: Momentum, first: date, last: date) -> dict[str, int]:
    stats = app.reads.stats(first.isoformat(), last.isoformat())
    return {d.day.isoformat(): d.completions for d in stats.days if d.completions}


def ledger_net(app: Momentum) -> int:
    return sum(r.signed_points for r in app.reads.history(limit=None))


# --- Lord Howe: a day start inside the skipped half hour ------------------------------------


def test_lord_howe_day_start_inside_the_skipped_half_hour(app, clock):
    """2026-10-04 02:00 LHST (+10:30) → 02:30 LHDT (+11). With day start 2 the activity day
    of 4 October begins at 02:30, the first wall time at or after 02:00: it exists, is
    23.5 hours long, and a run through it neither breaks nor counts it twice."""
    zone = "Australia/Lord_Howe"
    app.profiles.update(timezone=zone, day_start_hour=2)
    assert activity_day_exists(date(2026, 10, 4), zone, 2)
    last_of_3rd = done(app, utc("2026-10-03T15:29"))  # 01:59 LHST: still 3 October's day
    first_of_4th = done(app, utc("2026-10-03T15:30"))  # 02:30 LHDT: 4 October's first minute
    assert (day_of(app, last_of_3rd), day_of(app, first_of_4th)) == ("2026-10-03", "2026-10-04")
    assert credits(first_of_4th, "first_task_of_day") == [5]
    # A wall time that never happened, typed without an offset, is read as the instant
    # it would have been before the change (02:15 LHST = 02:45 LHDT): accepted, 4 October.
    skipped = done(app, "2026-10-04T02:15")
    assert day_of(app, skipped) == "2026-10-04"
    assert credits(skipped, "first_task_of_day") == []
    done(app, wall(zone, date(2026, 10, 5), 2, 30))  # the 5th's first half hour
    clock.instant = wall(zone, date(2026, 10, 6), 1, 0)  # still the 5th's activity day
    assert (activity(app).current, activity(app).longest) == (3, 3)
    assert bonus_days(app) == ["2026-10-03", "2026-10-04", "2026-10-05"]
    assert app.doctor.run().ok


# --- São Paulo: the midnight that did not exist, and the hour that happened twice ----------


SAO_PAULO = "America/Sao_Paulo"


def test_sao_paulo_skipped_midnight_starts_the_day_at_one(app, clock):
    """2018-11-04 00:00 (−03) did not exist: the clocks went to 01:00 (−02). Activity day
    4 November (day start 0) begins at 01:00 local and lasts 23 hours."""
    app.profiles.update(timezone=SAO_PAULO, day_start_hour=0)
    assert activity_day_exists(date(2018, 11, 4), SAO_PAULO, 0)
    before = done(app, utc("2018-11-04T02:59"))  # 23:59 on 3 November (−03)
    after = done(app, utc("2018-11-04T03:00"))  # 01:00 on 4 November (−02)
    assert (day_of(app, before), day_of(app, after)) == ("2018-11-03", "2018-11-04")
    # Two activity days, so two night owls: 23:59 on the 3rd and 01:00 on the 4th.
    assert credits(before, "night_owl") == credits(after, "night_owl") == [15]
    assert credits(after, "first_task_of_day") == [5]
    nonexistent = done(app, "2018-11-04T00:30")  # typed wall time inside the gap
    assert day_of(app, nonexistent) == "2018-11-04"
    done(app, wall(SAO_PAULO, date(2018, 11, 2)))
    done(app, wall(SAO_PAULO, date(2018, 11, 5)))
    clock.instant = wall(SAO_PAULO, date(2018, 11, 5), 22)
    assert (activity(app).current, activity(app).longest) == (4, 4)
    assert active_days(app, date(2018, 11, 1), date(2018, 11, 6)) == {
        "2018-11-02": 1, "2018-11-03": 1, "2018-11-04": 2, "2018-11-05": 1}
    assert app.doctor.run().ok


def test_sao_paulo_repeated_hour_is_one_day_counted_once(app, clock):
    """2019-02-17 00:00 (−02) became 2019-02-16 23:00 (−03): 23:00-23:59 on the 16th
    happened twice and that activity day lasted 25 hours. Both 23:30s are the 16th; the
    day's bonuses are paid once and the run counts the day once."""
    app.profiles.update(timezone=SAO_PAULO, day_start_hour=0)
    first = done(app, utc("2019-02-17T01:30"))  # 23:30 (−02), the first time
    second = done(app, utc("2019-02-17T02:30"))  # 23:30 (−03), the second time
    assert day_of(app, first) == day_of(app, second) == "2019-02-16"
    assert credits(first, "night_owl") == [15] and credits(second, "night_owl") == []
    assert credits(second, "first_task_of_day") == []
    done(app, wall(SAO_PAULO, date(2019, 2, 15)))
    done(app, wall(SAO_PAULO, date(2019, 2, 17)))
    clock.instant = wall(SAO_PAULO, date(2019, 2, 17), 20)
    assert activity(app).current == 3
    assert bonus_days(app) == ["2019-02-15", "2019-02-16", "2019-02-17"]
    assert bonus_days(app, "weekend_activity") == ["2019-02-16", "2019-02-17"]


# --- Apia: a week-long run over the day that did not exist --------------------------------


APIA = "Pacific/Apia"


def test_apia_missing_day_inside_a_week_long_run(app, clock):
    """One task a day at noon, 2011-12-25 … 2012-01-01 (the 30th did not exist). The run
    steps over the missing day: the 7th qualifying day is 1 January, where the streak
    multiplier (1.1), the 7-day streak bonus and week_warrior arrive - not a day early
    (the gap is not counted) and not never (it does not break the run)."""
    app.profiles.update(timezone=APIA, day_start_hour=0)
    outcomes = {}
    for day in (25, 26, 27, 28, 29, 31):
        outcomes[day] = done(app, wall(APIA, date(2011, 12, day)))
    new_year = done(app, wall(APIA, date(2012, 1, 1)))
    assert credits(outcomes[31], "task_completion") == [10]  # S = 6
    assert credits(outcomes[31], "streak_milestone") == []
    assert credits(new_year, "task_completion") == [11]  # S = 7: 10 × 1.1
    assert credits(new_year, "streak_milestone") == [50]
    assert "week_warrior" in {a.id for a in new_year.achievements}
    clock.instant = wall(APIA, date(2012, 1, 1), 20)
    assert (activity(app).current, activity(app).longest) == (7, 7)
    assert sorted(active_days(app, date(2011, 12, 24), date(2012, 1, 2))) == [
        "2011-12-25", "2011-12-26", "2011-12-27", "2011-12-28", "2011-12-29", "2011-12-31",
        "2012-01-01"]
    assert app.doctor.run().ok


def test_apia_a_wall_time_on_the_missing_day_lands_on_a_real_one(app, clock):
    """``--at 2011-12-30T12:00`` in Apia names a moment that never happened: it is read with
    the offset before the jump (−10), which is 12:00 on the 31st (+14), and counts there."""
    app.profiles.update(timezone=APIA, day_start_hour=0)
    done(app, wall(APIA, date(2011, 12, 29)))
    backdated = done(app, "2011-12-30T12:00")
    assert day_of(app, backdated) == "2011-12-31"
    clock.instant = wall(APIA, date(2011, 12, 31), 18)
    assert activity(app).current == 2


# --- travel: the profile's zone changes between two days ---------------------------------


LONDON, TOKYO = "Europe/London", "Asia/Tokyo"


def test_travel_from_london_to_tokyo_keeps_the_streak_and_counts_each_day_once(app, clock):
    """Four days at noon in London; the zone is switched on arrival (Tokyo is 9 hours
    ahead); the first Tokyo completion, at 08:00 on the 11th, is still the 10th in London.
    The run goes on - 6 days, each counted once, one first-task bonus each."""
    app.profiles.update(timezone=LONDON, day_start_hour=0)
    for day in (7, 8, 9, 10):
        done(app, wall(LONDON, date(2026, 3, day)))
    clock.instant = utc("2026-03-10T21:00")  # 06:00 on the 11th in Tokyo: landed
    app.profiles.update(timezone=TOKYO)
    morning = done(app, wall(TOKYO, date(2026, 3, 11), 8))
    assert day_of(app, morning) == "2026-03-11"
    assert credits(morning, "first_task_of_day") == [5]
    done(app, wall(TOKYO, date(2026, 3, 12)))
    clock.instant = wall(TOKYO, date(2026, 3, 13), 7)  # the 13th has begun, nothing done yet
    assert (activity(app).current, activity(app).longest) == (6, 6)
    assert active_days(app, date(2026, 3, 6), date(2026, 3, 13)) == {
        f"2026-03-{d:02d}": 1 for d in range(7, 13)}
    assert bonus_days(app) == [f"2026-03-{d:02d}" for d in range(7, 13)]
    assert ledger_net(app) == app.reads.progress().total_points


def test_travel_back_west_does_not_count_a_date_twice(app, clock):
    """Tokyo → London on the 13th: done at 09:00 in Tokyo, then 18:00 in London the same
    date. One activity day with two completions: the run grows by one, not two."""
    app.profiles.update(timezone=TOKYO, day_start_hour=0)
    for day in (11, 12, 13):
        done(app, wall(TOKYO, date(2026, 3, day), 9))
    clock.instant = utc("2026-03-13T09:00")
    app.profiles.update(timezone=LONDON)
    evening = done(app, wall(LONDON, date(2026, 3, 13), 18))
    assert day_of(app, evening) == "2026-03-13"
    assert credits(evening, "first_task_of_day") == []
    clock.instant = wall(LONDON, date(2026, 3, 13), 20)
    assert (activity(app).current, activity(app).longest) == (3, 3)
    assert active_days(app, date(2026, 3, 10), date(2026, 3, 14))["2026-03-13"] == 2
    assert bonus_days(app) == ["2026-03-11", "2026-03-12", "2026-03-13"]


def test_travel_east_with_a_24_hour_rhythm_keeps_the_streak(app, clock):
    """Every day at 20:00 UTC: 20:00 in London, then (after the switch) 05:00 next morning
    in Tokyo. All in London: days 7…11, a run of 5; all in Tokyo: days 8…12, a run of 5.
    With the switch the 10th is London's and the next is Tokyo's 12th: Tokyo's 11th, which
    began at 15:00 UTC on the 10th, vanishes and the run breaks."""
    app.profiles.update(timezone=LONDON, day_start_hour=0)
    for day in (7, 8, 9, 10):
        done(app, utc(f"2026-03-{day:02d}T20:00"))
    clock.instant = utc("2026-03-11T08:00")
    app.profiles.update(timezone=TOKYO)
    done(app, utc("2026-03-11T20:00"))
    clock.instant = utc("2026-03-11T21:00")
    assert activity(app).current >= 5


# --- a change of the day-start hour in the middle of a run ---------------------------------


def test_moving_the_day_start_later_mid_streak_keeps_the_run(app, clock):
    """Noon on days 5…7 with day start 0, then day start 4: 02:00 on the 8th now belongs
    to the 7th (already done: no new day, no second bonus), noon on the 8th and 9th
    extend the run. Read right after the change, the run is intact."""
    app.profiles.update(timezone="UTC", day_start_hour=0)
    for day in (5, 6, 7):
        done(app, wall("UTC", date(2026, 1, day)))
    clock.instant = utc("2026-01-08T01:00")
    app.profiles.update(day_start_hour=4)
    assert activity(app).current == 3  # "today" is the 7th again: nothing is lost
    late = done(app, utc("2026-01-08T02:00"))
    assert day_of(app, late) == "2026-01-07"
    assert credits(late, "first_task_of_day") == []
    assert activity(app).current == 3
    for day in (8, 9):
        done(app, wall("UTC", date(2026, 1, day)))
    clock.instant = utc("2026-01-09T20:00")
    assert (activity(app).current, activity(app).longest) == (5, 5)
    assert bonus_days(app) == [f"2026-01-{d:02d}" for d in range(5, 10)]
    assert app.doctor.run().ok


def test_moving_the_day_start_earlier_mid_streak_keeps_the_run(app, clock):
    """Day start 6, done at 09:00 on days 5…7; then day start 0: the run continues at
    09:00 on the 8th (the 8th under both settings)."""
    app.profiles.update(timezone="UTC", day_start_hour=6)
    for day in (5, 6, 7):
        done(app, wall("UTC", date(2026, 1, day), 9))
    clock.instant = utc("2026-01-08T03:00")  # the 7th under day start 6, the 8th under 0
    app.profiles.update(day_start_hour=0)
    assert activity(app).current == 3  # today (the 8th) not done yet: no break
    done(app, wall("UTC", date(2026, 1, 8), 9))
    assert (activity(app).current, activity(app).longest) == (4, 4)


def test_a_night_owl_moving_the_day_start_from_4_to_0_keeps_the_streak(app, clock):
    """Done at 03:00 every night. With day start 4 those are days 5, 6, 7 (03:00 on the
    8th is the 7th); after switching to day start 0, 03:00 on the 9th is the 9th. Either
    setting alone gives an unbroken run; the switch loses the 8th."""
    app.profiles.update(timezone="UTC", day_start_hour=4)
    for day in (6, 7, 8):
        done(app, utc(f"2026-01-{day:02d}T03:00"))
    clock.instant = utc("2026-01-08T12:00")
    app.profiles.update(day_start_hour=0)
    done(app, utc("2026-01-09T03:00"))
    assert activity(app).current >= 4


# --- a clock that goes backwards -----------------------------------------------------------


def test_a_clock_that_goes_backwards_never_punishes(app, clock):
    """Done at noon on days 5, 6 and 7; then the clock jumps back to the 6th, and further,
    to the 2nd (a dead CMOS battery, a wrong NTP answer, time travel with MOMENTUM_NOW).
    The run still reads 3, completions still count and earn points, nothing is debited,
    and when the clock is right again the run goes on."""
    for day in (5, 6, 7):
        clock.instant = wall("UTC", date(2026, 1, day))
        done(app, clock.instant)
    total = app.reads.progress().total_points

    clock.instant = wall("UTC", date(2026, 1, 6), 9)  # before the last event
    assert (activity(app).current, activity(app).longest) == (3, 3)
    again = done(app, clock.now())
    assert again.points_awarded == credits(again, "task_completion")[0] == 10
    assert again.debits == ()
    clock.instant = wall("UTC", date(2026, 1, 2), 9)  # before the run began
    earlier = done(app, clock.now())
    assert earlier.points_awarded > 0 and earlier.debits == ()
    assert day_of(app, earlier) == "2026-01-02"
    assert activity(app).current == 3

    clock.instant = wall("UTC", date(2026, 1, 8))  # the clock is right again
    done(app, clock.now())
    assert (activity(app).current, activity(app).longest) == (4, 4)
    progress = app.reads.progress()
    assert progress.total_points > total
    assert all(row.type == "credit" for row in app.reads.history(limit=None))
    assert ledger_net(app) == progress.total_points
    assert app.doctor.run().ok


def test_momentum_now_earlier_than_the_last_event_through_the_cli(app, monkeypatch, capsys):
    """The same through the command line's own clock (``MOMENTUM_NOW``)."""
    import json

    from momentum_app.__main__ import main

    assert app.db.path is not None
    db = str(app.db.path)

    def cli(now: str, *args: str) -> Any:
        monkeypatch.setenv("MOMENTUM_NOW", now)
        capsys.readouterr()
        code = main(["--db", db, "--json", *args])
        out = capsys.readouterr()
        assert code == 0, out.err
        return json.loads(out.out)

    for day in (5, 6, 7):
        task = cli(f"2026-01-{day:02d}T12:00:00Z", "task", "add", f"Day {day}")["id"]
        cli(f"2026-01-{day:02d}T12:00:00Z", "task", "done", str(task))
    task = cli("2026-01-03T08:00:00Z", "task", "add", "Back in time")["id"]
    outcome = cli("2026-01-03T08:00:00Z", "task", "done", str(task))
    assert outcome["points_awarded"] > 0 and outcome["debits"] == []
    streaks = cli("2026-01-03T08:00:00Z", "streaks")
    assert [(s["current"], s["longest"]) for s in streaks
            if s["type"] == "daily_activity"] == [(3, 3)]
