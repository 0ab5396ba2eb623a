"""SPEC §3 levels: thresholds, titles, perks, level-up in the outcome, level down on
reversal, and the level achievements chained in the same event (SPEC §5)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind
from momentum_app.core.engine.outcome import LevelUp
from momentum_app.core.engine.rules import LevelProgress
from momentum_app.core.errors import ValidationError

#: SPEC §3, copied by hand: number → (points, title, perk).
SPEC_LEVELS = {
    1: (0, "Novice", None),
    2: (100, "Apprentice", "custom accent colour"),
    3: (300, "Achiever", "custom backgrounds"),
    4: (700, "Planner", "advanced analytics (heatmap, trends)"),
    5: (1500, "Strategist", "special badges"),
    6: (3100, "Expert", "extra themes"),
    7: (6300, "Master", "custom achievements"),
    8: (12700, "Mentor", "mentor status"),
    9: (25500, "Grandmaster", "prestige badge frame"),
    10: (51100, "Legend", "legendary status"),
}
#: Level achievements and their points: unlocking them adds to the total.
LEVEL_ACHIEVEMENT = {5: ("rising_star", 100), 10: ("legendary", 1000)}


def raise_to(play, target):
    """Custom points up to exactly ``target``; crossing level 5 on the way unlocks
    rising_star (+100), so the crossing is made first, on its own."""
    if play.total() < 1500 <= target - 100:
        play.grant(1500 - play.total())  # → 1,600 with rising_star
    play.grant(target - play.total())
    assert play.total() == target


@pytest.mark.covers(*(f"level:{n}" for n in SPEC_LEVELS))
def test_level_table_matches_spec(app):
    assert [(lv.number, lv.points_required, lv.title, lv.perk)
            for lv in app.reads.levels()] == [(n, *row) for n, row in SPEC_LEVELS.items()]
    for number, (points, _, _) in SPEC_LEVELS.items():
        assert catalog.points_required(number) == points == 100 * (2 ** (number - 1) - 1)


@pytest.mark.covers("level:1")
def test_a_new_profile_is_a_level_1_novice(app):
    level = app.reads.progress().level
    assert level == LevelProgress(number=1, title="Novice", points_required=0,
                                  next_points_required=100, progress_percent=0.0, perk=None)


@pytest.mark.parametrize("number", [
    pytest.param(n, marks=pytest.mark.covers(f"level:{n}")) for n in range(2, 11)])
def test_level_is_reached_exactly_at_its_threshold(play, number):
    points, title, perk = SPEC_LEVELS[number]
    raise_to(play, points - 1)
    assert play.app.reads.progress().level.number == number - 1
    outcome = play.grant(1)
    assert outcome.level_up == LevelUp(number - 1, number, title)
    assert outcome.level == number
    achievement = LEVEL_ACHIEVEMENT.get(number)
    if achievement is not None:  # the unlock's points land in the same event
        assert play.unlocked(outcome) == [achievement[0]]
        assert outcome.points_awarded == 1 + achievement[1]
    else:
        assert outcome.achievements == ()
        assert outcome.points_awarded == 1
    level = play.app.reads.progress().level
    assert (level.number, level.title, level.perk) == (number, title, perk)
    assert level.points_required == points


def test_one_event_can_jump_several_levels(play):
    outcome = play.grant(700)
    assert outcome.level_up == LevelUp(1, 4, "Planner")


def test_no_level_up_inside_a_level(play):
    play.grant(150)
    assert play.grant(10).level_up is None


@pytest.mark.parametrize(("total", "percent"), [
    (0, 0.0), (50, 50.0), (100, 0.0), (200, 50.0), (299, 99.5), (1100, 50.0),
    (45000, 76.17)])  # (45,000 − 25,500) / (51,100 − 25,500) = 76.171875 %
def test_progress_percent_towards_the_next_level(play, total, percent):
    if total:
        raise_to(play, total)
    assert play.app.reads.progress().level.progress_percent == percent


def test_level_10_is_the_top(play):
    play.grant(60000)
    level = play.app.reads.progress().level
    assert level.number == 10
    assert level.title == "Legend"
    assert level.progress_percent == 100.0
    assert play.grant(100000).level_up is None


@pytest.mark.covers("level:5", "achievement:rising_star")
def test_an_unlocks_points_can_raise_the_level_in_the_same_event(play):
    """1,480 custom points, then a first task: 10 + 5 + first_step 10 = 1,505 → level 5,
    which unlocks rising_star (100) in the same event."""
    play.grant(1480)
    _, outcome = play.task()
    assert play.unlocked(outcome) == ["first_step", "rising_star"]
    assert outcome.level_up == LevelUp(4, 5, "Strategist")
    assert outcome.points_awarded == 10 + 5 + 10 + 100
    assert play.total() == 1605


@pytest.mark.covers("level:2")
def test_level_down_on_reversal_has_no_level_up(play):
    play.grant(80)
    item, up = play.task()  # 10 + 5 + first_step 10 → 105
    assert up.level_up == LevelUp(1, 2, "Apprentice")
    down = play.reopen(Kind.TASK, item)
    assert down.level == 1 and down.level_up is None
    assert play.app.reads.progress().level.title == "Novice"


def test_each_perk_is_usable_from_its_level_on():
    for number, (_, _, perk) in SPEC_LEVELS.items():
        level = catalog.LEVELS[number - 1]
        assert level.perk == perk
        if level.perk_key is not None:
            assert catalog.perk_level(level.perk_key) == number
    assert catalog.LEVELS[0].perk_key is None


@pytest.mark.covers("level:7")
def test_custom_achievements_unlock_at_level_7_and_are_capped_at_100(play, app):
    app.events.add_type("gym", 0)
    raise_to(play, 6299)
    with pytest.raises(ValidationError, match="level 7"):
        app.events.add_custom_achievement("Gym rat", "event_count", 2, 50, event_type="gym")
    play.grant(1)
    with pytest.raises(ValidationError):
        app.events.add_custom_achievement("Too rich", "event_count", 2, 101, event_type="gym")
    created = app.events.add_custom_achievement("Gym rat", "event_count", 2, 100,
                                                event_type="gym")
    assert play.event("gym").achievements == ()
    second = play.event("gym")
    assert [(a.id, a.points) for a in second.achievements] == [(created.id, 100)]
    assert second.points_awarded == 100


def test_a_custom_achievement_defined_later_keeps_the_doctor_clean(play, app, clock):
    app.events.add_type("gym", 0)
    raise_to(play, 6300)
    play.event("gym")
    app.events.add_custom_achievement("Gym rat", "event_count", 1, 50, event_type="gym")
    # Already earned when defined: it unlocks at once (an achievement_defined event).
    unlocked = {a.id for a in app.reads.achievements()}
    assert "custom:1" in unlocked
    clock.advance(timedelta(days=1))
    assert play.event("gym").achievements == ()
    report = app.doctor.run()
    assert report.ok, report.to_json()
