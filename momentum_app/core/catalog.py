"""The rules of the game as data (SPEC §§2–6): points, levels, streaks, achievements, milestones.

Everything numeric that SPEC.md fixes lives here and nowhere else. The engine reads
these tables; a meta-test checks that each entry is exercised by a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Kind(StrEnum):
    """The four kinds of completion (SPEC §2)."""

    TASK = "task"
    STEP = "goal_step"
    SLOT = "time_slot"
    GOAL = "goal"


#: Ledger source and base points of each completion kind.
COMPLETION_SOURCE: dict[Kind, str] = {
    Kind.TASK: "task_completion",
    Kind.STEP: "goal_step_completion",
    Kind.SLOT: "time_slot_completion",
    Kind.GOAL: "goal_completion",
}
BASE_POINTS: dict[Kind, int] = {Kind.TASK: 10, Kind.STEP: 15, Kind.SLOT: 20, Kind.GOAL: 50}
KIND_BY_SOURCE: dict[str, Kind] = {source: kind for kind, source in COMPLETION_SOURCE.items()}

#: The event type that reverses a completion (reopening).
REVERSAL_EVENT = "reversal"
#: Built-in non-completion event types.
REPORT_EXPORTED_EVENT = "report_exported"
#: A profile's rule settings changed (zone, day start, target, days off, vacations): the
#: event carries the new settings so a replay applies each event with the settings it had.
SETTINGS_EVENT = "settings_changed"
#: A custom achievement was defined: evaluated at once (it may already be earned).
ACHIEVEMENT_DEFINED_EVENT = "achievement_defined"
#: An achievement a profile earned from other profiles' activity, carried into a file that
#: holds only this profile (a single-profile backup restored): the engine sets the metric
#: to the target, and the achievement unlocks and credits as usual — once.
ACHIEVEMENT_CARRIED_EVENT = "achievement_carried"
#: Coins spent on a reward, and a purchase undone (SPEC v2 §2a). They move coins, never
#: points: the engine records them and scores nothing (see core/services/rewards.py).
REWARD_PURCHASE_EVENT = "reward_purchase"
REWARD_REFUND_EVENT = "reward_refund"
REWARD_EVENTS = frozenset({REWARD_PURCHASE_EVENT, REWARD_REFUND_EVENT})
#: A custom event taken back (undo, SPEC v2 §9): its meta names the event, its type and
#: the points it credited, which are debited on the event's own activity day.
CUSTOM_REVERSAL_EVENT = "custom_event_reversal"
REWARD_COST_MIN, REWARD_COST_MAX = 1, 100_000
#: Gamification modes (SPEC v2 §11): what the window shows; the engine records all.
GAME_MODES = ("full", "quiet", "off")
DEFAULT_GAME_MODE = "full"

MIN_COMPLEXITY, MAX_COMPLEXITY, DEFAULT_COMPLEXITY = 1, 5, 1


def complexity_multiplier(complexity: int) -> Decimal:
    return Decimal(1) + Decimal("0.25") * (complexity - 1)


STREAK_MULTIPLIER_STEP = Decimal("0.1")
STREAK_MULTIPLIER_DAYS = 7
STREAK_MULTIPLIER_MAX_STEPS = 5
#: SPEC v2 §4: a daily_activity run earns a streak freeze at every 7th qualifying day;
#: a profile holds at most 2.
FREEZE_EVERY_DAYS = 7
MAX_STREAK_FREEZES = 2


def streak_multiplier(run_length: int) -> Decimal:
    steps = min(STREAK_MULTIPLIER_MAX_STEPS, run_length // STREAK_MULTIPLIER_DAYS)
    return Decimal(1) + STREAK_MULTIPLIER_STEP * steps


def round_half_up(value: Decimal) -> int:
    rounded: Decimal = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(rounded)


def completion_price(kind: Kind, complexity: int, run_length: int) -> int:
    """Base × complexity multiplier (tasks only) × streak multiplier, rounded once, half up."""
    value = Decimal(BASE_POINTS[kind]) * streak_multiplier(run_length)
    if kind is Kind.TASK:
        value *= complexity_multiplier(complexity)
    return round_half_up(value)


@dataclass(frozen=True)
class Bonus:
    source: str
    points: int
    reason: str


FIRST_TASK_OF_DAY = Bonus("first_task_of_day", 5, "First task of the day")
EARLY_BIRD = Bonus("early_bird", 15, "Early bird (05:00–07:59)")
NIGHT_OWL = Bonus("night_owl", 15, "Night owl (22:00–01:59)")
WEEKEND_ACTIVITY = Bonus("weekend_activity", 30, "Weekend activity")
PERFECT_WEEK = Bonus("perfect_week", 100, "Perfect week")
DAILY_BONUSES = (FIRST_TASK_OF_DAY, EARLY_BIRD, NIGHT_OWL, WEEKEND_ACTIVITY)
BONUSES = DAILY_BONUSES + (PERFECT_WEEK,)
STREAK_ADJUSTMENT_SOURCE = "streak_adjustment"

#: Local wall-clock windows as (first hour, last hour) inclusive, hours may wrap midnight.
EARLY_BIRD_HOURS = frozenset({5, 6, 7})
NIGHT_OWL_HOURS = frozenset({22, 23, 0, 1})

#: daily_activity run length → streak-milestone bonus points.
STREAK_MILESTONES: dict[int, int] = {7: 50, 30: 150, 100: 500, 365: 1500}
STREAK_MILESTONE_SOURCE = "streak_milestone"

# --- Levels (SPEC §3) -------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    number: int
    title: str
    perk: str | None
    perk_key: str | None

    @property
    def points_required(self) -> int:
        return points_required(self.number)


def points_required(level: int) -> int:
    return 100 * ((1 << (level - 1)) - 1)


LEVELS: tuple[Level, ...] = (
    Level(1, "Novice", None, None),
    Level(2, "Apprentice", "custom accent colour", "accent_colour"),
    Level(3, "Achiever", "custom backgrounds", "backgrounds"),
    Level(4, "Planner", "advanced analytics (heatmap, trends)", "advanced_analytics"),
    Level(5, "Strategist", "special badges", "special_badges"),
    Level(6, "Expert", "extra themes", "extra_themes"),
    Level(7, "Master", "custom achievements", "custom_achievements"),
    Level(8, "Mentor", "mentor status", "mentor_status"),
    Level(9, "Grandmaster", "prestige badge frame", "prestige_frame"),
    Level(10, "Legend", "legendary status", "legendary_status"),
)
MAX_LEVEL = LEVELS[-1].number


def level_for_points(total: int) -> Level:
    current = LEVELS[0]
    for level in LEVELS:
        if total >= level.points_required:
            current = level
    return current


def perk_level(perk_key: str) -> int:
    for level in LEVELS:
        if level.perk_key == perk_key:
            return level.number
    raise KeyError(perk_key)


#: Every perk key, in the order the levels unlock them.
PERK_KEYS: tuple[str, ...] = tuple(level.perk_key for level in LEVELS if level.perk_key)


def perks_unlocked(level: int) -> frozenset[str]:
    """The perks a profile at ``level`` may use: each one from its level on (SPEC §3).

    The one place that decides whether a perk is usable; the window asks it, never the
    level number directly.
    """
    return frozenset(entry.perk_key for entry in LEVELS
                     if entry.perk_key is not None and entry.number <= level)


# --- Streaks (SPEC §4) ------------------------------------------------------------


class StreakType(StrEnum):
    DAILY_ACTIVITY = "daily_activity"
    DAILY_TARGET = "daily_target"
    DAILY_FOCUS = "daily_focus"
    WEEKLY_GOAL = "weekly_goal"


DEFAULT_DAILY_TARGET = 3

# --- Achievements (SPEC §5) -------------------------------------------------------

CATEGORIES = ("productivity", "consistency", "time_management", "focus", "growth", "social")


class Criteria(StrEnum):
    """What an achievement counts. Each maps to a counter or a derived figure."""

    TASKS = "tasks_completed"
    TASKS_COMPLEXITY_5 = "tasks_complexity_5"
    GOALS = "goals_completed"
    STEPS = "steps_completed"
    SLOTS = "slots_completed"
    LONG_SLOTS = "long_slots_completed"
    FOCUS_MINUTES = "focus_minutes"
    AHEAD_OF_TIME = "tasks_ahead_of_time"
    STREAK = "daily_activity_streak"
    PERFECT_WEEKS = "perfect_weeks"
    EARLY_BIRD_DAYS = "early_bird_days"
    NIGHT_OWL_DAYS = "night_owl_days"
    WEEKEND_DAYS = "weekend_days"
    LEVEL = "level"
    TEAM_WEEKS = "team_weeks"
    TOP_WEEKS = "top_weeks"
    REPORTS = "reports_exported"
    EVENT_COUNT = "event_count"  # custom achievements: count of a named event type


@dataclass(frozen=True)
class Achievement:
    id: str
    name: str
    description: str
    points: int
    category: str
    criteria: Criteria
    target: int
    icon: str
    event_type: str | None = None  # for Criteria.EVENT_COUNT


def _a(id: str, name: str, category: str, criteria: Criteria, target: int, points: int,
       description: str, icon: str) -> Achievement:
    return Achievement(id, name, description, points, category, criteria, target, icon)


ACHIEVEMENTS: tuple[Achievement, ...] = (
    _a("first_step", "First Step", "productivity", Criteria.TASKS, 1, 10,
       "Complete your first task", "fa5s.shoe-prints"),
    _a("getting_things_done", "Getting Things Done", "productivity", Criteria.TASKS, 10, 50,
       "Complete 10 tasks", "fa5s.tasks"),
    _a("task_master", "Task Master", "productivity", Criteria.TASKS, 100, 500,
       "Complete 100 tasks", "fa5s.check-double"),
    _a("task_legend", "Task Legend", "productivity", Criteria.TASKS, 1000, 2000,
       "Complete 1,000 tasks", "fa5s.crown"),
    _a("heavy_lifter", "Heavy Lifter", "productivity", Criteria.TASKS_COMPLEXITY_5, 10, 150,
       "Complete 10 tasks of complexity 5", "fa5s.dumbbell"),
    _a("goal_getter", "Goal Getter", "productivity", Criteria.GOALS, 1, 50,
       "Complete a goal", "fa5s.bullseye"),
    _a("goal_crusher", "Goal Crusher", "productivity", Criteria.GOALS, 10, 300,
       "Complete 10 goals", "fa5s.trophy"),
    _a("on_a_roll", "On a Roll", "consistency", Criteria.STREAK, 3, 25,
       "Reach a 3-day activity streak", "fa5s.fire"),
    _a("week_warrior", "Week Warrior", "consistency", Criteria.STREAK, 7, 75,
       "Reach a 7-day activity streak", "fa5s.fire-alt"),
    _a("unstoppable", "Unstoppable", "consistency", Criteria.STREAK, 30, 300,
       "Reach a 30-day activity streak", "fa5s.bolt"),
    _a("centurion", "Centurion", "consistency", Criteria.STREAK, 100, 1000,
       "Reach a 100-day activity streak", "fa5s.shield-alt"),
    _a("perfect_week", "Perfect Week", "consistency", Criteria.PERFECT_WEEKS, 1, 100,
       "Complete something on all seven days of a week", "fa5s.calendar-check"),
    _a("perfect_month", "Perfect Month", "consistency", Criteria.PERFECT_WEEKS, 4, 400,
       "Have four perfect weeks", "fa5s.calendar-alt"),
    _a("scheduler", "Scheduler", "time_management", Criteria.SLOTS, 1, 10,
       "Complete a time slot", "fa5s.clock"),
    _a("time_blocker", "Time Blocker", "time_management", Criteria.SLOTS, 25, 150,
       "Complete 25 time slots", "fa5s.th-large"),
    _a("early_bird", "Early Bird", "time_management", Criteria.EARLY_BIRD_DAYS, 5, 50,
       "Earn the early-bird bonus on 5 days", "fa5s.sun"),
    _a("night_owl", "Night Owl", "time_management", Criteria.NIGHT_OWL_DAYS, 5, 50,
       "Earn the night-owl bonus on 5 days", "fa5s.moon"),
    _a("ahead_of_time", "Ahead of Time", "time_management", Criteria.AHEAD_OF_TIME, 10, 100,
       "Complete 10 tasks on or before their due date", "fa5s.hourglass-start"),
    _a("deep_diver", "Deep Diver", "focus", Criteria.LONG_SLOTS, 1, 50,
       "Complete a time slot of 90 minutes or more", "fa5s.water"),
    _a("deep_work", "Deep Work", "focus", Criteria.LONG_SLOTS, 10, 250,
       "Complete 10 time slots of 90 minutes or more", "fa5s.brain"),
    _a("focus_marathon", "Focus Marathon", "focus", Criteria.FOCUS_MINUTES, 50 * 60, 500,
       "Complete 50 hours of time slots", "fa5s.running"),
    _a("step_by_step", "Step by Step", "growth", Criteria.STEPS, 25, 100,
       "Complete 25 goal steps", "fa5s.stream"),
    _a("weekend_warrior", "Weekend Warrior", "growth", Criteria.WEEKEND_DAYS, 10, 100,
       "Earn the weekend bonus on 10 days", "fa5s.umbrella-beach"),
    _a("rising_star", "Rising Star", "growth", Criteria.LEVEL, 5, 100,
       "Reach level 5", "fa5s.star"),
    _a("legendary", "Legendary", "growth", Criteria.LEVEL, 10, 1000,
       "Reach level 10", "fa5s.gem"),
    _a("team_player", "Team Player", "social", Criteria.TEAM_WEEKS, 1, 50,
       "Complete something in a week another profile did too", "fa5s.users"),
    _a("top_of_the_board", "Top of the Board", "social", Criteria.TOP_WEEKS, 1, 200,
       "Finish a week ranked #1 among two or more active profiles", "fa5s.medal"),
    _a("show_and_tell", "Show and Tell", "social", Criteria.REPORTS, 1, 25,
       "Export a stats report", "fa5s.file-export"),
)
ACHIEVEMENTS_BY_ID = {a.id: a for a in ACHIEVEMENTS}
#: What other profiles' activity decides (a fold of one profile's events cannot): the
#: achievements measured by these may be carried (``ACHIEVEMENT_CARRIED_EVENT``).
CARRIED_CRITERIA = frozenset({Criteria.TEAM_WEEKS, Criteria.TOP_WEEKS})
ACHIEVEMENT_SOURCE = "achievement"

#: Minutes from which a completed time slot counts as deep work.
LONG_SLOT_MINUTES = 90
#: Custom achievements: the level that unlocks them, and their point cap.
CUSTOM_ACHIEVEMENT_LEVEL = 7
CUSTOM_ACHIEVEMENT_MAX_POINTS = 100
CUSTOM_ACHIEVEMENT_CRITERIA = (
    Criteria.TASKS, Criteria.GOALS, Criteria.STEPS, Criteria.SLOTS, Criteria.EVENT_COUNT,
    Criteria.STREAK, Criteria.FOCUS_MINUTES,
)

# --- Milestones (SPEC §6) ---------------------------------------------------------


class MilestoneKind(StrEnum):
    TASKS = "tasks"
    SLOTS = "time_slots"
    STEPS = "goal_steps"


@dataclass(frozen=True)
class MilestoneTrack:
    scope: str  # "global" or "project"
    kind: MilestoneKind
    source: str
    thresholds: tuple[tuple[int, int], ...]  # (count, points), ascending

    @property
    def threshold_counts(self) -> frozenset[int]:
        return frozenset(count for count, _ in self.thresholds)


MILESTONE_TRACKS: tuple[MilestoneTrack, ...] = (
    MilestoneTrack("global", MilestoneKind.TASKS, "global_task_milestone",
                   ((15, 50), (30, 75), (50, 100), (100, 200), (250, 350), (500, 500),
                    (1000, 1000))),
    MilestoneTrack("global", MilestoneKind.SLOTS, "global_slot_milestone",
                   ((15, 100), (30, 150), (50, 250), (100, 400), (250, 750), (500, 1200))),
    MilestoneTrack("project", MilestoneKind.TASKS, "project_task_milestone",
                   ((5, 25), (10, 35), (25, 60), (50, 100), (100, 200))),
    MilestoneTrack("project", MilestoneKind.SLOTS, "project_slot_milestone",
                   ((3, 50), (5, 75), (10, 100), (20, 200), (50, 400))),
    MilestoneTrack("project", MilestoneKind.STEPS, "project_step_milestone",
                   ((10, 25), (25, 35), (50, 60), (100, 100), (250, 200))),
)
MILESTONE_KIND_BY_COMPLETION: dict[Kind, MilestoneKind] = {
    Kind.TASK: MilestoneKind.TASKS, Kind.SLOT: MilestoneKind.SLOTS, Kind.STEP: MilestoneKind.STEPS,
}


def milestone_track(scope: str, kind: MilestoneKind) -> MilestoneTrack | None:
    for track in MILESTONE_TRACKS:
        if track.scope == scope and track.kind == kind:
            return track
    return None


# --- Validation limits (SPEC §10) ---------------------------------------------------

TITLE_MAX = 500
NOTES_MAX = 20_000
NAME_MAX = 100
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
