"""Goals: each goal as a card with its step checklist and a progress bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget

from ...core.catalog import Kind
from ...core.errors import ValidationError
from ...core.kinds import Status
from ...core.services.dto import GoalDTO, StepDTO
from ..changes import GOALS, PROJECTS, Change, ItemRef
from ..context import GuiContext
from ..widgets.common import (
    EmptyState,
    SegmentedControl,
    discard,
    flat_scroll,
    primary_button,
    stacked,
)
from ..widgets.goal_card import GoalCard
from .base import View

#: From this width on, cards sit in two columns.
TWO_COLUMNS_FROM = 880


class GoalsView(View):
    scopes = frozenset({GOALS, PROJECTS})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.cards: list[GoalCard] = []
        self._columns = 2
        self.status = SegmentedControl([(Status.OPEN, "Active"), (Status.DONE, "Completed"),
                                        ("all", "All")], Status.OPEN, "Goal filter")
        self.status.changed.connect(lambda _v: self.refresh_now())
        self.new_button = primary_button("New goal")
        self.new_button.clicked.connect(lambda: self.new_requested.emit(Kind.GOAL))
        self.title = self.add_title("Goals", self.status, self.new_button)

        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setContentsMargins(0, 0, 4, 0)
        self.grid.setSpacing(16)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroll_area = flat_scroll(self.grid_holder)
        self.empty = EmptyState(ctx.theme, "fa5s.bullseye", "No goals yet",
                                "A goal is a bigger result made of steps. Click “New goal”.")
        self.stack = stacked(self.body, self.scroll_area, self.empty, stretch=1)
        self.setTabOrder(self.status, self.new_button)

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        focused = self._focused_ref()
        scroll = self.scroll_area.verticalScrollBar().value()
        goals = self.ctx.momentum.items.list_goals(status=self.status.value)
        all_goals = goals if self.status.value == "all" else \
            self.ctx.momentum.items.list_goals()
        open_count = sum(1 for g in all_goals if g.status == Status.OPEN)
        self.title.set_subtitle(f"{open_count} active · {len(all_goals) - open_count} completed"
                                if all_goals else "Bigger results, one step at a time")
        for card in self.cards:
            discard(card)
        self.cards = [self._card(goal) for goal in goals]
        self._lay_out()
        if not goals:
            self.empty.set_text(*(("No goals yet", "A goal is a bigger result made of steps. "
                                   "Click “New goal”.") if not all_goals else
                                  ("Nothing here", "No goal matches this filter.")))
        self.stack.setCurrentWidget(self.scroll_area if goals else self.empty)
        self.scroll_area.verticalScrollBar().setValue(scroll)
        if focused is not None:
            self._refocus(focused)

    def _card(self, goal: GoalDTO) -> GoalCard:
        card = GoalCard(goal, self.ctx.theme, self.ctx.today())
        card.toggle_requested.connect(self.toggle)
        card.edit_requested.connect(self.edit_requested.emit)
        card.delete_requested.connect(self._delete)
        card.add_step_requested.connect(self._add_step)
        return card

    def _replace_card(self, goal_id: int) -> bool:
        """After this view's own change to one goal: that goal's card alone is read and
        built again, in its place (the others are not re-queried). False when the goal
        left the filter or changed status (the counts in the title move: reload)."""
        index = next((i for i, c in enumerate(self.cards) if c.goal.id == goal_id), None)
        if index is None:
            return False
        old = self.cards[index]
        goal: GoalDTO = self.ctx.momentum.items.get(Kind.GOAL, goal_id)
        if goal.status != old.goal.status:
            return False
        focused = self._focused_ref()
        card = self._card(goal)
        self.grid.replaceWidget(old, card)
        discard(old)
        self.cards[index] = card
        if focused is not None:
            self._refocus(focused)
        return True

    def in_place(self, result: object, change: Change) -> bool:
        item = getattr(result, "item", result)  # a Completed's item, or the item itself
        if isinstance(item, StepDTO):
            return self._replace_card(item.goal_id)
        return False  # a goal itself done, reopened or deleted: the counts move

    def _lay_out(self) -> None:
        columns = 2 if self.width() >= TWO_COLUMNS_FROM else 1
        self._columns = columns
        for position, card in enumerate(self.cards):
            self.grid.addWidget(card, position // columns, position % columns)
        for column in range(2):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wanted = 2 if self.width() >= TWO_COLUMNS_FROM else 1
        if wanted != self._columns and self.cards:
            for card in self.cards:
                self.grid.removeWidget(card)
            self._lay_out()

    # -- actions ---------------------------------------------------------------------------

    def _delete(self, ref: ItemRef) -> None:
        self.act_or_say(lambda: self.ctx.controller.delete(ref), self.in_place)

    def _add_step(self, goal_id: int, title: str) -> None:
        card = next((c for c in self.cards if c.goal.id == goal_id), None)
        try:
            self.act(lambda: self.ctx.controller.add_step(goal_id, title),
                     self.in_place)
        except ValidationError as exc:
            if card is not None:
                card.show_step_error(exc.message)
            return
        fresh = next((c for c in self.cards if c.goal.id == goal_id), None)
        if fresh is not None:
            fresh.new_step.setFocus()

    # -- selection -------------------------------------------------------------------------

    def _focused_ref(self) -> ItemRef | None:
        widget = self.focusWidget()
        if isinstance(widget, QCheckBox) and widget.property("step_id") is not None:
            return ItemRef(Kind.STEP, int(widget.property("step_id")))
        for card in self.cards:
            if widget is not None and card.isAncestorOf(widget):
                return ItemRef(Kind.GOAL, card.goal.id)
        return None

    def _refocus(self, ref: ItemRef) -> None:
        for card in self.cards:
            if ref.kind is Kind.GOAL and card.goal.id == ref.id:
                card.new_step.setFocus()
                return
            for box in card.step_boxes:
                if ref.kind is Kind.STEP and box.property("step_id") == ref.id:
                    box.setFocus()
                    return

    def current_item(self) -> ItemRef | None:
        return self._focused_ref()

    def apply_theme(self) -> None:
        """The cards hold icons in the old theme's colours: rebuild them."""
        self.refresh_when_seen()

    def focus_content(self) -> None:
        for card in self.cards:
            if card.step_boxes:
                card.step_boxes[0].setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.new_button.setFocus(Qt.FocusReason.OtherFocusReason)
