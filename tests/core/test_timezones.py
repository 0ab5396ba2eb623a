"""SPEC §1 time: activity days, wall-clock bonuses and streak reads in five zones, with
day start 0 and 4, across DST change days and Apia's missing 2011-12-30.

Instants around DST changes are written in UTC so they are unambiguous; the comments
give the local wall-clock time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

UTC = timezone.utc
ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata",
         "Pacific/Apia"]
DAY_STARTS = [0, 4]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(zone: str, day: date, hour: int, minute: int = 0, *, shift: timedelta = timedelta(),
          fold: int = 0) -> datetime:
    """The instant of a local wall-clock time (``shift`` applied on the wall clock)."""
    wall = datetime.combine(day, time(hour, minute)) + shift
    return wall.replace(tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


def activity_day_of(play, outcome) -> str:
    """The ISO activity day of the ledger rows an outcome wrote (one day)."""
    days = {row.activity_day.isoformat() for row in play.ledger()
            if row.event_id == outcome.event_id}
    assert len(days) == 1, days
    return days.pop()


def bonuses(play, outcome) -> set[str]:
    return {c.source for c in outcome.credits} & {"early_bird", "night_owl", "weekend_activity",
                                                  "first_task_of_day"}


@pytest.fixture(params=[(z, h) for z in ZONES for h in DAY_STARTS],
                ids=[f"{z.split('/')[1]}-start{h}" for z in ZONES for h in DAY_STARTS])
def zoned(request, app, play):
    zone, day_start = request.param
    app.profiles.update(timezone=zone, day_start_hour=day_start)
    return play, zone, day_start


# --- every zone, day start 0 and 4 --------------------------------------------------------------


@pytest.mark.covers("streak:daily_activity")
def test_activity_day_boundaries_and_streak_reads(zoned):
    """A day starts at day_start_hour local time; the minute before belongs to the day
    before. Reads: today not yet done keeps the run, a missed day reads 0."""
    play, zone, start = zoned
    d1, d2, d3, d4 = (date(2026, 1, 13) + timedelta(days=i) for i in range(4))
    first = play.event("goal_step_completion", at=local(zone, d1, start))
    last_minute = play.event("goal_step_completion",
                             at=local(zone, d3, start, shift=timedelta(minutes=-1)))
    assert activity_day_of(play, first) == d1.isoformat()
    assert activity_day_of(play, last_minute) == d2.isoformat()

    play.clock.instant = local(zone, d3, start)  # day 3 has begun, nothing done yet
    assert (play.streak().current, play.streak().last_activity_date) == (
        2, d2.isoformat())
    play.clock.instant = local(zone, d4, start, shift=timedelta(minutes=-1))  # still day 3
    assert play.streak().current == 2
    play.clock.instant = local(zone, d4, start)  # day 3 was missed
    assert play.streak().current == 0
    assert play.streak().longest == 2


@pytest.mark.covers("bonus:early_bird", "bonus:night_owl")
def test_early_bird_and_night_owl_follow_local_wall_time(zoned):
    """Probes on days two apart, so "once per activity day" never hides a bonus."""
    play, zone, _ = zoned
    probes = [(4, 59, set()), (5, 0, {"early_bird"}), (7, 59, {"early_bird"}), (8, 0, set()),
              (21, 59, set()), (22, 0, {"night_owl"}), (1, 59, {"night_owl"}), (2, 0, set())]
    for i, (hour, minute, expected) in enumerate(probes):
        day = date(2026, 2, 2) + timedelta(days=2 * i)  # Mondays and Wednesdays …
        outcome = play.event("goal_step_completion", at=local(zone, day, hour, minute))
        got = bonuses(play, outcome) - {"weekend_activity"}
        assert got == expected, (hour, minute)


@pytest.mark.covers("bonus:weekend_activity")
def test_weekend_is_the_local_activity_day(zoned):
    """Saturday 02:00 local is still Friday's activity day with day start 4."""
    play, zone, start = zoned
    saturday = date(2026, 1, 17)
    outcome = play.event("goal_step_completion", at=local(zone, saturday, 2))
    assert ("weekend_activity" in bonuses(play, outcome)) is (start == 0)


# --- DST change days --------------------------------------------------------------------------


NEW_YORK_SPRING = {  # 2026-03-08: 02:00 EST → 03:00 EDT, a 23-hour day
    0: ("2026-03-08T05:00", "2026-03-09T04:00"),  # 00:00 EST … 00:00 EDT next day
    4: ("2026-03-08T08:00", "2026-03-09T08:00"),  # 04:00 EDT … 04:00 EDT next day
}


@pytest.mark.parametrize("start", DAY_STARTS)
def test_new_york_spring_forward_day(app, play, start):
    app.profiles.update(timezone="America/New_York", day_start_hour=start)
    begin, end = (utc(t) for t in NEW_YORK_SPRING[start])
    minute = timedelta(minutes=1)
    days = [activity_day_of(play, play.event("goal_step_completion", at=t))
            for t in (begin - minute, begin, end - minute, end)]
    assert days == ["2026-03-07", "2026-03-08", "2026-03-08", "2026-03-09"]
    # day start 0: 8 March loses the hour; day start 4: 7 March does (04:00 EST → 04:00 EDT)
    assert (end - begin) == timedelta(hours=23 if start == 0 else 24)


@pytest.mark.parametrize("start", DAY_STARTS)
def test_new_york_spring_forward_bonuses_and_streak(app, play, start):
    app.profiles.update(timezone="America/New_York", day_start_hour=start)
    owl = play.event("goal_step_completion", at=utc("2026-03-08T06:59"))  # 01:59 EST
    after = play.event("goal_step_completion", at=utc("2026-03-08T07:00"))  # 03:00 EDT
    early = play.event("goal_step_completion", at=utc("2026-03-08T09:00"))  # 05:00 EDT
    assert "night_owl" in bonuses(play, owl)
    assert "night_owl" not in bonuses(play, after)
    assert "early_bird" in bonuses(play, early)
    for day in ("2026-03-07", "2026-03-09"):
        play.event("goal_step_completion", at=local("America/New_York", date.fromisoformat(day),
                                                    12))
    play.clock.instant = utc("2026-03-09T20:00")
    assert play.streak().current == 3


@pytest.mark.parametrize(("start", "day"), [(0, "2026-11-01"), (4, "2026-10-31")])
def test_new_york_fall_back_repeated_hour(app, play, start, day):
    """01:30 happens twice (EDT, then EST): one activity day, one night owl."""
    app.profiles.update(timezone="America/New_York", day_start_hour=start)
    first = play.event("goal_step_completion", at=utc("2026-11-01T05:30"))  # 01:30 EDT
    second = play.event("goal_step_completion", at=utc("2026-11-01T06:30"))  # 01:30 EST
    later = play.event("goal_step_completion", at=utc("2026-11-01T06:59"))  # 01:59 EST
    assert activity_day_of(play, first) == activity_day_of(play, second) == day
    assert "night_owl" in bonuses(play, first)
    assert "night_owl" not in bonuses(play, second) | bonuses(play, later)
    assert play.sources()["night_owl"] == 15


@pytest.mark.parametrize("start", DAY_STARTS)
def test_new_york_fall_back_day_lasts_25_hours(app, play, start):
    app.profiles.update(timezone="America/New_York", day_start_hour=start)
    begin = local("America/New_York", date(2026, 11, 1), start)
    end = local("America/New_York", date(2026, 11, 2), start)
    assert end - begin == timedelta(hours=25 if start == 0 else 24)
    minute = timedelta(minutes=1)
    days = [activity_day_of(play, play.event("goal_step_completion", at=t))
            for t in (begin, end - minute)]
    assert days == ["2026-11-01", "2026-11-01"]


@pytest.mark.parametrize(("start", "day"), [(0, "2026-04-05"), (4, "2026-04-04")])
def test_lord_howe_half_hour_fall_back(app, play, start, day):
    """2026-04-05 02:00 LHDT (+11) → 01:30 LHST (+10:30): 01:30–01:59 happens twice."""
    app.profiles.update(timezone="Australia/Lord_Howe", day_start_hour=start)
    first = play.event("goal_step_completion", at=utc("2026-04-04T14:45"))  # 01:45 LHDT
    second = play.event("goal_step_completion", at=utc("2026-04-04T15:15"))  # 01:45 LHST
    after = play.event("goal_step_completion", at=utc("2026-04-04T15:30"))  # 02:00 LHST
    assert activity_day_of(play, first) == activity_day_of(play, second) == day
    assert "night_owl" in bonuses(play, first)
    assert "night_owl" not in bonuses(play, second) | bonuses(play, after)


@pytest.mark.parametrize("start", DAY_STARTS)
def test_lord_howe_half_hour_spring_forward(app, play, start):
    """2026-10-04 02:00 LHST (+10:30) → 02:30 LHDT (+11): 02:00–02:29 does not exist and
    activity day 4 October lasts 23.5 hours (day start 0)."""
    app.profiles.update(timezone="Australia/Lord_Howe", day_start_hour=start)
    owl = play.event("goal_step_completion", at=utc("2026-10-03T15:29"))  # 01:59 LHST
    after = play.event("goal_step_completion", at=utc("2026-10-03T15:30"))  # 02:30 LHDT
    assert "night_owl" in bonuses(play, owl)
    assert "night_owl" not in bonuses(play, after)
    begin = local("Australia/Lord_Howe", date(2026, 10, 4), start)
    end = local("Australia/Lord_Howe", date(2026, 10, 5), start)
    assert end - begin == (timedelta(hours=23, minutes=30) if start == 0 else timedelta(hours=24))
    minute = timedelta(minutes=1)
    days = [activity_day_of(play, play.event("time_slot_completion", at=t))
            for t in (begin - minute, begin, end - minute, end)]
    assert days == ["2026-10-03", "2026-10-04", "2026-10-04", "2026-10-05"]
    for n in (3, 4, 5):
        play.event("task_completion", at=local("Australia/Lord_Howe", date(2026, 10, n), 12))
    play.clock.instant = local("Australia/Lord_Howe", date(2026, 10, 6), 10)
    assert play.streak().current == 3


@pytest.mark.parametrize("start", DAY_STARTS)
def test_london_spring_forward(app, play, start):
    """2026-03-29 01:00 GMT → 02:00 BST: 00:59 GMT is a night owl, 02:00 BST is not."""
    app.profiles.update(timezone="Europe/London", day_start_hour=start)
    owl = play.event("goal_step_completion", at=utc("2026-03-29T00:59"))
    after = play.event("goal_step_completion", at=utc("2026-03-29T01:00"))  # 02:00 BST
    assert "night_owl" in bonuses(play, owl)
    assert "night_owl" not in bonuses(play, after)
    expected = "2026-03-29" if start == 0 else "2026-03-28"
    assert activity_day_of(play, after) == expected


# --- Pacific/Apia skipped 2011-12-30 --------------------------------------------------------------


def test_apia_missing_day_does_not_break_a_streak(app, play):
    """Day start 0: local 2011-12-29 23:59:59 (−10) was followed by 2011-12-31 00:00 (+14).
    No instant falls on activity day 12-30: it is excused, neither breaking nor extending."""
    app.profiles.update(timezone="Pacific/Apia", day_start_hour=0)
    before = play.event("goal_step_completion", at=utc("2011-12-30T09:59"))  # 12-29 23:59
    after = play.event("goal_step_completion", at=utc("2011-12-30T10:00"))  # 12-31 00:00
    assert activity_day_of(play, before) == "2011-12-29"
    assert activity_day_of(play, after) == "2011-12-31"
    play.event("goal_step_completion", at=local("Pacific/Apia", date(2011, 12, 28), 12))
    play.clock.instant = local("Pacific/Apia", date(2011, 12, 31), 20)
    assert (play.streak().current, play.streak().last_activity_date) == (3, "2011-12-31")
    play.clock.instant = local("Pacific/Apia", date(2012, 1, 1), 10)  # not done yet today
    assert play.streak().current == 3
    play.clock.instant = local("Pacific/Apia", date(2012, 1, 2), 10)  # 1 January missed
    assert play.streak().current == 0


def test_apia_reading_on_the_day_after_the_gap(app, play):
    """Done on 12-29 only: read on 12-31 the run still stands (12-30 excused, 12-31 is
    today); read on 2012-01-01 it is 0 (12-31 was missed)."""
    app.profiles.update(timezone="Pacific/Apia", day_start_hour=0)
    play.event("goal_step_completion", at=local("Pacific/Apia", date(2011, 12, 29), 12))
    play.clock.instant = local("Pacific/Apia", date(2011, 12, 31), 23)
    assert play.streak().current == 1
    play.clock.instant = local("Pacific/Apia", date(2012, 1, 1), 0, 30)
    assert play.streak().current == 0


def test_apia_with_day_start_4_has_a_four_hour_activity_day(app, play):
    """Day start 4: activity day 12-30 exists (local 12-31 00:00–03:59, SPEC §1's formula)
    so it is an ordinary day: done, it joins 12-29 and 12-31 into a 3-day run."""
    app.profiles.update(timezone="Pacific/Apia", day_start_hour=4)
    first = play.event("goal_step_completion", at=utc("2011-12-29T22:00"))  # 12-29 12:00
    short = play.event("goal_step_completion", at=utc("2011-12-30T12:00"))  # 12-31 02:00
    last = play.event("goal_step_completion", at=utc("2011-12-30T22:00"))  # 12-31 12:00
    assert [activity_day_of(play, o) for o in (first, short, last)] == [
        "2011-12-29", "2011-12-30", "2011-12-31"]
    assert "night_owl" not in bonuses(play, short)  # 02:00 is past the night-owl window
    play.clock.instant = utc("2011-12-31T00:00")
    assert (play.streak().current, play.streak().longest) == (3, 3)


# --- settings changes and the doctor --------------------------------------------------------------


def test_changing_the_zone_keeps_the_doctor_clean(app, play):
    for n in (1, 2, 3):
        play.event("task_completion", at=play.at(n))  # 12:00 UTC = 07:00 in New York
    assert play.sources().get("early_bird") is None
    app.profiles.update(timezone="America/New_York")
    report = app.doctor.run()
    assert report.ok, report.to_json()
