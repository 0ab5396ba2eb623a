"""The import conformance corpus (issue 18): ~500 files real tools wrote, each with what a
person migrating would expect (``tests/fixtures/conformance/MANIFEST.tsv``):

* an ``import`` file imports, and importing it a second time changes nothing (same
  database dump, the outcome says every item was unchanged);
* a ``refuse`` file is refused with an error naming its line (or field), and the database
  file is byte for byte what it was.

Each file is imported in-process (the real services on a real SQLite file); a few go
through the real command line in ``test_conformance_through_the_cli``.
"""

from __future__ import annotations

import csv
import re
import shutil
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from io_support import dump, run_cli

from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.errors import ValidationError
from momentum_app.core.imports import import_file
from momentum_app.core.services import Momentum

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "conformance"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
#: The manifest contradicts itself here: ``issue_1081_with_summary.ics`` (a VEVENT with
#: UID and SUMMARY but no DTSTART) must be refused, and this file holds two such VEVENTs
#: (in two VCALENDARs) but must import. We refuse a VEVENT without a start in both.
CONTRADICTIONS = {
    "ics/icalendar/tests/calendars/issue_1050_multiple_calendars.ics":
        "two VEVENTs without DTSTART, like issue_1081_with_summary.ics which must be refused",
}
#: An error names where: ``line 12: …``, ``line 3 (VEVENT): DTSTART: …``, or ``file: …``
#: for what concerns the whole file.
WHERE = re.compile(r"^(line \d+|file)\b")


def manifest() -> list[tuple[str, str, str]]:
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return [(fmt, expected, name) for fmt, expected, name in rows[1:]]


ROWS = manifest()


def _params() -> list[object]:
    out = []
    for fmt, expected, name in ROWS:
        marks = [pytest.mark.xfail(reason=CONTRADICTIONS[name], strict=True)] \
            if name in CONTRADICTIONS else []
        out.append(pytest.param(fmt, expected, name, id=name, marks=marks))
    return out


def _import(db: Path, fmt: str, file: Path):  # type: ignore[no-untyped-def]
    database = open_database(db)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # icalendar's "guessed a vendor TZID" notes
            return import_file(Momentum(database, FixedClock(NOW)), fmt, file)
    finally:
        database.close()


def test_the_corpus_is_in_the_repository():
    assert len(ROWS) >= 480
    missing = [name for _, _, name in ROWS if not (CORPUS / name).is_file()]
    assert not missing
    assert {e for _, e, _ in ROWS} == {"import", "refuse"}


@pytest.mark.parametrize(("fmt", "expected", "name"), _params())
def test_conformance(fmt: str, expected: str, name: str, template_db: Path,
                     tmp_path: Path) -> None:
    db = tmp_path / "momentum.sqlite3"
    shutil.copyfile(template_db, db)
    file = CORPUS / name
    if expected == "refuse":
        before = db.read_bytes()
        with pytest.raises(ValidationError) as refused:
            _import(db, fmt, file)
        assert WHERE.match(str(refused.value)), str(refused.value)
        assert db.read_bytes() == before
        return
    first = _import(db, fmt, file)
    assert first.totals()["updated"] == 0
    after_first = dump(db)
    second = _import(db, fmt, file)
    totals = second.totals()
    assert (totals["added"], totals["updated"]) == (0, 0), second.to_json()
    assert totals["unchanged"] == first.totals()["added"]
    assert dump(db) == after_first


@pytest.mark.parametrize("name", [
    "taskwarrior/repo_import_dup_uuid.json", "todotxt/edge/long_line_630_chars.txt",
    "ics/icalendar/tests/calendars/multiple_calendar_components.ics",
    "ics/pimutils+khal/tests_ics_event_dt_local_missing_tz.ics",
])
def test_conformance_through_the_cli(name: str, empty_db: Path) -> None:
    fmt, expected = next((f, e) for f, e, n in ROWS if n == name)
    result = run_cli(empty_db, "import", "--format", fmt, str(CORPUS / name))
    if expected == "import":
        assert result.returncode == 0, result.stderr
        again = run_cli(empty_db, "import", "--format", fmt, str(CORPUS / name), "--json")
        assert again.json()["totals"]["added"] == 0 and again.json()["totals"]["updated"] == 0
    else:
        assert result.returncode == 2 and result.stderr.startswith("error: line "), result.stderr
        assert result.stderr.count("\n") == 1
