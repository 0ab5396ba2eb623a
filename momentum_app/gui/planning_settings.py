"""Settings ▸ Notifications: the planning switches (SPEC v2 §12).

"Keep running in the tray" (on by default once a reminder exists) and "Start Momentum
when I log in" (the XDG autostart entry). Both are this computer's preferences.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QVBoxLayout

from . import autostart
from .context import GuiContext
from .widgets.common import label


def add_planning_switches(body: QVBoxLayout, ctx: GuiContext) -> tuple[QCheckBox, QCheckBox]:
    body.addWidget(label("Reminders", "muted"))
    # A check box cannot wrap: the short switch, then why, in a label that wraps.
    tray = QCheckBox("Keep running in the tray")
    tray.setToolTip("When the window is closed, so reminders still appear")
    chosen = ctx.settings.keep_in_tray
    tray.setChecked(chosen if chosen is not None else ctx.momentum.planning.has_reminders())
    tray.toggled.connect(lambda on: setattr(ctx.settings, "keep_in_tray", on))
    login = QCheckBox("Start Momentum when I log in")
    login.setChecked(autostart.is_enabled())
    login.setToolTip(str(autostart.entry_path()))

    def switch(on: bool) -> None:
        try:
            autostart.set_enabled(on)
        except OSError as exc:
            login.blockSignals(True)
            login.setChecked(autostart.is_enabled())
            login.blockSignals(False)
            login.setToolTip(f"Could not change {autostart.entry_path()}: {exc}")

    login.toggled.connect(switch)
    body.addWidget(tray)
    why = label("When the window is closed, so reminders still appear.", "faint", wrap=True)
    why.setContentsMargins(26, 0, 0, 0)
    body.addWidget(why)
    body.addWidget(login)
    return tray, login
