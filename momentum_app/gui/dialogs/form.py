"""The form dialog every editor builds on: fields, and validation shown at the field.

``submit()`` calls the controller. A ``ValidationError`` (``.field``, ``.message``) is
shown in red under the field it names, the field is outlined and focused, and the dialog
stays open; an error naming no field of the form appears in a banner at the top. Nothing
is ever swallowed silently and nothing crashes the window.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QIcon, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import MomentumError, ValidationError
from ..context import GuiContext
from ..widgets.common import keep_enter_for_default, label
from ..widgets.field_form import FieldForm

log = logging.getLogger(__name__)


def plain_buttons(box: QDialogButtonBox) -> None:
    """No stock icons on standard buttons (some desktop styles add a disk, a red X…).

    The style sheet also sets ``dialogbuttonbox-buttons-have-icons: 0``; clearing the
    icons here covers styles that ignore it.
    """
    for button in box.buttons():
        button.setIcon(QIcon())


#: The narrowest a form dialog gets (wider when its fields need it).
MINIMUM_WIDTH = 460


class FormDialog(QDialog):
    """A titled form with Save/Cancel; subclasses add fields and implement :meth:`submit`."""

    def __init__(self, ctx: GuiContext, title: str, parent: QWidget | None = None,
                 *, save_text: str = "Save") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.save_text = save_text
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(MINIMUM_WIDTH)
        outer = self.outer = QVBoxLayout(self)
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
        plain_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.fields = FieldForm(self.form, self.banner)

    def showEvent(self, event: QShowEvent) -> None:
        # Built by now (subclasses add fields after __init__): Enter is Save, whatever
        # has the focus, and no button inside the form can take it.
        keep_enter_for_default(self, self.buttons.buttons())
        # The fixed floor must not undercut what the fields need (a long check box, 1.5×
        # text): an explicit minimum width replaces the layout's own.
        self.setMinimumWidth(max(MINIMUM_WIDTH, self.outer.minimumSize().width()))
        self._fit_height()
        super().showEvent(event)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a banner, an error, a preview
            self._fit_height()
        return handled

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def _fit_height(self) -> None:
        """A window's layout does not count wrapped lines in its minimum height: the
        dialog keeps room for every wrapped label (an error, the import preview) at its
        width, so none is squashed when it is made small."""
        layout = self.outer
        need = max(layout.totalMinimumSize().height(),
                   layout.totalMinimumHeightForWidth(self.width()))
        if self.minimumHeight() != need:
            self.setMinimumHeight(need)

    # -- building and errors (see FieldForm) ------------------------------------------------

    def add_field(self, name: str, caption: str, widget: QWidget,
                  aliases: tuple[str, ...] = ()) -> QWidget:
        """Add ``widget`` under ``caption``; errors naming ``name`` (or an alias) land here."""
        return self.fields.add_field(name, caption, widget, aliases)

    def add_name_field(self, placeholder: str, alias: str) -> QLineEdit:
        """The "Name" line of a dialog that names something new (errors about ``name``
        or ``alias`` land at it)."""
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        self.add_field("name", "&Name", edit, aliases=(alias,))
        return edit

    def clear_errors(self) -> None:
        self.fields.clear_errors()

    def show_error(self, field: str, message: str) -> None:
        """Show ``message`` at ``field`` (or in the banner when the form has no such field)."""
        self.fields.show_error(field, message)

    def error_text(self, field: str) -> str:
        """The error shown at ``field`` ("" when none): tests and accessibility."""
        return self.fields.error_text(field)

    # -- submitting --------------------------------------------------------------------------

    def submit(self) -> None:
        """Apply the form through the controller; raise ValidationError on bad input."""
        raise NotImplementedError

    def accept(self) -> None:
        self.clear_errors()
        try:
            with self.ctx.controller.initiated_by(self):  # the change names this dialog
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


class EditorDialog(FormDialog):
    """A form that adds a new ``noun`` ("New task", saved by "Add task") or, ``editing``,
    changes one ("Edit task", saved by "Save")."""

    def __init__(self, ctx: GuiContext, noun: str, editing: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Edit {noun}" if editing else f"New {noun}", parent,
                         save_text="Save" if editing else f"Add {noun}")
