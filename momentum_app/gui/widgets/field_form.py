"""Form rows with an error line under each field: validation shown where it belongs.

The core's ``ValidationError`` names a field (``.field``) and says what is wrong
(``.message``). :class:`FieldForm` maps field names (and aliases) to widgets: the message
appears in red under the widget, the widget is outlined and focused; an error naming no
field of the form goes to a banner. Dialogs (:class:`~momentum_app.gui.dialogs.form.FormDialog`)
and the Settings screen share it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from .common import label, set_flag


class FieldForm:
    """Rows of a :class:`QFormLayout`, each with its error line."""

    def __init__(self, form: QFormLayout, banner: QLabel | None = None) -> None:
        self.form = form
        self.banner = banner
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}

    def add_field(self, name: str, caption: str, widget: QWidget,
                  aliases: tuple[str, ...] = ()) -> QWidget:
        """Add ``widget`` under ``caption``; errors naming ``name`` (or an alias) land here."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(widget)
        error = label("", "error", wrap=True)
        error.setVisible(False)
        error.setAccessibleName(f"{caption.replace('&', '')} error")
        column.addWidget(error)
        caption_label = QLabel(caption)
        caption_label.setBuddy(widget)
        self.form.addRow(caption_label, holder)
        widget.setAccessibleName(caption.replace("&", ""))
        for key in (name, *aliases):
            self._fields[key] = widget
            self._errors[key] = error
        return widget

    def clear_errors(self) -> None:
        if self.banner is not None:
            self.banner.setVisible(False)
        for key, error in self._errors.items():
            error.setVisible(False)
            set_flag(self._fields[key], "invalid", False)
            self._fields[key].setAccessibleDescription("")

    def show_error(self, field: str, message: str) -> None:
        """Show ``message`` at ``field`` (or in the banner when the form has no such field)."""
        if field in self._fields:
            widget, error = self._fields[field], self._errors[field]
            error.setText(message[:1].upper() + message[1:])
            error.setVisible(True)
            set_flag(widget, "invalid", True)
            widget.setAccessibleDescription(message)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self.banner is not None:
            self.banner.setText(f"{field}: {message}" if field else message)
            self.banner.setVisible(True)

    def error_text(self, field: str) -> str:
        """The error shown at ``field`` ("" when none): tests and accessibility."""
        error = self._errors.get(field)
        return error.text() if error is not None and not error.isHidden() else ""

    def banner_text(self) -> str:
        return self.banner.text() if self.banner is not None and \
            not self.banner.isHidden() else ""
