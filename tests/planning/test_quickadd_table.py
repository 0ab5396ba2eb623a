"""Quick add (SPEC v2 §12): a table of phrases, false positives included, and a property.

The clock is Wednesday 2 December 2026, 10:00 UTC; the profile's zone is UTC.
"""

from __future__ import annotations

import string
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum_app.core import quickadd

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)  # a Wednesday
WEEKLY = "FREQ=WEEKLY"
WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def parse(text: str, keep: tuple[str, ...] = ()) -> quickadd.QuickAdd:
    return quickadd.parse(text, now=NOW, tz_name="UTC", keep=keep)


#: text -> (title, project, tags, complexity, due, repeat, reminders)
TABLE: list[tuple[str, tuple[object, ...]]] = [
    # the SPEC's example
    ("Call mom tomorrow 5pm #Home !3 every sun",
     ("Call mom", "Home", (), 3, "2026-12-03T17:00", "FREQ=WEEKLY;BYDAY=SU", ())),
    # false positives peers hit: text stays text
    ("The 5th Wave", ("The 5th Wave", None, (), None, None, None, ())),
    ("paprika", ("paprika", None, (), None, None, None, ())),
    ("Buy paprika and marjoram", ("Buy paprika and marjoram", None, (), None, None, None, ())),
    ("May the force be with you", ("May the force be with you", None, (), None, None, None,
                                   ())),
    ("Go to Monday.com", ("Go to Monday.com", None, (), None, None, None, ())),
    ("Read John 3:16", ("Read John 3:16", None, (), None, None, None, ())),
    ("Fix bug #123", ("Fix bug #123", None, (), None, None, None, ())),
    ("email bob@example.com", ("email bob@example.com", None, (), None, None, None, ())),
    ("Every little thing", ("Every little thing", None, (), None, None, None, ())),
    ("Daily standup notes", ("Daily standup notes", None, (), None, None, None, ())),
    ("Buy 5 apples", ("Buy 5 apples", None, (), None, None, None, ())),
    ("Meet at the park", ("Meet at the park", None, (), None, None, None, ())),
    ("Wow!!", ("Wow!!", None, (), None, None, None, ())),
    ("Score !9 points", ("Score !9 points", None, (), None, None, None, ())),
    ("Remind Bob about lunch", ("Remind Bob about lunch", None, (), None, None, None, ())),
    ("Watch Mad Max", ("Watch Mad Max", None, (), None, None, None, ())),
    ("Sunday's roast", ("Sunday's roast", None, (), None, None, None, ())),
    ("Decide on a march route", ("Decide on a march route", None, (), None, None, None, ())),
    ("Go in 3 minutes", ("Go in 3 minutes", None, (), None, None, None, ())),
    ("Print 2026-13-45 labels", ("Print 2026-13-45 labels", None, (), None, None, None, ())),
    ("Set alarm 25:00", ("Set alarm 25:00", None, (), None, None, None, ())),
    ("Buy C# book", ("Buy C# book", None, (), None, None, None, ())),
    ("every 2 week", ("every 2 week", None, (), None, None, None, ())),
    # quoted words are never parsed
    ('Read "The 5th Wave" tomorrow', ("Read The 5th Wave", None, (), None, "2026-12-03", None,
                                      ())),
    ('Watch "Friday Night Lights"', ("Watch Friday Night Lights", None, (), None, None, None,
                                     ())),
    ('Plan "next week" party', ("Plan next week party", None, (), None, None, None, ())),
    ('Tag "#work" literally', ("Tag #work literally", None, (), None, None, None, ())),
    # projects, tags, complexity
    ("Report #Work", ("Report", "Work", (), None, None, None, ())),
    ("Report #Work #Home", ("Report #Home", "Work", (), None, None, None, ())),
    ("Buy milk @errands @Shop", ("Buy milk", None, ("errands", "Shop"), None, None, None, ())),
    ("Buy milk @errands @ERRANDS", ("Buy milk", None, ("errands",), None, None, None, ())),
    ("Lift !5", ("Lift", None, (), 5, None, None, ())),
    ("Lift !1 !4", ("Lift !4", None, (), 1, None, None, ())),
    # dates
    ("Pay today", ("Pay", None, (), None, "2026-12-02", None, ())),
    ("Pay tomorrow", ("Pay", None, (), None, "2026-12-03", None, ())),
    ("Pay TOMORROW", ("Pay", None, (), None, "2026-12-03", None, ())),
    ("Pay mon", ("Pay", None, (), None, "2026-12-07", None, ())),
    ("Pay wed", ("Pay", None, (), None, "2026-12-02", None, ())),
    ("Pay Friday", ("Pay", None, (), None, "2026-12-04", None, ())),
    ("Pay next week", ("Pay", None, (), None, "2026-12-07", None, ())),
    ("Pay next wed", ("Pay", None, (), None, "2026-12-09", None, ())),
    ("Pay in 3 days", ("Pay", None, (), None, "2026-12-05", None, ())),
    ("Pay in 2 weeks", ("Pay", None, (), None, "2026-12-16", None, ())),
    ("Pay in a month", ("Pay", None, (), None, "2027-01-02", None, ())),
    ("Party dec 5", ("Party", None, (), None, "2026-12-05", None, ())),
    ("Party December 24th", ("Party", None, (), None, "2026-12-24", None, ())),
    ("Party 5 jan", ("Party", None, (), None, "2027-01-05", None, ())),
    ("Party nov 3", ("Party", None, (), None, "2027-11-03", None, ())),
    ("Party may 5 2028", ("Party", None, (), None, "2028-05-05", None, ())),
    ("Party 2026-12-05", ("Party", None, (), None, "2026-12-05", None, ())),
    ("Party feb 30", ("Party feb 30", None, (), None, None, None, ())),
    ("Pay tomorrow or friday", ("Pay or friday", None, (), None, "2026-12-03", None, ())),
    # times
    ("Call 5pm", ("Call", None, (), None, "2026-12-02T17:00", None, ())),
    ("Call 9am", ("Call", None, (), None, "2026-12-03T09:00", None, ())),  # passed: tomorrow
    ("Call 5:30pm", ("Call", None, (), None, "2026-12-02T17:30", None, ())),
    ("Call 5 pm", ("Call", None, (), None, "2026-12-02T17:00", None, ())),
    ("Call 17:30", ("Call", None, (), None, "2026-12-02T17:30", None, ())),
    ("Call at 9:30 tomorrow", ("Call", None, (), None, "2026-12-03T09:30", None, ())),
    ("Lunch tomorrow noon", ("Lunch", None, (), None, "2026-12-03T12:00", None, ())),
    ("Call 12am", ("Call", None, (), None, "2026-12-03T00:00", None, ())),
    # repeats
    ("Water plants every day", ("Water plants", None, (), None, "2026-12-02", "FREQ=DAILY",
                                ())),
    ("Standup every weekday at 9:30",
     ("Standup", None, (), None, "2026-12-03T09:30", WEEKDAYS, ())),
    ("Gym every mon,thu", ("Gym", None, (), None, "2026-12-03", "FREQ=WEEKLY;BYDAY=MO,TH", ())),
    ("Gym every mon, thu", ("Gym", None, (), None, "2026-12-03", "FREQ=WEEKLY;BYDAY=MO,TH",
                            ())),
    ("Gym every tue and fri", ("Gym", None, (), None, "2026-12-04", "FREQ=WEEKLY;BYDAY=TU,FR",
                               ())),
    ("Review every 2 weeks", ("Review", None, (), None, "2026-12-02", WEEKLY + ";INTERVAL=2",
                              ())),
    ("Review every other week", ("Review", None, (), None, "2026-12-02",
                                 WEEKLY + ";INTERVAL=2", ())),
    ("Rent every month on the 1st", ("Rent", None, (), None, "2027-01-01",
                                     "FREQ=MONTHLY;BYMONTHDAY=1", ())),
    ("Backup every month", ("Backup", None, (), None, "2026-12-02", "FREQ=MONTHLY", ())),
    ("Taxes every year", ("Taxes", None, (), None, "2026-12-02", "FREQ=YEARLY", ())),
    ("Clean every weekend", ("Clean", None, (), None, "2026-12-05", "FREQ=WEEKLY;BYDAY=SA,SU",
                             ())),
    ("Call every 3 days", ("Call", None, (), None, "2026-12-02", "FREQ=DAILY;INTERVAL=3", ())),
    # reminders
    ("Dentist tomorrow 3pm remind 30m", ("Dentist", None, (), None, "2026-12-03T15:00", None,
                                         ("30m",))),
    ("Dentist fri 3pm remind me 1d remind 2h", ("Dentist", None, (), None, "2026-12-04T15:00",
                                                None, ("1d", "2h"))),
    ("Pack remind 60m tomorrow", ("Pack", None, (), None, "2026-12-03", None, ("1h",))),
    # everything at once, in any order
    ("!2 @phone #Family every sun 10am Call grandma",
     ("Call grandma", "Family", ("phone",), 2, "2026-12-06T10:00", "FREQ=WEEKLY;BYDAY=SU", ())),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_phrase(text: str, expected: tuple[object, ...]) -> None:
    got = parse(text)
    assert (got.title, got.project, got.tags, got.complexity, got.due, got.repeat,
            got.reminders) == expected


def test_the_table_has_at_least_sixty_phrases() -> None:
    assert len(TABLE) >= 60


def test_each_token_can_be_switched_off_and_then_stays_in_the_title() -> None:
    full = parse("Call mom tomorrow 5pm #Home !3")
    assert [t.kind for t in full.tokens] == ["date", "time", "project", "complexity"]
    off = parse("Call mom tomorrow 5pm #Home !3", keep=("tomorrow", "#home"))
    assert off.title == "Call mom tomorrow #Home" and off.project is None
    assert off.due == "2026-12-02T17:00" and off.complexity == 3


def test_tokens_know_where_they_are_for_chips() -> None:
    text = "Call mom tomorrow 5pm #Home"
    tokens = parse(text).tokens
    assert [text[t.start:t.end] for t in tokens] == ["tomorrow", "5pm", "#Home"]
    assert [t.label for t in tokens] == ["Tomorrow", "17:00", "Home"]


def test_dry_run_summary_is_one_line() -> None:
    summary = parse("Call mom tomorrow 5pm #Home !3 every sun").summary()
    assert "\n" not in summary
    assert summary == ("title: 'Call mom' · project: Home · complexity: 3 · "
                       "due: 2026-12-03 17:00 · repeat: every Sunday (FREQ=WEEKLY;BYDAY=SU)")


TOKEN_WORDS = set(quickadd.WEEKDAYS) | set(quickadd.MONTHS) | {
    "today", "tod", "tomorrow", "tmr", "tmrw", "next", "in", "every", "remind", "at", "noon",
    "midnight", "am", "pm"}
plain_word = st.text(alphabet=string.ascii_letters + "àéçß'’-", min_size=1, max_size=12).filter(
    lambda w: w.lower().strip("'’-,") not in TOKEN_WORDS and w.lower() not in TOKEN_WORDS)
number_word = st.integers(0, 99).map(str)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(plain_word, number_word), min_size=1, max_size=10),
       st.sampled_from([" ", "  ", " \t "]))
def test_titles_without_tokens_come_through_unchanged(words: list[str], gap: str) -> None:
    text = gap.join(words)
    got = parse(text)
    assert got.tokens == ()
    assert got.title == " ".join(words)
