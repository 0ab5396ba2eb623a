"""The first-run welcome: a few settings on an empty database, and a way to the demo.

Shown once (``UiSettings.welcomed``), over the window, when the database the window opens
has nothing in it yet and it is not the demo. Every field is optional and prefilled with
what the profile already has (the system's time zone, a day that starts at midnight, the
default daily target), so Enter ("Start") accepts them and Escape ("Skip") leaves them:
either way the welcome does not come back. "Start" writes what differs through the
controller — one ``profiles.update`` call, one transaction, undoable like any settings
change. "Explore the demo" opens the demo (``momentum --demo``: a few weeks of made-up
history in a throw-away database) in its own window; this one and its data are not
touched, and the welcome stays open.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..core import catalog
from ..core.errors import ValidationError
from .context import GuiContext
from .dialogs.form import FormDialog
from .widgets.common import label, layout_of, never_default

if TYPE_CHECKING:
    from .app import Composition

#: Starts a program detached from this one: (program, arguments) -> started.
Launcher = Callable[[str, Sequence[str]], bool]


def demo_command() -> tuple[str, list[str]]:
    """The command that opens the demo window (this Python, this package)."""
    return sys.executable, ["-m", "momentum_app", "--demo"]


def start_detached(program: str, arguments: Sequence[str]) -> bool:
    """Start ``program`` on its own: it outlives this window and does not share its loop."""
    started, _pid = QProcess.startDetached(program, list(arguments))
    return bool(started)


class WelcomeDialog(FormDialog):
    """Name, time zone, daily target and day start — all optional — and the demo."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None, *,
                 launcher: Launcher = start_detached) -> None:
        super().__init__(ctx, "Welcome to Momentum", parent, save_text="Start")
        self.launcher = launcher
        self.setMinimumWidth(520)
        profile = ctx.momentum.profiles.current()
        self.form.addRow(label(
            "A few settings to begin with — all optional. Enter keeps what is filled in, "
            "Escape skips; Settings can change any of it later.", "muted", wrap=True))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Your name (optional)")
        self.name_edit.setAccessibleName("Your name")
        self.add_field("name", "&Name", self.name_edit, aliases=("profile",))
        from .views.settings import zone_combo  # noqa: PLC0415 (a first run only)

        self.zone_box = zone_combo()
        self.zone_box.setCurrentText(profile.timezone)
        self.add_field("timezone", "&Time zone", self.zone_box)
        self.target = QSpinBox()
        self.target.setRange(1, 1000)
        self.target.setSuffix(" tasks a day")
        self.target.setValue(profile.daily_target or catalog.DEFAULT_DAILY_TARGET)
        self.add_field("daily_target", "Daily t&arget", self.target)
        self.day_start = QSpinBox()
        self.day_start.setRange(0, 23)
        self.day_start.setSuffix(":00")
        self.day_start.setValue(profile.day_start_hour)
        self.add_field("day_start_hour", "&Day starts at", self.day_start)
        self.form.addRow(label("A day that starts at 4:00 counts a late night as the day "
                               "before — handy for night owls.", "faint", wrap=True))
        skip = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        skip.setText("Skip")
        skip.setToolTip("Keep the defaults (Escape)")
        self.demo_button = QPushButton("Explore the de&mo")
        self.demo_button.setToolTip("Open a separate window with a few weeks of made-up "
                                    "history; your own data stays as it is")
        never_default(self.demo_button)
        self.demo_button.clicked.connect(self.open_demo)
        self.demo_note = label("Or look around first in a demo with made-up data.", "faint",
                               wrap=True)
        row = QHBoxLayout()
        row.addWidget(self.demo_note, 1)
        row.addWidget(self.demo_button)
        outer = layout_of(self)
        assert isinstance(outer, QBoxLayout)  # FormDialog's column
        outer.insertLayout(outer.indexOf(self.buttons), row)
        self.name_edit.setFocus()

    def chosen(self) -> dict[str, object]:
        """What "Start" writes: the fields as the controller's ``update_profile`` takes them
        (an empty name keeps the profile's name)."""
        wanted: dict[str, object] = {
            "timezone": self.zone_box.currentText().strip(),
            "daily_target": self.target.value(),
            "day_start_hour": self.day_start.value(),
        }
        name = self.name_edit.text().strip()
        if name:
            wanted["name"] = name
        return wanted

    def submit(self) -> None:
        wanted = self.chosen()
        if not wanted["timezone"]:
            raise ValidationError("timezone", "choose a time zone, e.g. Europe/Berlin")
        self.ctx.controller.update_profile(**wanted)

    def open_demo(self) -> bool:
        """Open the demo in its own window; say so here (or say that it could not start)."""
        program, arguments = demo_command()
        started = self.launcher(program, arguments)
        self.demo_note.setText("The demo opened in its own window — changes there are "
                               "not kept." if started else
                               "The demo could not be started (see the log).")
        return started

    def done(self, result: int) -> None:
        self.ctx.settings.welcomed = True  # finished or skipped: once is enough
        self.ctx.settings.sync()
        super().done(result)


def needs_welcome(composition: Composition) -> bool:
    """First run: not welcomed yet, and the profile has nothing in it (not the demo)."""
    if composition.ctx.settings.welcomed:
        return False
    from ..core.services.profiles import profile_is_empty  # noqa: PLC0415

    with composition.database.reading() as session:
        return profile_is_empty(session, composition.momentum.profile_id)


def welcome_if_new(composition: Composition, *, launcher: Launcher = start_detached
                   ) -> WelcomeDialog | None:
    """Open the welcome over the window (not blocking) when this is a first run."""
    if not needs_welcome(composition):
        return None
    dialog = WelcomeDialog(composition.ctx, composition.window, launcher=launcher)
    dialog.adjustSize()  # lay out before the native window exists: no size-hint churn
    dialog.open()
    dialog.activateWindow()  # over the window, with the name field focused
    return dialog
