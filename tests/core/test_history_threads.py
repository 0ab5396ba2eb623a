"""The undo history on two threads at once (issue 15 item 4): the window's op thread and
its background worker (an import) may record actions at the same time; each
``history.perform`` reads back the entry its *own* action made, so a toast's Undo never
points at someone else's change."""

from __future__ import annotations

import threading

from momentum_app.core.services import Momentum


def test_perform_reads_back_its_own_entry_while_another_thread_records(app: Momentum
                                                                       ) -> None:
    other_recorded = threading.Event()
    entries: dict[str, int | None] = {}

    def other_thread() -> None:  # records an action in the middle of the op's perform
        app.items.add_task("Imported meanwhile")
        entries["other"] = app.ctx.recorded
        other_recorded.set()

    def op() -> object:
        task = app.items.add_task("Added from the window")
        thread = threading.Thread(target=other_thread)
        thread.start()
        assert other_recorded.wait(30)
        thread.join(30)
        return task

    record = app.history.perform(op)  # the record, with the op's result on it
    task = record.result
    assert entries["other"] is not None
    assert record.entry_id is not None
    assert record.entry_id != entries["other"]
    assert record.ids("tasks") == {task.id}  # type: ignore[attr-defined]
