"""Undo keeps the books (issue 15): after any sequence of actions, undos and redos, the
total equals Σ credits − Σ debits and the doctor finds the stored state equal to the fold
of the event log.

A Hypothesis state machine adds, completes, reopens, edits and deletes tasks, logs custom
events, buys rewards and moves the clock, and interleaves ``history.undo()`` /
``history.redo()`` (a refusal is a clean ``ValidationError`` that writes nothing). A
shadow stack checks that undo and redo walk the same labels back and forth.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.errors import ValidationError
from momentum_app.core.services import Momentum

from test_engine_stateful import EXAMPLES, START, close_app, new_app


def ledger(app: Momentum) -> int:
    rows = app.reads.history(limit=None)
    return sum(r.signed_points for r in rows)


class UndoMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(START)
        self.app, self.folder = new_app(self.clock)
        self.app.events.add_type("stretched", 7)
        self.app.rewards.add("Tea", 3)
        self.app.history.clear()
        self.done: list[str] = []  # the labels Undo would take back, latest last
        self.undone: list[str] = []

    def teardown(self) -> None:
        close_app(self.app, self.folder)

    def _act(self, action) -> None:  # type: ignore[no-untyped-def]
        before = self.app.history.status().undo_id
        try:
            action()
        except ValidationError:
            return
        after = self.app.history.status()
        if after.undo_id != before:  # a new action (an edit that changed nothing is none)
            self.done = [*self.done, after.undo or ""][-200:]
            self.undone = []

    def _task_ids(self, status: str) -> list[int]:
        return [t.id for t in self.app.items.list_tasks(status=status)]

    @rule(complexity=st.integers(1, 5))
    def add_task(self, complexity: int) -> None:
        self._act(lambda: self.app.items.add_task("Task", complexity=complexity))

    @rule(index=st.integers(0, 5), back=st.integers(0, 30))
    def complete(self, index: int, back: int) -> None:
        ids = self._task_ids("open")
        if ids:
            at = self.clock.now() - timedelta(hours=back)
            self._act(lambda: self.app.items.complete(Kind.TASK, ids[index % len(ids)], at=at))

    @rule(index=st.integers(0, 5))
    def reopen(self, index: int) -> None:
        ids = self._task_ids("done")
        if ids:
            self._act(lambda: self.app.items.reopen(Kind.TASK, ids[index % len(ids)]))

    @rule(index=st.integers(0, 5), complexity=st.integers(1, 5))
    def edit(self, index: int, complexity: int) -> None:
        ids = self._task_ids("all")
        if ids:
            self._act(lambda: self.app.items.edit_task(ids[index % len(ids)],
                                                       complexity=complexity))

    @rule(index=st.integers(0, 5))
    def delete(self, index: int) -> None:
        ids = self._task_ids("all")
        if ids:
            self._act(lambda: self.app.items.delete(Kind.TASK, ids[index % len(ids)]))

    @rule()
    def log_event(self) -> None:
        self._act(lambda: self.app.events.process_event("stretched"))

    @rule()
    def buy(self) -> None:
        self._act(lambda: self.app.rewards.buy("Tea"))

    @rule(hours=st.integers(1, 40))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(timedelta(hours=hours))

    def _replay(self, verb: str) -> None:
        """Undo or redo; the label must be the shadow stack's, moved to the other side."""
        source, target = (self.done, self.undone) if verb == "undo" else (self.undone,
                                                                          self.done)
        try:
            done = getattr(self.app.history, verb)()
        except ValidationError as exc:
            assert exc.field == verb
            if f"nothing to {verb}" in exc.message:
                assert not source
            else:
                source.pop()  # refused: taken off the history
            return
        assert done.label == source.pop()
        target.append(done.label)

    @rule()
    def undo(self) -> None:
        self._replay("undo")

    @rule()
    def redo(self) -> None:
        self._replay("redo")

    @invariant()
    def books_balance(self) -> None:
        assert ledger(self.app) == self.app.reads.progress().total_points

    @invariant()
    def doctor_is_clean(self) -> None:
        report = self.app.doctor.run()
        assert report.ok, report


UndoMachine.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_undo_keeps_the_books = UndoMachine.TestCase
