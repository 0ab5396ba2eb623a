"""SPEC §8 events: the single entry point, built-in and custom event types, one
transaction per event, and idempotency by key (replays change nothing)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from momentum_app.core.errors import NotFoundError, ValidationError
from momentum_app.core.models import Event, LedgerEntry


def _progress(app, achievement_id):
    """A locked achievement's progress (what the engine counted so far)."""
    return {a.id: a.progress for a in app.reads.achievements(available=True)}[
        achievement_id]


def _row_counts(app):
    with app.db.reading() as session:
        return (session.scalar(select(func.count()).select_from(Event)),
                session.scalar(select(func.count()).select_from(LedgerEntry)))


# --- custom event types ---------------------------------------------------------------------


@pytest.mark.covers("source:custom_event")
def test_custom_event_credits_its_configured_points(play, app):
    added = app.events.add_type("gym", 40)
    assert (added.name, added.points) == ("gym", 40)
    assert added.to_json() == {"name": "gym", "points": 40}
    outcome = play.event("gym")
    assert [(c.source, c.points, c.reason) for c in outcome.credits] == [
        ("custom_event", 40, "gym")]
    assert outcome.points_awarded == 40 == play.total()
    assert outcome.achievements == () and outcome.milestones == ()
    assert [t.to_json() for t in app.events.list_types()] == [{"name": "gym", "points": 40}]


@pytest.mark.covers("source:custom_event")
def test_custom_events_are_not_completions(play, app):
    app.events.add_type("gym", 40)
    for _ in range(3):
        play.event("gym")
    assert play.streak().current == 0
    progress = app.reads.progress()
    assert (progress.today_points, progress.weekly_points) == (120, 120)
    assert _progress(app, "first_step") == 0  # no task counted
    assert "first_step" not in play.achievements()


def test_a_custom_type_worth_nothing_writes_no_ledger_row(play, app):
    app.events.add_type("ping", 0)
    outcome = play.event("ping")
    assert outcome.credits == () and outcome.points_awarded == 0
    assert play.ledger() == []


@pytest.mark.parametrize(("name", "points"), [
    ("task_completion", 5), ("reversal", 5), ("report_exported", 5), ("ok", -1),
    ("ok", 10_001), ("ok", "many"), ("", 5)])
def test_bad_custom_types_are_refused(app, name, points):
    with pytest.raises(ValidationError):
        app.events.add_type(name, points)
    assert app.events.list_types() == []


def test_duplicate_custom_type_is_refused(app):
    app.events.add_type("gym", 1)
    with pytest.raises(ValidationError, match="already exists"):
        app.events.add_type("gym", 2)


def test_unknown_event_type_is_bad_input_and_writes_nothing(play, app):
    before = _row_counts(app)
    with pytest.raises(ValidationError, match="unknown event type"):
        play.event("no_such_type")
    assert _row_counts(app) == before


# --- built-in types through the event entry point ---------------------------------------------


@pytest.mark.covers("completion:task_completion")
def test_task_completion_event_meta(play, app):
    app.projects.add("Work")
    outcome = play.event("task_completion", complexity="3", project="Work",
                         due=play.day(2).isoformat())
    assert play.credits(outcome, "task_completion") == [15]
    assert app.reads.milestones(project="Work").cards[0].current == 1


@pytest.mark.covers("completion:time_slot_completion")
def test_time_slot_completion_event_minutes(play, app):
    outcome = play.event("time_slot_completion", minutes=95)
    assert play.credits(outcome, "time_slot_completion") == [20]
    assert set(play.unlocked(outcome)) == {"scheduler", "deep_diver"}
    assert _progress(app, "focus_marathon") == 95


@pytest.mark.covers("completion:goal_step_completion", "completion:goal_completion")
def test_goal_step_and_goal_completion_events(play):
    assert play.credits(play.event("goal_step_completion"), "goal_step_completion") == [15]
    assert play.credits(play.event("goal_completion"), "goal_completion") == [50]


@pytest.mark.parametrize("meta", [
    {"complexity": 6}, {"complexity": 0}, {"complexity": "hard"}, {"project": "Nowhere"},
    {"due": "2026-13-01"}])
def test_a_bad_event_writes_nothing(play, app, meta):
    before = _row_counts(app)
    with pytest.raises(ValidationError):
        play.event("task_completion", **meta)
    assert _row_counts(app) == before
    assert play.total() == 0


def test_unknown_project_is_a_not_found_error(play):
    with pytest.raises(NotFoundError):
        play.event("task_completion", project="Nowhere")


def test_event_instants_with_an_offset_or_in_the_profiles_zone(play, app):
    app.profiles.update(timezone="Asia/Kolkata")
    local = play.event("goal_step_completion", at="2026-01-05T06:00")  # 06:00 IST
    offset = play.event("goal_step_completion", at="2026-01-06T00:45:00+00:00")  # 06:15 IST
    assert play.credits(local, "early_bird") == [15]
    assert play.credits(offset, "early_bird") == [15]  # a new activity day (Jan 6)
    with pytest.raises(ValidationError):
        play.event("goal_step_completion", at="yesterday-ish")


@pytest.mark.covers("event:reversal")
def test_reversal_event_restores_counters(play, app):
    play.event("time_slot_completion", key="slot-1", minutes=120)
    undone = play.event("reversal", reverses="slot-1")
    assert sorted((d.source, d.points) for d in undone.debits) == [("time_slot_completion", 20)]
    assert _progress(app, "focus_marathon") == 0
    assert _progress(app, "time_blocker") == 0
    assert play.streak().current == 0


# --- idempotency ---------------------------------------------------------------------------------


@pytest.mark.parametrize("event_type", ["task_completion", "gym", "report_exported"])
def test_replaying_a_key_returns_the_original_outcome_and_writes_nothing(play, app,
                                                                         event_type):
    app.events.add_type("gym", 12)
    first = play.event(event_type, key="same-key")
    play.event("gym")  # something else happens in between
    before = _row_counts(app)
    total = play.total()
    again = play.event(event_type, key="same-key")
    assert again.replayed is True and first.replayed is False
    assert again.to_json() | {"replayed": False} == first.to_json()
    assert _row_counts(app) == before
    assert play.total() == total


def test_replaying_a_key_with_another_type_still_returns_the_original(play, app):
    first = play.event("task_completion", key="k")
    again = play.event("goal_completion", key="k")
    assert again.event_type == "task_completion"
    assert again.points_awarded == first.points_awarded
    assert play.credits(again, "goal_completion") == []


def test_keys_are_per_profile(play, app):
    play.event("task_completion", key="k")
    app.profiles.add("bob", timezone="UTC")
    app.switch_profile("bob")
    assert play.event("task_completion", key="k").replayed is False


def test_replaying_a_reversal_changes_nothing(play, app):
    play.event("task_completion", key="done")
    first = play.event("reversal", key="undo", reverses="done")
    total = play.total()
    again = play.event("reversal", key="undo", reverses="done")
    assert again.replayed and again.points_awarded == first.points_awarded
    assert play.total() == total


def test_outcome_json_has_the_spec_keys(play):
    outcome = play.event("task_completion").to_json()
    assert {"points_awarded", "credits", "achievements", "milestones", "level_up",
            "streaks"} <= set(outcome)
    assert outcome["credits"][0].keys() >= {"type", "points", "reason", "source"}
    assert {s["type"] for s in outcome["streaks"]} == {
        "daily_activity", "daily_target", "daily_focus", "weekly_goal"}
    for state in outcome["streaks"]:
        # SPEC v2 §4: the freezes ride on the daily_activity entry (None on the others).
        assert set(state) == {"type", "current", "longest", "last_activity_date", "freezes",
                              "frozen_days"}
        assert (state["freezes"] is None) == (state["type"] != "daily_activity")
    assert set(outcome["freezes"]) == {"held", "earned", "used", "returned"}
