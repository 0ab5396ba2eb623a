"""The Rewards view, coins in the header, the gamification modes and the freeze display,
on a real window (offscreen) over a real database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

from PySide6.QtCore import QPoint, Qt

from momentum_app.core.catalog import Kind
from momentum_app.core.services.freezes import Freezes, FreezeNews, freeze_news, freezes_of
from momentum_app.core.stats import day_rows, heatmap, heatmap_start
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.game_mode import GAME_VIEWS
from momentum_app.gui.toast_text import freeze_message
from momentum_app.gui.views.game_off import GameOffView
from momentum_app.gui.views.rewards import RewardsView
from momentum_app.gui.widgets.heatmap import ActivityHeatmap, ice_colour


def rewards_view(gui) -> RewardsView:
    view = gui.window.show_view("rewards")
    assert isinstance(view, RewardsView)
    return view


def complete_a_task(gui, title: str = "Stretch") -> None:
    task = gui.controller.add_task(title)
    gui.controller.complete(ItemRef(Kind.TASK, task.id))


def nav_hidden(gui) -> set[str]:
    nav = gui.window.sidebar.nav
    return {nav.item(row).data(Qt.ItemDataRole.UserRole) for row in range(nav.count())
            if nav.item(row).isHidden()}


# --- the shop --------------------------------------------------------------------------


def test_the_shop_is_empty_at_first_and_a_reward_is_added_from_the_form(gui):
    view = rewards_view(gui)
    assert view.cards == [] and view.shop_empty.isVisible()
    view.name_edit.setText("   ")
    assert view.add_reward() is False
    assert view.add_error.isVisible() and "empty" in view.add_error.text()
    view.name_edit.setText("Movie night")
    view.cost_spin.setValue(30)
    view.once_box.setChecked(True)
    assert view.add_reward() is True
    [card] = view.cards
    assert card.reward.name == "Movie night" and not card.reward.repeatable
    assert not card.buy_button.isEnabled()  # no coins yet
    assert card.status_label.text() == "30 coins to go"
    assert not view.shop_empty.isVisible()


def test_buying_spends_coins_toasts_and_undo_refunds(gui, grant, qtbot):
    window = gui.window
    shown = []
    window.toasts.shown.connect(shown.append)
    grant(gui, 100)
    assert window.header.coins == 100
    view = rewards_view(gui)
    gui.controller.rewards.add("Coffee", 40)
    window.toasts.clear()  # the earlier toasts may still wait in the queue
    shown.clear()
    [card] = view.cards
    assert card.buy_button.isEnabled() and card.status_label.text() == "You can afford it"
    qtbot.mouseClick(card.buy_button, Qt.MouseButton.LeftButton)
    assert window.header.coins == 60 and window.header.total_points == 100  # points stay
    assert [m.title for m in shown] == ["Bought Coffee"]
    assert shown[0].detail == "−40 coins · 60 left"
    assert view.coins_tile.value.text() == "60" and view.spent_tile.value.text() == "40"
    assert [p.reward for p in gui.momentum.rewards.purchases()] == ["Coffee"]
    assert gui.controller.undo_stack.undoText() == "Buy “Coffee”"
    gui.controller.undo_stack.undo()  # a refund
    assert window.header.coins == 100
    [purchase] = gui.momentum.rewards.purchases()
    assert purchase.refunded_at is not None
    assert view.spent_tile.value.text() == "0"
    gui.controller.undo_stack.redo()  # bought again
    assert window.header.coins == 60
    assert gui.momentum.rewards.summary().purchases == 1


def test_too_few_coins_is_said_and_nothing_is_bought(gui):
    view = rewards_view(gui)
    gui.controller.rewards.add("Trip", 500)
    view.buy("Trip")
    assert gui.window.statusBar().currentMessage() == "500 short"
    assert gui.momentum.rewards.purchases() == []
    assert gui.controller.undo_stack.undoText() == "Add reward “Trip”"


def test_removing_a_reward_is_undoable(gui):
    view = rewards_view(gui)
    gui.controller.rewards.add("Walk", 5)
    view.remove("Walk")
    assert view.cards == []
    gui.controller.undo_stack.undo()
    assert [c.reward.name for c in view.cards] == ["Walk"]


# --- game modes ------------------------------------------------------------------------


def test_full_mode_shows_toasts_and_the_level_up_banner(gui):
    shown = []
    gui.window.toasts.shown.connect(shown.append)
    complete_a_task(gui)
    assert len(shown) == 1
    gui.momentum.events.add_type("big", 200)
    gui.controller.log_event("big")
    assert gui.window.banner.isVisible()


def test_quiet_mode_has_no_toasts_or_banners_and_points_only_in_header_and_dashboard(gui):
    window = gui.window
    gui.controller.update_profile(game_mode="quiet")
    shown = []
    window.toasts.shown.connect(shown.append)
    today = window.show_view("today")
    for n in range(4):  # 100+ points: a level-up that would have a banner
        complete_a_task(gui, f"Task {n}")
    gui.momentum.events.add_type("big", 200)
    gui.controller.log_event("big")
    assert shown == [] and window.toasts.current is None
    assert gui.momentum.reads.progress().level.number >= 2  # a level-up happened
    assert not window.banner.isVisible()
    assert window.header.points_block.isVisible()
    assert window.header.total_points > 100
    assert not today.points_tile.isVisible()
    assert window.show_view("dashboard").total_tile.isVisible()


def test_off_mode_hides_the_game_everywhere_and_keeps_recording(gui):
    window = gui.window
    header = window.header
    window.show_view("achievements")
    gui.controller.update_profile(game_mode="off")
    assert isinstance(window.current_view(), GameOffView)  # the open game view went neutral
    assert window.current_view_id() == "achievements"
    assert nav_hidden(gui) == set(GAME_VIEWS)
    for widget in (header.badge, header.level_holder, header.points_block, header.coins_block,
                   header.week_block, header.streak_block, header.freeze_badge):
        assert not widget.isVisible()
    assert header.off_label.isVisible()
    for view_id in GAME_VIEWS:
        assert isinstance(window.show_view(view_id), GameOffView)
    today = window.show_view("today")
    assert not today.points_tile.isVisible() and not today.freeze_line.isVisible()
    shown = []
    window.toasts.shown.connect(shown.append)
    complete_a_task(gui)
    assert shown == []
    # Back on: the true history, recorded while the game was off.
    gui.controller.update_profile(game_mode="full")
    assert nav_hidden(gui) == set()
    assert header.points_block.isVisible() and not header.off_label.isVisible()
    assert header.total_points == gui.momentum.reads.progress().total_points == 25
    assert header.streak == 1
    assert window.show_view("dashboard") is window.views["dashboard"]


def test_turning_the_game_off_drops_the_toasts_still_waiting(gui):
    """Toasts queue behind the one on screen when completions come slower than a burst;
    hiding the game must not let those show a moment later."""
    toasts = gui.window.toasts
    toasts.hold()  # as while a dialog is open: the toasts wait in the queue
    complete_a_task(gui)
    assert toasts.pending == 1
    gui.controller.update_profile(game_mode="off")
    shown = []
    toasts.shown.connect(shown.append)
    toasts.release()  # shows the next waiting toast at once, if one is left
    assert shown == [] and toasts.current is None and toasts.pending == 0


def test_the_settings_control_sets_the_mode_and_undo_puts_it_back(gui, qtbot):
    view = gui.window.show_view("settings")
    qtbot.mouseClick(view.game_mode.button("off"), Qt.MouseButton.LeftButton)
    assert gui.momentum.profiles.current().game_mode == "off"
    assert "still keeps track" in view.game_hint.text()
    assert gui.window.header.off_label.isVisible()
    gui.controller.undo_stack.undo()
    assert gui.momentum.profiles.current().game_mode == "full"
    assert view.game_mode.value == "full"
    assert not gui.window.header.off_label.isVisible()


# --- streak freezes --------------------------------------------------------------------


def test_freezes_read_through_one_accessor_with_honest_defaults():
    assert freezes_of([{"type": "daily_activity", "current": 3, "longest": 3,
                        "last_activity_date": None}]) == Freezes(0, frozenset())
    read = freezes_of([{"type": "daily_target", "freezes": 9},
                       {"type": "daily_activity", "freezes": 1,
                        "frozen_days": ["2026-01-07"]}])
    assert read == Freezes(1, frozenset({date(2026, 1, 7)}))
    assert read.text == "1 streak freeze"


def _done_on(gui, days: list[date]) -> None:
    """Tasks completed at 10:00 UTC on ``days`` through the services (backdated)."""
    for day in days:
        task = gui.momentum.items.add_task(f"Done {day}")
        gui.momentum.items.complete(Kind.TASK, task.id,
                                    at=datetime.combine(day, time(10), tzinfo=timezone.utc))
    gui.window.header.apply_progress(gui.momentum.reads.progress())


def _toast_of_a_task(gui) -> list:
    shown = []
    gui.window.toasts.shown.connect(shown.append)
    complete_a_task(gui, "Today's task")
    return shown


def test_the_seventh_day_toasts_a_freeze_earned(gui):
    """Six days before today (Mon 5 Jan) done; today's completion is the seventh: its
    toast (the points) also tells of the freeze."""
    _done_on(gui, [date(2025, 12, 30) + timedelta(days=n) for n in range(6)])
    [toast] = _toast_of_a_task(gui)
    assert toast.title.startswith("+")
    assert "1 streak freeze earned for 7 more days of activity" in toast.highlights
    assert gui.window.header.freeze_badge.count_label.text() == "1"


def test_a_freeze_that_saved_the_streak_toasts(gui):
    """Seven days to Sat 3 Jan earn a freeze; Sun 4 missed; today's completion closes the
    gap: the freeze bridged Sunday."""
    _done_on(gui, [date(2025, 12, 28) + timedelta(days=n) for n in range(7)])
    [toast] = _toast_of_a_task(gui)
    assert "A streak freeze kept your streak alive over Sun 4 Jan" in toast.highlights
    header = gui.window.header
    assert header.streak == 8  # Sunday neither counted nor broke the run
    assert "1 day bridged by a freeze" in header.streak_block.toolTip()
    assert gui.window.header.streak == 8  # Sunday neither counted nor broke the run


def test_freeze_news_reads_the_outcomes_freeze_change():
    assert freeze_news({"earned": 1, "used": [], "returned": [], "held": 1}) == FreezeNews(1, ())
    news = freeze_news({"earned": 0, "used": ["2026-01-12"], "returned": [], "held": 0})
    assert news == FreezeNews(0, (date(2026, 1, 12),))
    # Given back by a backdated day: no toast.
    assert freeze_message(freeze_news({"earned": 0, "used": [], "returned": ["2026-01-12"],
                                       "held": 1})) is None
    message = freeze_message(news)
    assert message is not None and message.title == "Streak saved by a freeze"
    assert "Mon 12 Jan" in message.detail


def test_the_header_and_today_show_freezes_from_the_read_api(gui):
    window = gui.window
    progress = gui.momentum.reads.progress()
    assert not window.header.freeze_badge.isVisible()  # nothing held or frozen yet
    streaks = tuple(replace(s, freezes=2, frozen_days=("2026-01-04",))
                    if s.type == "daily_activity" else s for s in progress.streaks)
    frozen = replace(progress, streaks=streaks)
    window.header.apply_progress(frozen)
    assert window.header.freeze_badge.isVisible()
    assert window.header.freeze_badge.count_label.text() == "2"
    assert "2 streak freezes held" in window.header.freeze_badge.toolTip()
    today = window.show_view("today")
    today._show_freezes(frozen, date(2026, 1, 5), True)  # noqa: SLF001
    assert today.freeze_line.isVisible()
    assert "2 streak freezes held" in today.freeze_line.text()
    assert "yesterday was bridged by a freeze" in today.freeze_line.text()


def test_the_heatmap_marks_frozen_days_in_ice_not_as_a_gap(gui, qtbot):
    today = date(2026, 1, 5)
    answer = gui.momentum.reads.stats(heatmap_start(today), today)
    grid = heatmap(day_rows(answer), today)
    widget = ActivityHeatmap(gui.ctx.theme)
    qtbot.addWidget(widget)
    widget.resize(900, 200)
    frozen = date(2026, 1, 1)
    widget.set_data(grid, frozenset({frozen, date(2020, 1, 1)}))  # one outside the year
    assert widget.frozen == frozenset({frozen})
    cell = next(c for c in grid.cells if c.day == frozen)
    plain = next(c for c in grid.cells if c.day == date(2025, 12, 31))
    image = widget.grab().toImage()
    ice = ice_colour(gui.ctx.theme.tokens)

    def near_ice(day_cell) -> bool:
        rect = widget.cell_rect(day_cell)  # left of the middle: clear of the snowflake
        spot = QPoint(int(rect.x() + rect.width() * 0.2), int(rect.center().y()))
        colour = image.pixelColor(spot)
        return max(abs(colour.red() - ice.red()), abs(colour.green() - ice.green()),
                   abs(colour.blue() - ice.blue())) < 12

    assert near_ice(cell)
    assert not near_ice(plain)
