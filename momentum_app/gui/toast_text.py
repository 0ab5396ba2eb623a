"""What a toast says: one message that sums up everything an outcome brought.

Pure functions over the engine's :class:`Outcome` (no widgets): "+25 points · Achievement
unlocked: First Step". Milestones of projects whose goals are disabled are muted
(``ReachedMilestone.muted``); reversals are never announced.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import catalog
from ..core.catalog import Kind
from ..core.engine.outcome import Outcome, ReachedMilestone
from ..core.services.freezes import FreezeNews

#: Views a toast leads to, by what it is about (the first registered one is opened).
VIEW_OF_KIND = {Kind.TASK: "tasks", Kind.STEP: "goals", Kind.GOAL: "goals",
                Kind.SLOT: "schedule"}
MILESTONE_NOUNS = {"tasks": "tasks", "time_slots": "time slots", "goal_steps": "goal steps"}
#: Every kind of news a toast can carry (Settings can switch each off).
TOAST_KINDS = frozenset({"points", "streaks", "milestones", "achievements", "levels"})


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

    @property
    def title(self) -> str:
        if self.heading:
            return self.heading
        if self.tone == "error":
            return "Something went wrong"
        sign = "+" if self.points >= 0 else "−"
        return f"{sign}{abs(self.points):,} points"

    @property
    def detail(self) -> str:
        return " · ".join(self.highlights)

    @property
    def text(self) -> str:
        return " · ".join((self.title, *self.highlights)) if self.tone != "error" \
            else self.detail

    def merged(self, later: ToastMessage) -> ToastMessage:
        """One message for a burst: points add up, highlights accumulate."""
        icon = self.icon if ICON_RANK.get(self.icon, 0) >= ICON_RANK.get(later.icon, 0) \
            else later.icon
        targets = self.targets if ICON_RANK.get(self.icon, 0) >= ICON_RANK.get(later.icon, 0) \
            else later.targets
        return ToastMessage(self.points + later.points, self.highlights + later.highlights,
                            icon, targets, self.tone, self.heading or later.heading)


ICON_RANK = {"fa5s.star": 0, "fa5s.fire": 1, "fa5s.flag-checkered": 2, "fa5s.trophy": 3,
             "fa5s.arrow-circle-up": 4}


def milestone_text(milestone: ReachedMilestone) -> str:
    noun = MILESTONE_NOUNS.get(milestone.kind, milestone.kind.replace("_", " "))
    where = f" in {milestone.project}" if milestone.project else ""
    return f"Milestone{where}: {milestone.threshold:,} {noun}"


def summarize(outcome: Outcome, kind: Kind | None = None,
              show: frozenset[str] | None = None) -> ToastMessage | None:
    """The toast for one outcome, or None when there is nothing to celebrate.

    ``show`` names the kinds of news the person wants toasts for (Settings: "points",
    "streaks", "milestones", "achievements", "levels"); None means all of them.
    """
    if outcome.event_type == catalog.REVERSAL_EVENT or outcome.replayed:
        return None
    wanted = TOAST_KINDS if show is None else show
    highlights: list[str] = []
    icon, targets = "fa5s.star", (VIEW_OF_KIND.get(kind, "today") if kind else "today",)
    streak_bonuses = [c for c in outcome.credits if c.source == catalog.STREAK_MILESTONE_SOURCE]
    if "streaks" in wanted:
        for credit in streak_bonuses:
            highlights.append(f"{credit.reason} bonus")
            icon, targets = "fa5s.fire", ("dashboard", *targets)
    loud_milestones = [m for m in outcome.milestones if not m.muted]
    if "milestones" in wanted:
        for milestone in loud_milestones:
            highlights.append(milestone_text(milestone))
        if loud_milestones:
            icon, targets = "fa5s.flag-checkered", ("milestones", *targets)
    if "achievements" in wanted:
        for achievement in outcome.achievements:
            highlights.append(f"Achievement unlocked: {achievement.name}")
        if outcome.achievements:
            icon, targets = "fa5s.trophy", ("achievements", *targets)
    if outcome.level_up and "levels" in wanted:
        title = outcome.level_up.get("title") or catalog.LEVELS[outcome.level - 1].title
        highlights.append(f"Level {outcome.level_up.get('to', outcome.level)} reached: {title}")
        icon, targets = "fa5s.arrow-circle-up", ("dashboard", *targets)
    if not highlights and (outcome.points_awarded <= 0 or "points" not in wanted):
        return None
    return ToastMessage(outcome.points_awarded, tuple(highlights), icon, targets)


def error_message(text: str) -> ToastMessage:
    return ToastMessage(0, (text,), "fa5s.exclamation-triangle", ("today",), tone="error")


def purchase_message(purchase: dict[str, object]) -> ToastMessage:
    """"Bought Movie night" · "−300 coins · 120 left"."""
    cost, left = int(str(purchase["cost"])), int(str(purchase["coins"]))
    return ToastMessage(0, (f"−{cost:,} coins · {left:,} left",), "fa5s.gift", ("rewards",),
                        heading=f"Bought {purchase['reward']}")


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
