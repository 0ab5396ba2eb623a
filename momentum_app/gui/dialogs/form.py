"""The form dialog every editor builds on: fields, and validation shown at the field.

``submit()`` calls the controller. A ``ValidationError`` (``.field``, ``.message``) is
shown in red under the field it names, the field is outlined and focused, and the dialog
stays open; an error naming no field of the form appears in a banner at the top. Nothing
is ever swallowed silently and nothing crashes the window.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import MomentumError, ValidationError
from ..context import GuiContext
from ..widgets.common import label, set_flag

log = logging.getLogger(__name__)


class FormDialog(QDialog):
    """A titled form with Save/Cancel; subclasses add fields and implement :meth:`submit`."""

    def __init__(self, ctx: GuiContext, title: str, parent: QWidget | None = None,
                 *, save_text: str = "Save") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(460)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(22, 20, 22, 18)
        outer.setSpacing(14)
        heading = label(title, "h2")
        outer.addWidget(heading)
        self.banner = label("", "banner-error", wrap=True)
        self.banner.setVisible(False)
        self.banner.setAccessibleName("Error")
        outer.addWidget(self.banner)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(10)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(save_text)
        save.setProperty("role", "primary")
        save.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}

    # -- building ----------------------------------------------------------------------------

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

    # -- errors ------------------------------------------------------------------------------

    def clear_errors(self) -> None:
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
        self.banner.setText(f"{field}: {message}" if field else message)
        self.banner.setVisible(True)

    def error_text(self, field: str) -> str:
        """The error shown at ``field`` ("" when none): tests and accessibility."""
        error = self._errors.get(field)
        return error.text() if error is not None and not error.isHidden() else ""

    # -- submitting --------------------------------------------------------------------------

    def submit(self) -> None:
        """Apply the form through the controller; raise ValidationError on bad input."""
        raise NotImplementedError

    def accept(self) -> None:
        self.clear_errors()
        try:
            self.submit()
        except ValidationError as exc:
            self.show_error(exc.field, exc.message)
            return
        except MomentumError as exc:
            self.show_error("", str(exc))
            return
        except Exception as exc:  # noqa: BLE001 (a bug must not close the form silently)
            log.exception("saving %s failed", self.windowTitle())
            self.show_error("", f"Could not save: {exc}")
            return
        super().accept()
