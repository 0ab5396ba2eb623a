"""The convergence property of SPEC v2 §13, as a Hypothesis state machine.

Three replicas (real SQLite files, the real services) do random offline work — tasks
added, edited, completed (backdated too), reopened, deleted and restored, repeating
tasks, goals and steps, projects, profile settings, custom events — and sync through one
folder in random orders. Whenever all three have synced twice in a row they must hold
identical source data and derived state (:func:`~momentum_app.core.sync.digest.fingerprint`:
points, ledger rows, completions, counters, streaks, achievements, milestones, with uids
for local ids), equal to a fresh replica that reads the folder, and ``doctor`` finds every
one consistent.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from momentum_app.core.catalog import Kind
from momentum_app.core.errors import ValidationError
from sync_support import Replica, explain, snapshot

UTC = timezone.utc
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NAMES = ("a", "b", "c")
replica = st.sampled_from(NAMES)


class ThreeReplicas(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="momentum-sync-"))
        self.folder = self.root / "folder"
        self.folder.mkdir()
        self.replicas = {name: Replica(self.root / f"{name}.sqlite3", START)
                         for name in NAMES}
        self.synced_since_change: set[str] = set()
        self.rounds = 0

    def teardown(self) -> None:
        try:
            self.everyone_syncs()  # every run ends converged, whatever came before
        finally:
            self._close()

    def _close(self) -> None:
        for item in self.replicas.values():
            item.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _changed(self) -> None:
        self.synced_since_change = set()

    def _tasks(self, name: str) -> list[int]:
        return [t.id for t in self.replicas[name].app.items.list_tasks(status="all")]

    # -- offline work -------------------------------------------------------------------

    @rule(name=replica, title=st.sampled_from(["Write", "Read", "Call", "Plan"]),
          complexity=st.integers(1, 5), project=st.sampled_from([None, "Work", "Home"]),
          repeat=st.sampled_from([None, None, "daily", "weekly"]))
    def add_task(self, name: str, title: str, complexity: int, project: str | None,
                 repeat: str | None) -> None:
        app = self.replicas[name].app
        day = self.replicas[name].clock.now().date().isoformat()
        if project is not None and project not in {p.name for p in app.projects.list()}:
            app.projects.add(project)
        app.items.add_task(title, project=project, complexity=complexity,
                           repeat=repeat, due=day if repeat else None)
        self._changed()

    @rule(name=replica, pick=st.integers(0, 50), back=st.integers(0, 72))
    def complete(self, name: str, pick: int, back: int) -> None:
        tasks = [t for t in self.replicas[name].app.items.list_tasks(status="open")]
        if not tasks:
            return
        task = tasks[pick % len(tasks)]
        at = self.replicas[name].clock.now() - timedelta(hours=back)
        try:
            self.replicas[name].app.items.complete(Kind.TASK, task.id, at=at)
        except ValidationError:
            return
        self._changed()

    @rule(name=replica, pick=st.integers(0, 50))
    def reopen(self, name: str, pick: int) -> None:
        tasks = self.replicas[name].app.items.list_tasks(status="done")
        if not tasks:
            return
        try:
            self.replicas[name].app.items.reopen(Kind.TASK, tasks[pick % len(tasks)].id)
        except ValidationError:
            return
        self._changed()

    @rule(name=replica, pick=st.integers(0, 50), title=st.sampled_from(["Edited", "Renamed"]))
    def edit(self, name: str, pick: int, title: str) -> None:
        ids = self._tasks(name)
        if ids:
            self.replicas[name].app.items.edit_task(ids[pick % len(ids)], title=title)
            self._changed()

    @rule(name=replica, pick=st.integers(0, 50))
    def delete(self, name: str, pick: int) -> None:
        ids = self._tasks(name)
        if ids:
            self.replicas[name].app.items.delete(Kind.TASK, ids[pick % len(ids)])
            self._changed()

    @rule(name=replica, pick=st.integers(0, 50))
    def restore(self, name: str, pick: int) -> None:
        app = self.replicas[name].app
        from momentum_app.core.models import Task  # noqa: PLC0415
        from sqlalchemy import select  # noqa: PLC0415

        with app.db.reading() as session:
            gone = session.scalars(select(Task.id).where(Task.deleted_at.is_not(None))).all()
        if gone:
            app.items.restore(Kind.TASK, gone[pick % len(gone)])
            self._changed()

    @rule(name=replica, steps=st.integers(1, 3), done=st.integers(0, 3))
    def goal_with_steps(self, name: str, steps: int, done: int) -> None:
        app = self.replicas[name].app
        goal = app.items.add_goal("Goal", project="Work")
        made = [app.items.add_step(goal.id, f"Step {i}") for i in range(steps)]
        for step in made[:done]:
            app.items.complete(Kind.STEP, step.id)
        self._changed()

    @rule(name=replica, daily=st.integers(1, 5), day_start=st.integers(0, 6))
    def settings(self, name: str, daily: int, day_start: int) -> None:
        self.replicas[name].app.profiles.update(daily_target=daily,
                                                day_start_hour=day_start)
        self._changed()

    @rule(name=replica)
    def custom_event(self, name: str) -> None:
        app = self.replicas[name].app
        try:
            app.events.add_type("meditate", 7)
        except ValidationError:
            pass
        try:
            app.events.process_event("meditate")
        except ValidationError:
            return
        self._changed()

    @rule(hours=st.integers(1, 30))
    def time_passes(self, hours: int) -> None:
        for item in self.replicas.values():
            item.clock.advance(timedelta(hours=hours))

    # -- sync ---------------------------------------------------------------------------

    @rule(name=replica)
    def sync(self, name: str) -> None:
        report = self.replicas[name].sync(self.folder)
        assert not report.problems, report.problems
        if report.received or report.sent:
            self.synced_since_change = {name} if report.sent else self.synced_since_change
        self.synced_since_change.add(name)

    @rule()
    def everyone_syncs(self) -> None:
        for _ in range(2):
            for name in NAMES:
                assert not self.replicas[name].sync(self.folder).problems
        self.rounds += 1
        prints = {name: snapshot(item.path) for name, item in self.replicas.items()}
        for name in ("b", "c"):
            assert prints[name] == prints["a"], explain(prints["a"], prints[name])
        fresh = Replica(self.root / f"fresh-{self.rounds}.sqlite3", START)
        try:
            fresh.sync(self.folder)
        finally:
            fresh.close()
        alone = snapshot(fresh.path)
        assert alone == prints["a"], explain(prints["a"], alone)
        for item in self.replicas.values():
            report = item.app.doctor.run()
            assert report.ok, report.to_json()

    @invariant()
    def nothing_half_applied(self) -> None:
        for item in self.replicas.values():
            with item.db.reading() as session:
                count = session.connection().exec_driver_sql(
                    "SELECT count(*) FROM sync_outbox").scalar()
            assert count == 0


ThreeReplicas.TestCase.settings = settings(
    max_examples=int(os.environ.get("SYNC_EXAMPLES", "12")), stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_three_replicas_converge = ThreeReplicas.TestCase
