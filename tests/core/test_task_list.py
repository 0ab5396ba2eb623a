"""``list_tasks``: keyset pages, the "due" order in two segments, and search through FTS5.

Each fast path is checked against a plain Python reference over the same rows, so an index
can only make a list faster, never different. The FTS5 index itself is kept by triggers:
edits, deletions and undeletions must show in searches at once.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momentum_app.core.catalog import Kind
from momentum_app.core.services import Momentum
from momentum_app.core.services.dto import TaskDTO
from momentum_app.core.services.task_query import TaskCursor

WORDS = ["Pay", "rent", "INVOICE", "invoice#42", "Straße", "ÉTÉ", "50%_off", 'say "hi"',
         "a\\b", "naïve", "日本語", "x"]
ORDERS = ("id", "due", "title", "complexity")


def ascii_lower(text: str) -> str:
    """SQLite's lower() and LIKE fold ASCII letters only."""
    return "".join(c.lower() if c.isascii() else c for c in text)


def reference(tasks: list[TaskDTO], order: str, status: str, needle: str) -> list[int]:
    chosen = [t for t in tasks if status in ("all", t.status)]
    if needle:
        chosen = [t for t in chosen if ascii_lower(needle) in ascii_lower(t.title)
                  or ascii_lower(needle) in ascii_lower(t.notes)]
    keys = {"id": lambda t: (t.id,),
            "due": lambda t: (t.due is None, t.due or date.min, t.id),
            "title": lambda t: (t.title.encode("utf-8"), t.id),  # SQLite BINARY collation
            "complexity": lambda t: (-t.complexity, t.id)}
    return [t.id for t in sorted(chosen, key=keys[order])]


def cursor_of(task: TaskDTO) -> TaskCursor:
    return TaskCursor(task.id, task.title, task.complexity, task.due)


def paged(app: Momentum, page: int, **filters: object) -> list[int]:
    """Every page, each starting after the last row of the one before."""
    ids: list[int] = []
    after = None
    while True:
        rows = app.items.list_tasks(limit=page, after=after, **filters)  # type: ignore[arg-type]
        ids += [t.id for t in rows]
        if len(rows) < page:
            return ids
        after = cursor_of(rows[-1])


task_specs = st.lists(st.tuples(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
    st.sampled_from(WORDS + [""]),
    st.integers(1, 5),
    st.one_of(st.none(), st.integers(0, 6)),
    st.booleans()), min_size=0, max_size=25)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=task_specs, page=st.integers(1, 7),
       needle=st.sampled_from(["", "in", "invoice", "INV", "é", "ÉTÉ", "straße", "50%",
                               "%", "_", '"hi"', "a\\b", "日本", "nothing here"]))
def test_pages_orders_and_search_match_a_plain_reference(app: Momentum, specs, page, needle):
    for task in app.items.list_tasks():  # the previous example's
        app.items.delete(Kind.TASK, task.id)
    base = date(2026, 1, 5)
    for title, notes, complexity, due_offset, done in specs:
        due = None if due_offset is None else base + timedelta(days=due_offset)
        task = app.items.add_task(title, notes=notes, complexity=complexity, due=due)
        if done:
            app.items.complete(Kind.TASK, task.id)
    everything = app.items.list_tasks(status="all")
    for order in ORDERS:
        for status in ("open", "done", "all"):
            expected = reference(everything, order, status, needle)
            filters = {"order": order, "status": status, "search": needle or None}
            assert [t.id for t in app.items.list_tasks(**filters)] == expected, filters
            assert paged(app, page, **filters) == expected, (filters, page)
            if expected:
                offset = min(page, len(expected))
                assert [t.id for t in app.items.list_tasks(
                    offset=offset, limit=page, **filters)] == expected[offset:offset + page]


def test_the_search_index_follows_edits_deletions_and_undeletions(app: Momentum):
    task = app.items.add_task("Renew passport", notes="bring photos")

    def found(needle: str) -> list[int]:
        return [t.id for t in app.items.list_tasks(search=needle)]

    assert found("passport") == found("PHOTO") == [task.id]
    app.items.edit_task(task.id, title="Renew driving licence", notes="eye test")
    assert found("passport") == found("photo") == []
    assert found("licence") == found("EYE TEST") == [task.id]
    app.items.delete(Kind.TASK, task.id)
    assert found("licence") == []
    assert [t.id for t in app.items.list_tasks(search="licence", include_deleted=True)] == [
        task.id]


@pytest.mark.parametrize("needle", ['"', '""', "'", "*", "AND", "NEAR(a b)", "-x", "^ab",
                                    "col:abc", "(((", "«»‹"])
def test_fts_syntax_in_a_search_is_plain_text(app: Momentum, needle: str):
    plain = app.items.add_task(f"odd {needle} title")
    app.items.add_task("something else")
    everything = app.items.list_tasks()
    for search in (needle, f"odd {needle}", f"{needle} title"):
        found = [t.id for t in app.items.list_tasks(search=search)]
        assert found == reference(everything, "id", "all", search)
        assert plain.id in found


@pytest.mark.parametrize(("search", "bounded"), [
    (None, True), ("", True), ("   ", True), ("abc", True), ("  abc ", True),
    ("ab", False), (" a ", False), ("日本", False), ("日本語", True)])
def test_a_first_page_is_bounded_without_text_or_with_text_the_index_answers(search, bounded):
    """The window reads such pages on the UI thread; the rest scan every title."""
    from momentum_app.core.services.task_query import first_page_is_bounded

    assert first_page_is_bounded(search) is bounded
