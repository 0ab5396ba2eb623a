"""SPEC §6 milestones: every track and threshold, project attribution, once ever,
next-milestone cards and the per-project goals_enabled switch."""

from __future__ import annotations

import pytest

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind
from momentum_app.core.engine import rules

#: SPEC §6, copied by hand: source → [(threshold, points)].
SPEC_TRACKS = {
    "global_task_milestone": [(15, 50), (30, 75), (50, 100), (100, 200), (250, 350),
                              (500, 500), (1000, 1000)],
    "global_slot_milestone": [(15, 100), (30, 150), (50, 250), (100, 400), (250, 750),
                              (500, 1200)],
    "project_task_milestone": [(5, 25), (10, 35), (25, 60), (50, 100), (100, 200)],
    "project_slot_milestone": [(3, 50), (5, 75), (10, 100), (20, 200), (50, 400)],
    "project_step_milestone": [(10, 25), (25, 35), (50, 60), (100, 100), (250, 200)],
}
#: Which shared long run drives each track (conftest.py), and its project.
RUN_OF = {"global_task_milestone": ("thousand_tasks", None),
          "project_task_milestone": ("thousand_tasks", "Work"),
          "global_slot_milestone": ("many_slots", None),
          "project_slot_milestone": ("many_slots", "Deep"),
          "project_step_milestone": ("many_steps", "Plan")}


def test_catalog_tracks_match_spec():
    assert {t.source: list(t.thresholds) for t in catalog.MILESTONE_TRACKS} == SPEC_TRACKS
    assert {(t.scope, t.kind.value) for t in catalog.MILESTONE_TRACKS} == {
        ("global", "tasks"), ("global", "time_slots"), ("project", "tasks"),
        ("project", "time_slots"), ("project", "goal_steps")}
    assert catalog.milestone_track("global", catalog.MilestoneKind.STEPS) is None


@pytest.mark.parametrize(("source", "threshold", "points"), [
    pytest.param(source, threshold, points,
                 marks=pytest.mark.covers(f"milestone:{source}:{threshold}"),
                 id=f"{source}-{threshold}")
    for source, pairs in SPEC_TRACKS.items() for threshold, points in pairs])
def test_milestone_reached_exactly_at_its_threshold(request, source, threshold, points):
    fixture, project = RUN_OF[source]
    run = request.getfixturevalue(fixture)
    reached = [(position, m) for position, outcome in enumerate(run.outcomes, start=1)
               for m in outcome.milestones if m.source == source and m.threshold == threshold]
    assert len(reached) == 1, "granted once, ever"
    position, milestone = reached[0]
    assert position == threshold
    assert milestone.points == points
    assert milestone.project == project
    assert milestone.muted is False
    outcome = run.outcomes[position - 1]
    assert (source, points) in [(c.source, c.points) for c in outcome.credits]


def test_long_runs_grant_every_threshold_and_nothing_else(thousand_tasks, many_slots,
                                                          many_steps):
    for run, sources in ((thousand_tasks, ("global_task_milestone", "project_task_milestone")),
                         (many_slots, ("global_slot_milestone", "project_slot_milestone")),
                         (many_steps, ("project_step_milestone",))):
        net = run.player.sources()
        for source in sources:
            assert net[source] == sum(points for _, points in SPEC_TRACKS[source])
        completed = run.player.app.reads.milestones().completed
        assert sorted((c.source, c.threshold, c.points) for c in completed) == sorted(
            (s, t, p) for s in sources for t, p in SPEC_TRACKS[s])


def test_there_are_no_global_step_milestones(many_steps):
    scopes = {m.scope for o in many_steps.outcomes for m in o.milestones}
    assert scopes == {"project"}
    cards = many_steps.player.app.reads.milestones().cards
    assert not [c for c in cards if c.scope == "global" and c.kind == "goal_steps"]


# --- project attribution -------------------------------------------------------------------


@pytest.mark.covers("milestone:project_task_milestone:5", "milestone:global_task_milestone:15")
def test_global_counts_across_projects_and_projects_count_their_own(play, app):
    app.projects.add("A")
    app.projects.add("B")
    reached = set()
    for n in range(1, 16):
        _, outcome = play.task(project="B" if n % 3 == 1 else "A")  # A: 10, B: 5
        reached |= {(n, m.source, m.project, m.threshold) for m in outcome.milestones}
    assert reached == {
        (8, "project_task_milestone", "A", 5), (13, "project_task_milestone", "B", 5),
        (15, "project_task_milestone", "A", 10), (15, "global_task_milestone", None, 15)}


@pytest.mark.covers("milestone:project_step_milestone:10")
def test_steps_count_in_their_goals_project(play, app):
    app.projects.add("Garden")
    goal = play.goal(project="Garden")
    for _ in range(9):
        play.step(goal)
    _, tenth = play.step(goal)
    assert [(m.source, m.project, m.threshold) for m in tenth.milestones] == [
        ("project_step_milestone", "Garden", 10)]


@pytest.mark.covers("milestone:project_slot_milestone:3")
@pytest.mark.parametrize("link", ["task", "goal", "none"])
def test_slots_count_in_their_tasks_or_goals_project_else_the_inbox(play, app, link):
    app.projects.add("Studio")
    task = app.items.add_task("T", project="Studio").id
    goal = play.goal(project="Studio")
    kwargs = {"task": {"task": task}, "goal": {"goal": goal}, "none": {}}[link]
    outcomes = [play.slot(**kwargs)[1] for _ in range(3)]
    assert [m for o in outcomes[:2] for m in o.milestones] == []
    assert [(m.source, m.project, m.threshold, m.points) for m in outcomes[2].milestones] == [
        ("project_slot_milestone", "Inbox" if link == "none" else "Studio", 3, 50)]


def test_goal_completions_have_no_milestone_track(play):
    outcomes = [play.event("goal_completion", project="Inbox") for _ in range(15)]
    assert [m for o in outcomes for m in o.milestones] == []


# --- once, ever -------------------------------------------------------------------------------


@pytest.mark.covers("milestone:project_task_milestone:5")
def test_a_milestone_is_granted_once_ever_and_kept_after_reopen(play, app):
    items = [play.task()[0] for _ in range(5)]
    assert play.sources()["project_task_milestone"] == 25
    reopened = play.reopen(Kind.TASK, items[-1])
    assert play.debits(reopened, "project_task_milestone") == []
    again = app.items.complete(Kind.TASK, items[-1]).outcome
    assert again.milestones == ()
    _, sixth = play.task()
    assert sixth.milestones == ()
    assert play.sources()["project_task_milestone"] == 25
    assert len(app.reads.milestones().completed) == 1


def test_every_due_threshold_is_granted_when_a_count_jumps():
    track = catalog.milestone_track("global", catalog.MilestoneKind.TASKS)
    assert track is not None
    assert rules.milestone_thresholds_due(track, 60, []) == [(15, 50), (30, 75), (50, 100)]
    assert rules.milestone_thresholds_due(track, 60, [15, 30]) == [(50, 100)]
    assert rules.milestone_thresholds_due(track, 14, []) == []


# --- cards ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "card"), [
    (0, dict(next=5, previous=0, progress_percent=0.0, is_completed=False, reward=25)),
    (4, dict(next=5, previous=0, progress_percent=80.0, is_completed=False, reward=25)),
    (5, dict(next=10, previous=5, progress_percent=50.0, is_completed=False, reward=35)),
    (7, dict(next=10, previous=5, progress_percent=70.0, is_completed=False, reward=35)),
    (99, dict(next=100, previous=50, progress_percent=99.0, is_completed=False, reward=200)),
    (100, dict(next=100, previous=100, progress_percent=100.0, is_completed=True, reward=200)),
    (130, dict(next=100, previous=100, progress_percent=100.0, is_completed=True, reward=200)),
])
def test_next_milestone_card(count, card):
    track = catalog.milestone_track("project", catalog.MilestoneKind.TASKS)
    assert track is not None
    got = rules.milestone_card(track, count, "P").__dict__
    assert got == {"scope": "project", "kind": "tasks", "project": "P", "current": count,
                   **card}


def test_cards_through_the_read_api(play, app):
    app.projects.add("Work")
    for _ in range(7):
        play.task(project="Work")
    play.slot()
    result = app.reads.milestones(project="Work")
    cards = {(c.scope, c.kind): c for c in result.cards}
    assert set(cards) == {("project", "tasks"), ("project", "time_slots"),
                          ("project", "goal_steps")}
    work_tasks = cards[("project", "tasks")]
    assert {k: getattr(work_tasks, k) for k in ("project", "current", "next", "previous",
                                       "progress_percent", "is_completed", "reward")} == {
        "project": "Work", "current": 7, "next": 10, "previous": 5, "progress_percent": 70.0,
        "is_completed": False, "reward": 35}
    assert cards[("project", "time_slots")].current == 0  # the slot is in the Inbox
    assert [(c.source, c.threshold, c.points, c.project)
            for c in result.completed] == [("project_task_milestone", 5, 25, "Work")]
    everything = app.reads.milestones()
    global_tasks = [c for c in everything.cards
                    if c.scope == "global" and c.kind == "tasks"]
    assert [(c.current, c.next, c.previous, c.reward) for c in global_tasks] == [
        (7, 15, 0, 50)]
    inbox_slots = [c for c in everything.cards if c.project == "Inbox"
                   and c.kind == "time_slots"]
    assert [(c.current, c.next, c.reward) for c in inbox_slots] == [(1, 3, 50)]


def test_goals_disabled_hides_cards_and_mutes_toasts_but_points_are_earned(play, app):
    app.projects.add("Quiet")
    app.projects.add("Loud")
    app.projects.set_goals_enabled("Quiet", False)
    outcomes = [play.task(project="Quiet")[1] for _ in range(5)]
    reached = outcomes[-1].milestones
    assert [(m.project, m.threshold, m.muted) for m in reached] == [("Quiet", 5, True)]
    assert outcomes[-1].points_awarded == 10 + 25
    assert play.sources()["project_task_milestone"] == 25
    projects = {c.project for c in app.reads.milestones().cards}
    assert "Quiet" not in projects
    assert {"Loud", "Inbox", None} <= projects
    app.projects.set_goals_enabled("Quiet", True)
    assert "Quiet" in {c.project for c in app.reads.milestones().cards}
    loud = [play.task(project="Loud")[1] for _ in range(5)][-1]
    assert [(m.project, m.muted) for m in loud.milestones] == [("Loud", False)]
