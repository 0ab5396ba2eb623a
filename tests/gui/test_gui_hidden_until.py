"""The window leaves tasks hidden until a later day out of Today and Tasks; the Tasks
view's "All" shows them; on their day they show (issue 18, Taskwarrior ``wait``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = pytest.mark.gui


def shown_titles(view) -> list[str]:
    return [view.model.task_at(row).title for row in range(view.model.rowCount())]


def test_hidden_tasks_stay_out_of_today_and_tasks_until_their_day(gui, qtbot, clock):
    items = gui.momentum.items  # the clock: Monday 2026-01-05, noon UTC
    items.add_task("Renew passport", due="2026-01-05", hide_until="2026-01-07")
    items.add_task("Buy milk", due="2026-01-05")
    today = gui.window.show_view("today")
    today.reload()
    assert today.task_list.list_model.item_count() == 1
    assert today.task_list.list_model.entry(1).title == "Buy milk"  # row 0: the section

    tasks = gui.window.show_view("tasks")
    tasks.reload()
    qtbot.waitUntil(lambda: shown_titles(tasks) == ["Buy milk"])
    tasks.status.button("all").click()
    qtbot.waitUntil(lambda: sorted(shown_titles(tasks)) == ["Buy milk", "Renew passport"])
    tasks.status.button("open").click()
    qtbot.waitUntil(lambda: shown_titles(tasks) == ["Buy milk"])

    clock.advance(timedelta(days=2))  # Wednesday: its day
    today.reload()
    assert today.task_list.list_model.item_count() == 2
    tasks.reload()
    qtbot.waitUntil(lambda: sorted(shown_titles(tasks)) == ["Buy milk", "Renew passport"])
