"""What a toast says: one message that sums up everything an outcome brought.

Pure functions over the engine's :class:`Outcome` (no widgets): the total ("+165
points"), then one line per ledger source the points came from ("Task +15", "First of
the day +5", "Perfect week +100", SPEC v2 §11), "Daily target reached" when that
completion made the day's target, then the news ("Achievement unlocked: First Step").
Milestones of projects whose goals are disabled are muted (``ReachedMilestone.muted``);
reversals are never announced. A message remembers the undo commands it is about, so
its Undo button undoes them and the toast goes away when they are undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core import catalog
from ..core.catalog import Kind
from ..core.engine.outcome import Outcome, ReachedMilestone
from ..core.services.freezes import FreezeNews

if TYPE_CHECKING:
    from ..core.services.rewards import BoughtDTO

#: Views a toast leads to, by what it is about (the first registered one is opened).
VIEW_OF_KIND = {Kind.TASK: "tasks", Kind.STEP: "goals", Kind.GOAL: "goals",
                Kind.SLOT: "schedule"}
MILESTONE_NOUNS = {"tasks": "tasks", "time_slots": "time slots", "goal_steps": "goal steps"}
#: Every kind of news a toast can carry (Settings can switch each off).
TOAST_KINDS = frozenset({"points", "streaks", "milestones", "achievements", "levels"})

#: What a toast calls each ledger source (the one table: keep it in step with catalog).
SOURCE_LABELS: dict[str, str] = {
    catalog.COMPLETION_SOURCE[Kind.TASK]: "Task",
    catalog.COMPLETION_SOURCE[Kind.STEP]: "Goal step",
    catalog.COMPLETION_SOURCE[Kind.SLOT]: "Time slot",
    catalog.COMPLETION_SOURCE[Kind.GOAL]: "Goal",
    catalog.FIRST_TASK_OF_DAY.source: "First of the day",
    catalog.EARLY_BIRD.source: "Early bird",
    catalog.NIGHT_OWL.source: "Night owl",
    catalog.WEEKEND_ACTIVITY.source: "Weekend",
    catalog.PERFECT_WEEK.source: "Perfect week",
    catalog.STREAK_ADJUSTMENT_SOURCE: "Streak catch-up",
    catalog.STREAK_MILESTONE_SOURCE: "Streak bonus",
    catalog.ACHIEVEMENT_SOURCE: "Achievement",
    **{track.source: "Milestone" for track in catalog.MILESTONE_TRACKS},
}
CUSTOM_EVENT_SOURCE = "custom_event"
DAILY_TARGET_LINE = "Daily target reached"


def source_label(source: str, reason: str) -> str:
    """A person's word for a ledger source; a custom event is called by its own name."""
    if source == CUSTOM_EVENT_SOURCE:
        return reason
    return SOURCE_LABELS.get(source, source.replace("_", " ").capitalize())


#: Sources whose credits the news lines carry (with their points) when that news shows.
NEWS_SOURCES: dict[str, frozenset[str]] = {
    "achievements": frozenset({catalog.ACHIEVEMENT_SOURCE}),
    "milestones": frozenset(track.source for track in catalog.MILESTONE_TRACKS),
    "streaks": frozenset({catalog.STREAK_MILESTONE_SOURCE}),
}


def source_lines(outcome: Outcome, skip: frozenset[str] = frozenset()
                 ) -> tuple[tuple[str, int], ...]:
    """(label, points) per source of the outcome's credits, in ledger order, summed
    (sources in ``skip`` are told by a news line instead)."""
    totals: dict[str, int] = {}
    for credit in outcome.credits:
        if credit.source in skip:
            continue
        name = source_label(credit.source, credit.reason)
        totals[name] = totals.get(name, 0) + credit.points
    return tuple(totals.items())


def _merge_lines(first: tuple[tuple[str, int], ...], second: tuple[tuple[str, int], ...]
                 ) -> tuple[tuple[str, int], ...]:
    totals = dict(first)
    for name, points in second:
        totals[name] = totals.get(name, 0) + points
    return tuple(totals.items())


@dataclass(frozen=True)
class ToastMessage:
    points: int
    highlights: tuple[str, ...] = ()
    icon: str = "fa5s.star"
    #: Views to open on click, most specific first.
    targets: tuple[str, ...] = ("today",)
    tone: str = "reward"  # "reward" or "error"
    #: A title of its own instead of the points (a purchase, a streak freeze).
    heading: str = ""
    #: Where the points came from: (label, points), one per source.
    sources: tuple[tuple[str, int], ...] = ()
    #: The undo commands the message is about (compared by identity, never by value).
    commands: tuple[object, ...] = field(default=(), compare=False)

    @property
    def title(self) -> str:
        if self.heading:
            return self.heading
        if self.tone == "error":
            return "Something went wrong"
        sign = "+" if self.points >= 0 else "−"
        return f"{sign}{abs(self.points):,} points"

    @property
    def lines(self) -> tuple[str, ...]:
        """The body, a line each: every source with its points, then the news."""
        return tuple(f"{name} {'+' if points >= 0 else '−'}{abs(points):,}"
                     for name, points in self.sources) + self.highlights

    @property
    def detail(self) -> str:
        return "\n".join(self.lines)

    @property
    def text(self) -> str:
        return " · ".join((self.title, *self.lines)) if self.tone != "error" \
            else self.detail

    def about(self, command: object) -> bool:
        return any(command is mine for mine in self.commands)

    def merged(self, later: ToastMessage) -> ToastMessage:
        """One message for a burst: points add up, highlights accumulate."""
        icon = self.icon if ICON_RANK.get(self.icon, 0) >= ICON_RANK.get(later.icon, 0) \
            else later.icon
        targets = self.targets if ICON_RANK.get(self.icon, 0) >= ICON_RANK.get(later.icon, 0) \
            else later.targets
        return ToastMessage(self.points + later.points, self.highlights + later.highlights,
                            icon, targets, self.tone, self.heading or later.heading,
                            _merge_lines(self.sources, later.sources),
                            self.commands + later.commands)


ICON_RANK = {"fa5s.star": 0, "fa5s.fire": 1, "fa5s.flag-checkered": 2, "fa5s.trophy": 3,
             "fa5s.arrow-circle-up": 4}


def milestone_text(milestone: ReachedMilestone) -> str:
    noun = MILESTONE_NOUNS.get(milestone.kind, milestone.kind.replace("_", " "))
    where = f" in {milestone.project}" if milestone.project else ""
    return f"Milestone{where}: {milestone.threshold:,} {noun}"


def summarize(outcome: Outcome, kind: Kind | None = None,
              show: frozenset[str] | None = None, *, target_reached: bool = False,
              command: object | None = None) -> ToastMessage | None:
    """The toast for one outcome, or None when there is nothing to celebrate.

    ``show`` names the kinds of news the person wants toasts for (Settings: "points",
    "streaks", "milestones", "achievements", "levels"); None means all of them.
    ``target_reached``: this completion made the day reach the daily target.
    ``command``: the undo command of the action (the toast's Undo button undoes it).
    """
    if outcome.event_type == catalog.REVERSAL_EVENT or outcome.replayed:
        return None
    wanted = TOAST_KINDS if show is None else show
    highlights: list[str] = [DAILY_TARGET_LINE] if target_reached and "streaks" in wanted \
        else []
    targets: tuple[str, ...] = (VIEW_OF_KIND.get(kind, "today") if kind else "today",)
    icon = "fa5s.star"
    streak_bonuses = [c for c in outcome.credits if c.source == catalog.STREAK_MILESTONE_SOURCE]
    if "streaks" in wanted:
        for credit in streak_bonuses:
            highlights.append(f"{credit.reason} bonus +{credit.points:,}")
            icon, targets = "fa5s.fire", ("dashboard", *targets)
    loud_milestones = [m for m in outcome.milestones if not m.muted]
    if "milestones" in wanted:
        for milestone in loud_milestones:
            highlights.append(f"{milestone_text(milestone)} +{milestone.points:,}")
        if loud_milestones:
            icon, targets = "fa5s.flag-checkered", ("milestones", *targets)
    if "achievements" in wanted:
        for achievement in outcome.achievements:
            highlights.append(f"Achievement unlocked: {achievement.name} +{achievement.points:,}")
        if outcome.achievements:
            icon, targets = "fa5s.trophy", ("achievements", *targets)
    if outcome.level_up and "levels" in wanted:
        title = outcome.level_up.title or catalog.LEVELS[outcome.level - 1].title
        highlights.append(f"Level {outcome.level_up.to} reached: {title}")
        icon, targets = "fa5s.arrow-circle-up", ("dashboard", *targets)
    if not highlights and (outcome.points_awarded <= 0 or "points" not in wanted):
        return None
    muted = any(m.muted for m in outcome.milestones)  # no news line: keep their points
    told = frozenset().union(*(NEWS_SOURCES[news] for news in NEWS_SOURCES
                               if news in wanted and not (news == "milestones" and muted)))
    sources = source_lines(outcome, told) if "points" in wanted else ()
    return ToastMessage(outcome.points_awarded, tuple(highlights), icon, targets,
                        sources=sources,
                        commands=(command,) if command is not None else ())


def error_message(text: str) -> ToastMessage:
    return ToastMessage(0, (text,), "fa5s.exclamation-triangle", ("today",), tone="error")


def purchase_message(bought: BoughtDTO) -> ToastMessage:
    """"Bought Movie night" · "−300 coins · 120 left"."""
    cost, left = bought.purchase.cost, bought.coins
    return ToastMessage(0, (f"−{cost:,} coins · {left:,} left",), "fa5s.gift", ("rewards",),
                        heading=f"Bought {bought.purchase.reward}")


def freeze_message(news: FreezeNews) -> ToastMessage | None:
    """A freeze earned, or days a freeze bridged (None when neither happened)."""
    lines: list[str] = []
    if news.saved:
        days = ", ".join(f"{day:%a} {day.day} {day:%b}" for day in news.saved)
        lines.append(f"A streak freeze kept your streak alive over {days}")
    if news.earned:
        lines.append(f"{news.earned} streak freeze{'s' if news.earned != 1 else ''} earned "
                     "for 7 more days of activity")
    if not lines:
        return None
    heading = "Streak saved by a freeze" if news.saved else "Streak freeze earned"
    return ToastMessage(0, tuple(lines), "fa5s.snowflake", ("dashboard",), heading=heading)
