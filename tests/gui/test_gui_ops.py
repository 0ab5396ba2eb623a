"""Ops off the UI thread (issue 15 item 4), on a database of 100,000 tasks.

The window's changes run as ops on their own thread (``gui/ops.py``). These tests drive
real changes from the window — Space on the Tasks view's table, quick add, an edit, a
delete, Undo and Redo from the menu's actions, a purchase, a settings save — and watch
the UI thread while each runs with a **heartbeat**: a 1 ms precise QTimer on the UI
thread that records, at every beat, the wall clock and the UI thread's own scheduler
clocks (Linux ``/proc/thread-self/schedstat``: time on a CPU, time *waiting for* a CPU).

What is measured: a gap between two beats is time the UI thread's event loop did not
come round — it was running something (dispatching the op, delivering the answer,
publishing the change, every view's reaction to it, a read on the UI thread) or it was
*blocked* (a SQLite lock or busy handler, a disk read, the GIL). The **UI thread's block**
of a gap is its wall time minus the time the thread spent waiting for a CPU: this
machine is shared (two cores, several test runs at once) and being preempted by other
processes is not the window's doing; everything else — CPU work *and* waiting on the
database — counts. Every gap from the action until the answer has landed and the
views have reacted must stay within a frame (16 ms). Without schedstat (not Linux) the
UI thread's CPU time is used instead, which cannot see a blocking wait.

The measure can fail: ``test_the_heartbeat_sees_the_ui_thread_blocked_on_the_database``
blocks the UI thread on a locked database (no CPU used) and reads 100k tasks on it, and
the heartbeat reports both as far longer than a frame. A separate check shows the UI
thread keeps beating *while* the database is locked by another connection (the old code
froze for the whole busy timeout).

The 100k database is built once per session by bulk SQL (about 10 s) and copied
for each test.
"""

from __future__ import annotations

import gc
import random
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer

from momentum_app.core.catalog import Kind
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum
from momentum_app.core.clock import FixedClock
from momentum_app.core.errors import ValidationError
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.ops import Op, OpFailed

START = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)  # tests/conftest.py START

TASKS = 100_000
FRAME_MS = 16.0


@pytest.fixture(scope="session")
def big_template(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with 100,000 open and done tasks in three projects."""
    started = time.perf_counter()
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    shutil.copyfile(template_db, path)
    database = open_database(path)
    momentum = Momentum(database, FixedClock(START))
    for name in ("Work", "Home", "Health"):
        momentum.projects.add(name)
    projects = [p.id for p in momentum.projects.list()]
    profile = momentum.profile_id
    database.close()
    rng = random.Random(15)
    stamp = "%Y-%m-%d %H:%M:%S.%f"
    rows = []
    for number in range(TASKS):
        made = (START - timedelta(minutes=rng.randint(60, 600_000))).strftime(stamp)
        due = (START.date() + timedelta(days=rng.randint(-200, 200))).isoformat() \
            if rng.random() < 0.7 else None
        done = rng.random() < 0.2
        rows.append((profile, rng.choice(projects), f"Task number {number}", "",
                     rng.randint(1, 5), due, "done" if done else "open",
                     made if done else None, made, made))
    connection = sqlite3.connect(path)
    # The search index's insert trigger tokenises row by row (20 s for 100k); the same
    # index is built in one pass after the insert (``rebuild``) and the trigger put back.
    (trigger,) = connection.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'tasks_fts_after_insert'").fetchone()
    connection.execute("DROP TRIGGER tasks_fts_after_insert")
    connection.executemany(
        "INSERT INTO tasks (profile_id, project_id, title, notes, complexity, due_date, "
        "status, completed_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    connection.execute("INSERT INTO tasks_fts (tasks_fts) VALUES ('rebuild')")
    connection.execute(trigger)
    connection.commit()
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()
    assert time.perf_counter() - started < 60  # about 10 s; a loaded machine is slower
    return path


@pytest.fixture
def db_path(big_template: Path, tmp_path: Path) -> Path:
    """Every test of this module runs on a copy of the 100k database."""
    target = tmp_path / "momentum.sqlite3"
    shutil.copyfile(big_template, target)
    return target


SCHEDSTAT = Path("/proc/thread-self/schedstat")


def scheduler_clocks() -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting for a CPU) of the calling thread; without
    schedstat, (CPU time, 0): preemption then cannot be told from work."""
    try:
        on_cpu, waiting, _slices = SCHEDSTAT.read_text().split()
    except OSError:
        return time.thread_time(), 0.0
    return int(on_cpu) / 1e9, int(waiting) / 1e9


@dataclass(frozen=True)
class Gap:
    """What the UI thread did between two beats, in ms."""

    wall: float
    cpu: float
    #: The wall time but the time spent waiting for a CPU: the UI thread's own block.
    block: float
    #: Did the gap end while an op was running (its dispatch and wait)?
    during_op: bool


@dataclass
class Heartbeat(QObject):
    """A 1 ms timer on the UI thread: the gaps between its beats are the UI's stalls."""

    running: Callable[[], bool] = lambda: False
    beats: list[tuple[float, float, float, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self.beat)

    def beat(self) -> None:
        on_cpu, waiting = scheduler_clocks()
        self.beats.append((time.perf_counter(), on_cpu, waiting, self.running()))

    def start(self) -> None:
        self.beats.clear()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def gaps(self) -> list[Gap]:
        return [Gap((b[0] - a[0]) * 1000, (b[1] - a[1]) * 1000,
                    ((b[0] - a[0]) - (b[2] - a[2])) * 1000, b[3])
                for a, b in zip(self.beats, self.beats[1:])]

    def worst(self) -> Gap:
        """The gap with the UI thread's longest block."""
        return max(self.gaps(), key=lambda gap: gap.block)


@pytest.fixture
def heartbeat(gui) -> Iterator[Heartbeat]:
    beat = Heartbeat(lambda: gui.controller.ops.running)
    yield beat
    beat.stop()


def watch(qtbot, heartbeat: Heartbeat, action: Callable[[], object], record: Callable,
          name: str, *, op: bool = True) -> Gap:
    """Run ``action`` (a real UI action) with the heartbeat on, let the answers land and
    the views react (the beats go on after it): the gap with the UI thread's longest
    block, from the action until then."""
    heartbeat.start()
    qtbot.waitUntil(lambda: len(heartbeat.beats) >= 3)  # beating before the action
    action()
    after = len(heartbeat.beats)
    qtbot.waitUntil(lambda: len(heartbeat.beats) >= after + 30, timeout=10_000)
    heartbeat.stop()
    if op:
        assert any(beat[3] for beat in heartbeat.beats), "the op ran without a beat"
    worst = heartbeat.worst()
    for label, value in (("block", worst.block), ("wall", worst.wall), ("cpu", worst.cpu)):
        record(f"{name}_{label}_ms", round(value, 1))
    print(f"{name}: the UI thread's longest block {worst.block:.1f} ms ({worst.cpu:.1f} ms "
          f"CPU, {worst.wall:.1f} ms wall{', during the op' if worst.during_op else ''})")
    return worst


def test_the_database_has_100k_tasks(app):
    with app.db.reading() as session:
        assert session.connection().exec_driver_sql("SELECT count(*) FROM tasks") \
            .scalar() >= TASKS


#: Five rounds, best counts: a block the window causes shows in every one; a garbage
#: collection or another process's burst on a shared CI machine does not.
ROUNDS = ("first", "again", "third", "fourth", "fifth")


def test_changes_from_the_window_keep_the_ui_thread_within_a_frame(gui, qtbot, heartbeat,
                                                                   record_property):
    """Real changes from the window, each in five rounds: from the key press or call
    until the views have reacted, the UI thread is never blocked for more than a frame
    between two 1 ms beats.

    Per action the best of the rounds counts: a block the window causes (a read of the
    100k tasks on the UI thread, a wait for the database there) is there in every round,
    while the shared machine's noise (the op thread preempted while it holds the GIL the
    UI thread waits for) is not; the first round also pays Python's first-use costs."""
    window, controller = gui.window, gui.controller
    view = window.show_view("tasks")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    table = view.table
    table.setFocus()
    table.selectRow(0)
    gui.momentum.rewards.add("Coffee", 1)
    worst: dict[str, list[Gap]] = {}
    target: list[ItemRef] = []

    def space() -> None:  # complete the selected task, the keyboard's way
        table.selectRow(0)
        target[:] = [ItemRef(Kind.TASK, view.model.task_at(0).id)]
        qtbot.keyClick(table, Qt.Key.Key_Space)

    actions: dict[str, Callable[[], object]] = {
        "complete": space,
        "undo": window.window_actions.undo.trigger,
        "redo": window.window_actions.redo.trigger,
        "add": lambda: controller.add_task("Added from the window"),
        "edit": lambda: controller.edit(target[0], title="Renamed"),
        "buy": lambda: controller.rewards.buy("Coffee"),
        "settings": lambda: controller.update_profile(
            daily_target=4 + sum(len(gaps) for gaps in worst.values())),
        "delete": lambda: controller.delete(target[0]),
    }
    for round_ in ROUNDS:
        gc.collect()  # rounds are seconds apart for a person; start each from a settled heap
        for name, action in actions.items():
            worst.setdefault(name, []).append(
                watch(qtbot, heartbeat, action, record_property, f"{name}_{round_}"))
        with gui.momentum.db.reading() as session:
            title, status, deleted = session.connection().exec_driver_sql(
                "SELECT title, status, deleted_at FROM tasks WHERE id = ?",
                (target[0].id,)).one()
        assert (title, status, deleted is not None) == ("Renamed", "done", True)
    best = {name: min(gap.block for gap in gaps) for name, gaps in worst.items()}
    for name, ms in best.items():
        record_property(f"{name}_best_block_ms", round(ms, 1))
    slow = {name: [round(gap.block, 1) for gap in worst[name]]
            for name, ms in best.items() if ms > FRAME_MS}
    assert not slow, f"the UI thread was blocked longer than a frame in every round: {slow}"


def test_a_locked_database_shows_busy_and_the_window_keeps_beating(gui, qtbot, heartbeat,
                                                                   db_path):
    """Another connection holds the write lock: the completion waits on the worker, the
    window shows that it is busy and keeps beating; the lock goes, the op finishes."""
    task = gui.controller.add_task("Waits for the lock")
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    seen: list[tuple[bool, str, int]] = []

    def on_busy(label: str) -> None:  # the indication is up: let the other writer finish
        indicator = gui.window.busy
        seen.append((indicator.isVisible(), indicator.text.text(),
                     sum(1 for beat in heartbeat.beats if beat[3])))
        blocker.execute("COMMIT")

    gui.controller.ops.busy.connect(on_busy)
    heartbeat.start()
    qtbot.waitUntil(lambda: len(heartbeat.beats) >= 3)
    gui.controller.complete(ItemRef(Kind.TASK, task.id))
    heartbeat.stop()
    blocker.close()
    [(visible, text, beats_while_waiting)] = seen
    assert visible and text == "Marking it done…"
    assert beats_while_waiting >= 20  # 150 ms of waiting, the UI thread beating through it
    assert not gui.window.busy.isVisible()
    assert gui.controller.get(ItemRef(Kind.TASK, task.id)).status == "done"


def test_a_second_completion_during_the_first_is_refused_and_paid_once(gui, qtbot):
    """Ops run one at a time: a completion asked for while the same one is running (a
    timer, a notification's button) runs after it, finds the task done and is refused."""
    task = gui.controller.add_task("Only once", complexity=3)
    ref = ItemRef(Kind.TASK, task.id)
    before = int(gui.momentum.reads.progress().total_points)
    refused: list[str] = []

    def again() -> None:
        try:
            gui.controller.complete(ref)
        except ValidationError as exc:
            refused.append(exc.message)

    QTimer.singleShot(0, again)  # fires inside the first op's wait
    first = gui.controller.complete(ref)
    qtbot.waitUntil(lambda: bool(refused))
    assert refused == [f"task {task.id} is already done"]
    after = int(gui.momentum.reads.progress().total_points)
    assert after - before == first.outcome.points_awarded > 0


def test_an_op_that_fails_is_shown_in_the_window_not_raised_into_qt(gui, qtbot):
    messages: list[str] = []
    gui.controller.failed.connect(messages.append)
    with pytest.raises(OpFailed) as failed:
        gui.controller.ops.run(Op("Counting", lambda: 1 // 0))
    assert messages == [str(failed.value)]
    assert messages[0].startswith("Counting failed: an unexpected error (ZeroDivisionError)")
    assert "Traceback" not in messages[0]
    assert gui.window.statusBar().currentMessage() == messages[0]


def test_the_heartbeat_sees_the_ui_thread_blocked_on_the_database(gui, qtbot, heartbeat,
                                                                 db_path, record_property):
    """The measure can fail: the UI thread waiting on a locked database (asleep in
    SQLite's busy handler, using no CPU) and the UI thread reading all 100k tasks (what
    a view did before its reads moved to the worker) are both seen as blocks far longer
    than a frame."""
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")

    def wait_for_the_lock() -> None:  # on the UI thread, as a write there would
        waiting = sqlite3.connect(db_path, timeout=0.3, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                waiting.execute("BEGIN IMMEDIATE")
        finally:
            waiting.close()

    try:
        locked = watch(qtbot, heartbeat, wait_for_the_lock, record_property, "locked",
                       op=False)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    read_all = watch(qtbot, heartbeat, lambda: gui.momentum.items.list_tasks(status="all"),
                     record_property, "read_all", op=False)
    assert locked.block >= 250
    if SCHEDSTAT.exists():  # the CPU time alone would not have seen it
        assert locked.cpu < locked.block / 2
    assert read_all.block > 4 * FRAME_MS
