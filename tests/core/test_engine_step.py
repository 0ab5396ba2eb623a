"""The engine as a pure fold (SPEC v2 §8): ``step`` does not change its input, a fold from a
checkpoint equals the fold of the whole log, unknown non-scoring events write no ledger
rows, and the days a settings change cuts short are computed from the calendar alone.

These call the engine directly with values: no database.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta, timezone
from typing import Any

from momentum_app.core.engine.state import MemoryState, Settings, cut_short, empty_state
from momentum_app.core.engine.step import Definitions, EventIn, fold, replay_from, step
from momentum_app.core.services.engine_store import table_rows

UTC = timezone.utc
PID = 1
SETTINGS = Settings(PID, "UTC", 0, 3, frozenset(), ())
DEFS = Definitions(initial_settings={PID: SETTINGS})
START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # Monday


def event(n: int, event_type: str, at: datetime, **meta: Any) -> EventIn:
    return EventIn(n, PID, f"k{n}", event_type, at, at.date(), at, meta)


def history() -> list[EventIn]:
    events = [event(1, "settings_changed", START, **SETTINGS.to_meta())]
    for n in range(2, 12):  # a task a day, then a backdated one and a reopening
        at = START + timedelta(days=n - 2)
        events.append(event(n, "task_completion", at, item_id=n, complexity=n % 5 + 1))
    events.append(event(12, "task_completion", START - timedelta(days=1), item_id=12))
    events.append(event(13, "reversal", START + timedelta(days=10), reverses="k5"))
    return events


def rows(state: Any) -> dict[str, list[tuple[Any, ...]]]:
    assert isinstance(state, MemoryState)
    return {name: sorted((tuple(sorted(row.items())) for row in values), key=repr)
            for name, values in table_rows(state).items()}


def _merge(layered: Any) -> MemoryState:
    base, top = layered.base, layered.top
    base = base if isinstance(base, MemoryState) else _merge(base)
    merged = copy.deepcopy(base)
    for pid, counters in top.counter_rows.items():
        merged.counter_rows.setdefault(pid, {}).update(counters)
    for pid, days in top.day_rows.items():
        merged.day_rows.setdefault(pid, {}).update({d: tuple(r) for d, r in days.items()})
    merged.week_rows.update(top.week_rows)
    merged.streak_rows.update({k: tuple(v) for k, v in top.streak_rows.items()})
    merged.completion_rows.update({k: tuple(v) for k, v in top.completion_rows.items()})
    merged.ledger_rows.extend(top.ledger_rows)
    merged.streak_grant_rows.extend(top.streak_grant_rows)
    merged.milestone_rows.extend(top.milestone_rows)
    merged.achievement_rows.extend(top.achievement_rows)
    merged.board_rows.update(top.board_rows)
    return merged


def test_step_never_changes_the_state_it_is_given():
    before = fold(empty_state(), history()[:-1], DEFS)
    frozen = copy.deepcopy(before)
    after, effects = step(before, history()[-1], DEFS)
    assert rows(before) == rows(frozen)  # the input is as it was
    assert effects.outcome is not None and effects.outcome.points_awarded < 0
    assert effects.rows.ledger_rows and all(r[3] == "debit" for r in effects.rows.ledger_rows)
    assert rows(_merge(after)) != rows(before)


def test_steps_one_by_one_equal_one_fold_and_a_fold_from_a_checkpoint():
    events = history()
    whole = fold(empty_state(), events, DEFS)
    stepped: Any = empty_state()
    for item in events:
        stepped, _ = step(stepped, item, DEFS)
    assert rows(_merge(stepped)) == rows(whole)
    checkpoint = fold(empty_state(), events[:7], DEFS)
    assert rows(_merge(replay_from(checkpoint, events[7:], DEFS))) == rows(whole)


def test_unknown_non_scoring_events_write_no_ledger_rows():
    events = history()
    base = fold(empty_state(), events, DEFS)
    purchase = EventIn(20, PID, "buy", "reward_purchase", START + timedelta(days=11),
                       START.date() + timedelta(days=11), START + timedelta(days=11),
                       {"reward_id": 3, "cost": 40})
    _, effects = step(base, purchase, DEFS)
    assert effects.rows.ledger_rows == []
    assert effects.outcome is not None and effects.outcome.points_awarded == 0


def test_a_change_that_moves_the_calendar_forward_bridges_the_days_it_cut_short():
    london = Settings(PID, "Europe/London", 0, 3, frozenset(), ())
    tokyo = Settings(PID, "Asia/Tokyo", 0, 3, frozenset(), ())
    at = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)  # 08:00 in London, 17:00 in Tokyo
    assert cut_short(london, tokyo, at) == {date(2026, 3, 11)}
    assert cut_short(tokyo, london, at) == frozenset()  # westwards: the day grows
    start4 = Settings(PID, "UTC", 4, 3, frozenset(), ())
    start0 = Settings(PID, "UTC", 0, 3, frozenset(), ())
    noon = datetime(2026, 1, 8, 12, 0, tzinfo=UTC)
    assert cut_short(start4, start0, noon) == {date(2026, 1, 8)}
    assert cut_short(start0, start4, noon) == frozenset()
    # A change of anything but the calendar bridges nothing.
    assert cut_short(start0, Settings(PID, "UTC", 0, 5, frozenset({5}), ()), noon) == set()
    # Across the date line two days at once: Samoa's side to Kiritimati's is +0 h, but
    # Honolulu (-10) to Kiritimati (+14) moves a whole day ahead.
    honolulu = Settings(PID, "Pacific/Honolulu", 0, 3, frozenset(), ())
    kiritimati = Settings(PID, "Pacific/Kiritimati", 0, 3, frozenset(), ())
    assert cut_short(honolulu, kiritimati, noon) == {date(2026, 1, 8), date(2026, 1, 9)}
