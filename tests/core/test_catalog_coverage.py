"""Meta-test (CONVENTIONS §4): every catalog entry is exercised by a rules test.

Tests declare what they exercise with ``@pytest.mark.covers("achievement:first_step")``
(registered in tests/core/conftest.py). The ids expected are derived from the catalog,
so adding an achievement, a level, a bonus, a streak milestone, a milestone threshold, a
completion source, a streak type or a ledger source without a test fails here; an id
that names nothing in the catalog (a typo, a removed entry) fails too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from momentum_app.core import catalog
from momentum_app.core.engine.step import iter_sources

CORE_TESTS = Path(__file__).parent


def catalog_ids(cat: Any, ledger_sources: Iterable[str] = ()) -> set[str]:
    """Every id a rules test must cover, from a catalog module (or a look-alike)."""
    ids = {f"completion:{source}" for source in cat.COMPLETION_SOURCE.values()}
    ids |= {f"bonus:{bonus.source}" for bonus in cat.BONUSES}
    ids |= {f"streak_milestone:{threshold}" for threshold in cat.STREAK_MILESTONES}
    ids |= {f"level:{level.number}" for level in cat.LEVELS}
    ids |= {f"achievement:{achievement.id}" for achievement in cat.ACHIEVEMENTS}
    ids |= {f"milestone:{track.source}:{threshold}"
            for track in cat.MILESTONE_TRACKS for threshold, _ in track.thresholds}
    ids |= {f"streak:{streak_type.value}" for streak_type in cat.StreakType}
    ids |= {f"event:{name}" for name in (cat.REVERSAL_EVENT, cat.REPORT_EXPORTED_EVENT)}
    # Ledger sources no family above names (e.g. streak_adjustment, custom_event).
    named = set(cat.COMPLETION_SOURCE.values()) | {b.source for b in cat.BONUSES} | {
        t.source for t in cat.MILESTONE_TRACKS} | {cat.STREAK_MILESTONE_SOURCE,
                                                   cat.ACHIEVEMENT_SOURCE}
    ids |= {f"source:{source}" for source in ledger_sources if source not in named}
    return ids


@dataclass(frozen=True)
class CoverageProblems:
    missing: frozenset[str]  # catalog entries no test covers
    unknown: frozenset[str]  # covered ids the catalog does not have

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unknown

    def message(self) -> str:
        lines = []
        if self.missing:
            lines.append("catalog entries without a test (add @pytest.mark.covers(...)): "
                         + ", ".join(sorted(self.missing)))
        if self.unknown:
            lines.append("covers() ids that name nothing in the catalog: "
                         + ", ".join(sorted(self.unknown)))
        return "\n".join(lines)


def check_coverage(expected: set[str], covered: set[str]) -> CoverageProblems:
    return CoverageProblems(frozenset(expected - covered), frozenset(covered - expected))


def covered_ids(config: pytest.Config) -> set[str]:
    """Ids covered by every test under tests/core.

    When this session collected every test file of the folder, the ids recorded by the
    conftest hook are complete; otherwise (a single file, a node id) a collect-only
    subprocess gathers them.
    """
    conftest = _core_conftest(config)
    store: dict[str, set[str]] = config.stash.get(conftest.COVERS_KEY, {}) if conftest else {}
    files = {str(path) for path in CORE_TESTS.glob("test_*.py")}
    if files <= set(store):
        return set().union(*store.values())
    if "subprocess" not in _COLLECTED:
        _COLLECTED["subprocess"] = _collect_in_subprocess()
    return _COLLECTED["subprocess"]


_COLLECTED: dict[str, set[str]] = {}


def _core_conftest(config: pytest.Config) -> Any:
    """tests/core/conftest.py as loaded by pytest (its module name is not unique)."""
    for plugin in config.pluginmanager.get_plugins():
        path = getattr(plugin, "__file__", None)
        if path and Path(path) == CORE_TESTS / "conftest.py":
            return plugin
    return None


def _collect_in_subprocess() -> set[str]:
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "covers.json"
        env = dict(os.environ, MOMENTUM_COVERS_DUMP=str(dump))
        subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                        "-p", "no:cacheprovider", str(CORE_TESTS)],
                       cwd=CORE_TESTS.parent.parent, env=env, check=True,
                       capture_output=True, timeout=120)
        store = json.loads(dump.read_text())
    return {item for ids in store.values() for item in ids}


# --- the meta-test ----------------------------------------------------------------------------


def test_every_catalog_entry_has_a_test(pytestconfig):
    expected = catalog_ids(catalog, iter_sources())
    problems = check_coverage(expected, covered_ids(pytestconfig))
    assert problems.ok, problems.message()


def test_the_catalog_has_the_spec_entry_counts():
    ids = catalog_ids(catalog, iter_sources())
    families = {}
    for item in ids:
        family = item.split(":")[0]
        families[family] = families.get(family, 0) + 1
    assert families == {"completion": 4, "bonus": 5, "streak_milestone": 4, "level": 10,
                        "achievement": 28, "milestone": 28, "streak": 4, "event": 2,
                        "source": 2}


# --- the checker itself can fail ----------------------------------------------------------------


def _fake_catalog(**overrides: Any) -> SimpleNamespace:
    fields: dict[str, Any] = {name: getattr(catalog, name) for name in (
        "COMPLETION_SOURCE", "BONUSES", "STREAK_MILESTONES", "LEVELS", "ACHIEVEMENTS",
        "MILESTONE_TRACKS", "StreakType", "REVERSAL_EVENT", "REPORT_EXPORTED_EVENT",
        "STREAK_MILESTONE_SOURCE", "ACHIEVEMENT_SOURCE")}
    fields.update(overrides)
    return SimpleNamespace(**fields)


def test_an_uncovered_new_achievement_is_reported():
    new = catalog.Achievement("night_shift", "Night Shift", "d", 10, "focus",
                              catalog.Criteria.TASKS, 3, "fa5s.moon")
    fake = _fake_catalog(ACHIEVEMENTS=catalog.ACHIEVEMENTS + (new,))
    covered = catalog_ids(catalog, iter_sources())
    problems = check_coverage(catalog_ids(fake, iter_sources()), covered)
    assert not problems.ok
    assert problems.missing == {"achievement:night_shift"}
    assert "achievement:night_shift" in problems.message()


def test_new_levels_thresholds_and_bonuses_are_reported():
    track = catalog.MILESTONE_TRACKS[0]
    longer = catalog.MilestoneTrack(track.scope, track.kind, track.source,
                                    track.thresholds + ((2000, 1500),))
    fake = _fake_catalog(
        LEVELS=catalog.LEVELS + (catalog.Level(11, "Mythic", None, None),),
        STREAK_MILESTONES={**catalog.STREAK_MILESTONES, 730: 3000},
        BONUSES=catalog.BONUSES + (catalog.Bonus("lunch_break", 5, "Lunch"),),
        MILESTONE_TRACKS=(longer,) + catalog.MILESTONE_TRACKS[1:],
        COMPLETION_SOURCE={**catalog.COMPLETION_SOURCE, "habit": "habit_completion"})
    problems = check_coverage(catalog_ids(fake, list(iter_sources()) + ["brand_new"]),
                              catalog_ids(catalog, iter_sources()))
    assert problems.missing == {"level:11", "streak_milestone:730", "bonus:lunch_break",
                                f"milestone:{track.source}:2000",
                                "completion:habit_completion", "source:brand_new"}


def test_a_covered_id_the_catalog_does_not_have_is_reported():
    expected = catalog_ids(catalog, iter_sources())
    problems = check_coverage(expected, expected | {"achievement:frist_step"})
    assert not problems.ok
    assert problems.unknown == {"achievement:frist_step"} and not problems.missing


def test_the_covers_marks_are_collected_from_parametrized_cases(pytestconfig):
    """pytest.param(..., marks=covers(...)) counts: every level is covered that way."""
    covered = covered_ids(pytestconfig)
    assert {f"level:{n}" for n in range(2, 11)} <= covered
    assert {f"milestone:project_step_milestone:{t}" for t in (10, 25, 50, 100, 250)} <= covered
