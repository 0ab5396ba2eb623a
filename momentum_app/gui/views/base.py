"""What every view shares: the context, lazy refresh on change, the selection protocol.

A view refreshes only what it shows: it looks at a change's scopes, and when it is not
on screen it just remembers to refresh the next time it is shown.

A view makes its own changes through :meth:`View.act`: the controller marks the change
with the view as its initiator (``Change.caused_by``), and the reload that change would
cause here is skipped when the view's ``in_place`` update shows the result (a row
updated from the DTO the action returned, a card replaced); every other view reloads on
the scopes it shows, as for any change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...core.catalog import Kind
from ...core.errors import ValidationError
from ...core.services.changes import Scope
from ..changes import Change, ItemRef
from ..context import GuiContext
from ..perks import PerkLocked
from ..widgets.common import ViewTitle, label, primary_button, spaced
from ..widgets.quick_add import QuickAddField

T = TypeVar("T")
#: Updates a view in place after its own change: the action's result and the change;
#: False when it cannot (the view then reloads, as for anyone else's change).
InPlace = Callable[[T, Change], bool]


class View(QWidget):
    """Base class of the screens in the main window's stack."""

    #: Ask the window to open an editor for an item (double-click, Enter).
    edit_requested = Signal(object)  # ItemRef
    #: Ask the window for a "new item" dialog of a kind (the view's "New …" button).
    new_requested = Signal(object)  # Kind
    #: Ask the window to show a status-bar message.
    status_message = Signal(str)

    #: The scopes (see :mod:`momentum_app.gui.changes`) this view shows.
    scopes: frozenset[Scope] = frozenset()

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        #: While :meth:`act` runs: the changes this view caused, handled when it returns.
        self._own: list[Change] | None = None
        self.body = spaced(QVBoxLayout(self), 16, (28, 22, 28, 22))
        ctx.changes.changed.connect(self._on_change)
        ctx.theme.changed.connect(lambda _tokens: self.apply_theme())

    # -- to override -----------------------------------------------------------------------

    def reload(self) -> None:
        """Read what the view shows from the services."""

    def apply_theme(self) -> None:
        """Re-fetch icons and repaint after a theme change."""

    def current_item(self) -> ItemRef | None:
        """The selected item, for the window's Edit actions (toggle, delete, edit)."""
        return None

    def following_item(self) -> ItemRef | None:
        """The item after the selected one (before it, for the last): where the selection
        goes when the selected item is completed or deleted from the keyboard."""
        return None

    def select_item(self, ref: ItemRef) -> bool:
        """Select ``ref`` and scroll it into view (now, or when the list has it)."""
        return False

    def focus_search(self) -> bool:
        """Put the keyboard in the view's search field; False if it has none."""
        return False

    def focus_content(self) -> None:
        """Give the keyboard to the view's main list when the view is switched to."""

    def in_place(self, result: object, change: Change) -> bool:
        """Show the result of this view's own toggle or edit (``result``: what the
        controller returned) without a reload; False when it cannot. See :meth:`act`."""
        return False

    def set_project_filter(self, project: str | None) -> None:
        """Show only one project's items (views that can filter override this)."""

    def set_tag_filter(self, tag: str | None) -> None:
        """Show only one tag's items (views that can filter override this)."""

    def project_filter(self) -> str | None:
        """The project the view is filtered on (new tasks go there)."""
        return None

    # -- refresh plumbing ------------------------------------------------------------------

    def refresh_now(self) -> None:
        self._stale = False
        self.reload()

    def act(self, call: Callable[[], T], in_place: InPlace[T] | None = None) -> T:
        """Make a change as this view (the controller marks it ``initiator=self``).

        The change it publishes is kept until ``call`` returns; then ``in_place(result,
        change)`` updates what this view shows, and the reload the change would cause
        here is skipped. Without ``in_place``, or when it returns False, the view reloads
        as for anyone else's change. A ``ValidationError`` reaches the caller."""
        own: list[Change] = []
        outer, self._own = self._own, own
        try:
            with self.ctx.controller.initiated_by(self):
                result = call()
        except BaseException:
            self._own = outer
            for change in own:  # published before the failure: shown as anyone's
                self._on_other_change(change)
            raise
        self._own = outer
        for change in own:
            if in_place is None or not change.touches(*self.scopes) or \
                    not in_place(result, change):
                self._on_other_change(change)
        return result

    def act_or_say(self, call: Callable[[], T], in_place: InPlace[T] | None = None) -> bool:
        """:meth:`act`, with a refusal (``ValidationError``) shown in the status bar
        instead of raised; False when refused."""
        try:
            self.act(call, in_place)
        except ValidationError as exc:
            self.status_message.emit(exc.message)
            return False
        return True

    def unless_locked(self, call: Callable[[], T]) -> T | None:
        """``call()``, or None with the reason in the status bar when a perk it needs is
        still locked (``PerkLocked``)."""
        try:
            return call()
        except PerkLocked as locked:
            self.status_message.emit(str(locked))
            return None

    def toggle(self, ref: ItemRef) -> None:
        """Complete ``ref`` or reopen it, as this view, shown by :meth:`in_place`."""
        self.act_or_say(lambda: self.ctx.controller.toggle_done(ref), self.in_place)

    def add_title(self, title: str, *actions: QWidget, subtitle: str = "") -> ViewTitle:
        """The view's heading, with ``actions`` on its right, added to the body."""
        heading = ViewTitle(title, subtitle)
        for action in actions:
            heading.action_row.addWidget(action)
        self.body.addWidget(heading)
        return heading

    def _add_task_header(self, title: str, placeholder: str, accessible: str) -> None:
        """The title with its "New task" button, then the quick-add field and the line
        that shows its error (Tasks and Today): ``self.title``, ``self.new_button``,
        ``self.quick_field``, ``self.quick_error``. The view connects ``submitted``."""
        self.new_button = primary_button("New task")
        self.new_button.setAccessibleName("New task")
        self.new_button.setToolTip("New task (Ctrl+N)")
        self.new_button.clicked.connect(lambda: self.new_requested.emit(Kind.TASK))
        self.title = self.add_title(title, self.new_button)
        momentum = self.ctx.momentum  # its planner when first typed into (not at start)
        self.quick_field = QuickAddField(
            lambda text, keep: momentum.planning.parse_quick_add(text, keep=keep),
            self.ctx.theme, placeholder)
        self.quick_field.edit.setAccessibleName(accessible)
        self.quick_error = label("", "error")
        self.quick_error.setVisible(False)
        self.quick_field.edit.textEdited.connect(lambda _t: self.quick_error.setVisible(False))
        self.body.addWidget(self.quick_field)
        self.body.addWidget(self.quick_error)

    def refresh_when_seen(self, update: Callable[[], None] | None = None) -> None:
        """Reload now if the view is on screen (or just ``update`` it, when what changed
        needs less), else reload it when it is next shown."""
        if not self.isVisible():
            self._stale = True
        elif update is not None:
            update()
        else:
            self.refresh_now()

    def _on_change(self, change: Change) -> None:
        if self._own is not None and change.caused_by(self):
            self._own.append(change)  # handled by act() once the call has returned
            return
        self._on_other_change(change)

    def _on_other_change(self, change: Change) -> None:
        if change.touches(*self.scopes):
            self.refresh_when_seen()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh_now()
        super().showEvent(event)


@dataclass(frozen=True)
class ViewSpec:
    """A screen the window offers: registered in :data:`momentum_app.gui.views.VIEWS`."""

    id: str
    title: str
    icon: str
    factory: Callable[[GuiContext], View]
    accessible_description: str = ""
    #: A shortcut of its own; without one the n-th view gets Ctrl+n (n ≤ 9).
    shortcut: str | None = None
