"""Levels and perks: the table, and perks that are usable from their level on — a locked
perk says which level opens it and cannot be used; an unlocked one changes the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from momentum_app.core import catalog
from momentum_app.gui.perks import PerkLocked
from momentum_app.gui.theme import LIGHT, NORD, ThemeMode

pytestmark = pytest.mark.gui


def test_the_level_table_highlights_the_current_level(gui, grant):
    view = gui.window.show_view("levels")
    assert [row.level.title for row in view.level_rows] == [
        level.title for level in catalog.LEVELS]
    assert [row.property("current") for row in view.level_rows][:2] == [True, False]
    grant(gui, 320)  # level 3
    current = [row.level.number for row in view.level_rows if row.property("current")]
    assert current == [3]
    assert view.level_rows[2].state.text() == "You are here"
    assert view.level_rows[3].state.text() == "380 to go"
    assert view.perks_card.note_label.text() == "2 of 9 unlocked"


def test_a_locked_perk_shows_its_level_and_cannot_be_used(gui):
    window, look = gui.window, gui.ctx.look
    view = window.show_view("levels")
    accent_row = view.panel.rows["accent_colour"]
    assert not accent_row.unlocked and not view.panel.accent.isEnabled()
    assert accent_row.lock_label.text().startswith("Unlocks at level 2 · Apprentice")
    with pytest.raises(PerkLocked, match="level 2"):
        view.panel.accent.pick("#E0457B")
    assert gui.ctx.theme.tokens is LIGHT and gui.ctx.settings.accent_colour is None
    with pytest.raises(PerkLocked):
        look.set_background("dots")
    assert window.stack.pattern == "plain"
    nord = window.window_actions.theme_actions[ThemeMode.NORD]
    assert not nord.isEnabled() and "level 6" in nord.text()
    assert window.set_theme(ThemeMode.NORD) is False
    assert gui.ctx.theme.tokens is LIGHT
    assert "level 6" in window.statusBar().currentMessage()


def test_unlocked_perks_change_the_window(gui, grant, qtbot):
    window = gui.window
    view = window.show_view("levels")
    grant(gui, catalog.points_required(6))  # level 6: accent, backgrounds, badges, themes
    assert view.panel.accent.isEnabled()
    qtbot.mouseClick(view.panel.accent.swatches["#E0457B"], Qt.MouseButton.LeftButton)
    assert gui.ctx.theme.tokens.accent == "#E0457B"
    assert view.panel.accent.swatches["#E0457B"].isChecked()
    gui.ctx.look.set_background("waves")
    assert window.stack.pattern == "waves"
    gui.ctx.look.set_badge_style("hexagon")
    assert window.header.badge.style_name == "hexagon"
    window.window_actions.theme_actions[ThemeMode.NORD].trigger()
    assert gui.ctx.theme.tokens.variant == "nord"
    assert gui.ctx.theme.tokens.accent == "#E0457B"  # the accent stays over any theme
    assert window.window_actions.theme_actions[ThemeMode.NORD].isChecked()
    assert not window.header.badge.prestige and not window.header.property("legendary")


def test_prestige_frame_and_legendary_header(gui, grant):
    grant(gui, catalog.points_required(9))
    header = gui.window.header
    assert header.badge.prestige and not header.property("legendary")
    grant(gui, catalog.points_required(10) - catalog.points_required(9))
    assert header.property("legendary") is True
    assert gui.ctx.perks.level == 10


def test_choices_wait_while_locked_and_come_back_when_unlocked(gui, grant):
    gui.ctx.settings.accent_colour = "#2FA84F"  # chosen before (e.g. on a higher profile)
    gui.ctx.settings.theme_mode = ThemeMode.NORD
    gui.ctx.look.apply()
    assert gui.ctx.theme.tokens.accent == LIGHT.accent  # level 1: not applied
    grant(gui, catalog.points_required(2))
    assert gui.ctx.theme.tokens.accent == "#2FA84F"
    gui.ctx.theme.set_mode(ThemeMode.NORD)
    assert gui.ctx.theme.tokens.variant != "nord"  # extra themes still locked at level 2
    grant(gui, catalog.points_required(6))
    assert gui.ctx.theme.tokens.variant == NORD.variant
