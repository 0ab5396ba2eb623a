"""The words a sync report's change counts read in, shared by ``momentum sync`` and the
window's Settings ▸ Sync card (``core.services.sync.describe_counts``)."""
from __future__ import annotations

import pytest

from momentum_app.core.services.sync import describe_count, describe_counts


@pytest.mark.parametrize(("label", "number", "words"), [
    ("created tasks", 1, "1 new task"),
    ("created tasks", 2, "2 new tasks"),
    ("edited goal_steps", 1, "1 edited goal step"),
    ("deleted time_slots", 1_200, "1,200 deleted time slots"),
    ("restored tasks", 1, "1 restored task"),
    ("removed task_tags", 3, "3 removed task tags"),
    ("merged projects", 1, "1 project met by name"),
    ("events", 1, "1 event"),
    ("events", 10_000, "10,000 events"),
])
def test_each_count_reads_as_a_person_would_say_it(label, number, words):
    assert describe_count(label, number) == words


def test_counts_are_listed_in_a_stable_order_or_nothing():
    assert describe_counts({}) == "nothing"
    assert describe_counts({"events": 2, "created tasks": 1}) == "1 new task, 2 events"
