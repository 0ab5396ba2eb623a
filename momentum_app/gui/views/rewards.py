"""Rewards: the shop (SPEC v2 §2a) — spend the coins you earned on rewards you chose.

The shop is a grid of cards (name, cost, whether the coins are there, Buy); beside it a
form adds a reward, and below it the history says what was bought when, with the total
spent. Every change goes through the controller (:mod:`..reward_actions`), so buying is
undoable with Ctrl+Z (a refund) and the header's coins follow.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core import catalog
from ...core.errors import ValidationError
from ...core.services.rewards import PurchaseDTO, RewardDTO
from ..changes import PROFILE, PROGRESS, REWARDS, Change
from ..context import GuiContext
from ..theme import ThemeManager
from ..timefmt import ProfileTime, clock_time, short_date, thousands
from ..widgets.common import (
    EmptyState,
    StatTile,
    TitledCard,
    clear_layout,
    discard,
    flat_scroll,
    label,
    primary_button,
    spaced,
)
from .base import View

COLUMNS = 3
#: Below this width the shop shows two cards a row.
NARROW = 860
HISTORY_LIMIT = 50


def coins_text(amount: int) -> str:
    return f"{thousands(amount)} coin{'' if abs(amount) == 1 else 's'}"


class RewardCard(QFrame):
    """One reward of the shop: name, cost, affordable or not, Buy and Remove."""

    def __init__(self, reward: RewardDTO, coins: int, theme: ThemeManager,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reward = reward
        self.setProperty("card", True)
        self.setAccessibleName(f"Reward {reward.name}")
        layout = spaced(QVBoxLayout(self), 6, (16, 14, 16, 14))
        top = spaced(QHBoxLayout(), 8)
        icon = QLabel()
        icon.setPixmap(theme.icon("fa5s.gift", "accent").pixmap(20, 20))
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.name_label = label(reward.name, "h3", wrap=True)
        top.addWidget(self.name_label, 1)
        if not reward.repeatable:
            top.addWidget(label("Once only", "chip-muted"), 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        cost = spaced(QHBoxLayout(), 6)
        coin = QLabel()
        coin.setPixmap(theme.icon("fa5s.coins", "warning").pixmap(16, 16))
        cost.addWidget(coin)
        self.cost_label = label(coins_text(reward.cost), "stat")
        cost.addWidget(self.cost_label)
        cost.addStretch(1)
        layout.addLayout(cost)
        if not reward.repeatable and reward.bought:
            status, role = "Bought — yours already", "success"
        elif reward.affordable:
            status, role = "You can afford it", "success"
        else:
            status, role = f"{coins_text(reward.cost - coins)} to go", "muted"
        self.status_label = label(status, role, wrap=True)
        layout.addWidget(self.status_label)
        if reward.repeatable and reward.bought:
            layout.addWidget(label(f"Bought {reward.bought}×", "faint"))
        buttons = spaced(QHBoxLayout(), 8)
        self.buy_button = primary_button("Buy")
        self.buy_button.setEnabled(reward.affordable)
        self.buy_button.setAccessibleName(f"Buy {reward.name}")
        self.buy_button.setToolTip(f"Spend {coins_text(reward.cost)} (Ctrl+Z undoes it)")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setProperty("role", "small")
        self.remove_button.setAccessibleName(f"Remove {reward.name}")
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.buy_button)
        layout.addStretch(1)
        layout.addLayout(buttons)


class RewardsView(View):
    scopes = frozenset({REWARDS, PROGRESS, PROFILE})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        theme = ctx.theme
        self.cards: list[RewardCard] = []
        self._coins = 0
        self.title = self.add_title(
            "Rewards", subtitle="Spend the coins you earn on treats you choose")

        content = QWidget()
        column = spaced(QVBoxLayout(content), 16, (0, 0, 6, 6))
        tiles = spaced(QHBoxLayout(), 12)
        self.coins_tile = StatTile("Coins", theme=theme, icon="fa5s.coins", icon_role="warning")
        self.spent_tile = StatTile("Spent", theme=theme, icon="fa5s.shopping-bag")
        self.bought_tile = StatTile("Rewards bought", theme=theme, icon="fa5s.gift")
        for tile in (self.coins_tile, self.spent_tile, self.bought_tile):
            tiles.addWidget(tile)
        column.addLayout(tiles)

        column.addWidget(self._add_card())
        self.shop_card = TitledCard("Shop")
        self.shop_grid = QGridLayout()
        self.shop_grid.setHorizontalSpacing(12)
        self.shop_grid.setVerticalSpacing(12)
        self.shop_card.body.addLayout(self.shop_grid)
        self.shop_empty = EmptyState(theme, "fa5s.gift", "No rewards yet",
                                     "Add something you look forward to — a film, a walk, "
                                     "a new book — and what it costs in coins.")
        self.shop_card.body.addWidget(self.shop_empty)
        column.addWidget(self.shop_card)
        self._columns = COLUMNS

        self.history_card = TitledCard("History")
        self.history_list = spaced(QVBoxLayout(), 4)
        self.history_card.body.addLayout(self.history_list)
        column.addWidget(self.history_card)
        column.addStretch(1)
        self.body.addWidget(flat_scroll(content), 1)

    def _add_card(self) -> TitledCard:
        card = TitledCard("Add a reward")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Movie night, new book…")
        self.name_edit.setAccessibleName("Reward name")
        self.name_edit.setMaxLength(catalog.NAME_MAX)
        self.name_edit.returnPressed.connect(self.add_reward)
        self.cost_spin = QSpinBox()
        self.cost_spin.setRange(catalog.REWARD_COST_MIN, catalog.REWARD_COST_MAX)
        self.cost_spin.setValue(100)
        self.cost_spin.setSuffix(" coins")
        self.cost_spin.setAccessibleName("Reward cost in coins")
        self.once_box = QCheckBox("Once only")
        self.once_box.setToolTip("A reward you can buy a single time (a trip, a big treat)")
        self.add_error = label("", "error", wrap=True)
        self.add_error.setVisible(False)
        self.add_button = primary_button("Add reward")
        self.add_button.clicked.connect(self.add_reward)
        row = spaced(QHBoxLayout(), 10)
        row.addWidget(self.name_edit, 3)
        row.addWidget(self.cost_spin, 1)
        row.addWidget(self.once_box)
        row.addWidget(self.add_button)
        card.body.addLayout(row)
        card.body.addWidget(self.add_error)
        return card

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        service = self.ctx.momentum.rewards
        summary = service.summary()
        coins = self._coins = summary.coins
        self.coins_tile.set(thousands(coins), "to spend" if coins >= 0
                            else "below zero: a completion was reopened")
        self.spent_tile.set(thousands(summary.spent), "coins spent in all")
        self.bought_tile.set(thousands(summary.purchases), "purchases kept")
        self._fill_shop(service.list(), coins)
        self._fill_history(service.purchases(limit=HISTORY_LIMIT), summary.spent)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        columns = 2 if self.width() < NARROW else COLUMNS
        if columns != self._columns:
            self._columns = columns
            self._place_cards()

    def _place_cards(self) -> None:
        for card in self.cards:
            self.shop_grid.removeWidget(card)
        for index, card in enumerate(self.cards):
            self.shop_grid.addWidget(card, index // self._columns, index % self._columns)
        for col in range(COLUMNS):
            self.shop_grid.setColumnStretch(col, 1 if col < self._columns else 0)

    def _fill_shop(self, rewards: list[RewardDTO], coins: int) -> None:
        for card in self.cards:
            self.shop_grid.removeWidget(card)
            discard(card)
        self.cards = []
        for reward in rewards:
            card = RewardCard(reward, coins, self.ctx.theme)
            card.buy_button.clicked.connect(lambda _c=False, n=reward.name: self.buy(n))
            card.remove_button.clicked.connect(lambda _c=False, n=reward.name: self.remove(n))
            self.cards.append(card)
        self._place_cards()
        self.shop_empty.setVisible(not rewards)
        affordable = sum(1 for r in rewards if r.affordable)
        self.shop_card.set_note(f"{affordable} of {len(rewards)} within reach" if rewards
                                else "")

    def _fill_history(self, purchases: list[PurchaseDTO], spent: int) -> None:
        clear_layout(self.history_list)
        self.history_card.set_note(f"{coins_text(spent)} spent in all" if purchases else "")
        if not purchases:
            self.history_list.addWidget(label("Nothing bought yet. What you buy shows here, "
                                              "with when.", "faint", wrap=True))
            return
        zone: ProfileTime = self.ctx.profile_time()
        today = self.ctx.today()
        for purchase in purchases:
            local = zone.local(purchase.purchased_at)
            holder = QWidget()
            line = spaced(QHBoxLayout(holder), 10, (0, 2, 0, 2))
            name = label(purchase.reward, "h3-locked" if purchase.refunded_at else "h3")
            line.addWidget(name, 1)
            if purchase.refunded_at is not None:
                line.addWidget(label("Refunded", "chip-muted"))
            line.addWidget(label(f"−{coins_text(purchase.cost)}", "muted"))
            line.addWidget(label(f"{short_date(local.date(), today)}, "
                                 f"{clock_time(purchase.purchased_at, zone)}", "faint"))
            holder.setAccessibleName(f"{purchase.reward}, {coins_text(purchase.cost)}"
                                     + (", refunded" if purchase.refunded_at else ""))
            self.history_list.addWidget(holder)

    # -- actions ---------------------------------------------------------------------------

    def _shop_in_place(self, _reward: RewardDTO, _change: Change) -> bool:
        """A reward added or removed here: only the shop's cards are rebuilt (the coins,
        the totals and the history did not move, so they are not read again)."""
        self._fill_shop(self.ctx.momentum.rewards.list(), self._coins)
        return True

    def add_reward(self) -> bool:
        try:
            name, cost, once = (self.name_edit.text(), self.cost_spin.value(),
                                self.once_box.isChecked())
            reward = self.act(lambda: self.ctx.controller.rewards.add(name, cost, once=once),
                              self._shop_in_place)
        except ValidationError as exc:
            self.add_error.setText(exc.message[:1].upper() + exc.message[1:])
            self.add_error.setVisible(True)
            return False
        self.add_error.setVisible(False)
        self.name_edit.clear()
        self.once_box.setChecked(False)
        self.status_message.emit(f"Added “{reward.name}” to the shop")
        return True

    def buy(self, name: str) -> None:
        try:
            # a purchase moves the coins, the totals, every card's reach and the history:
            # all this view shows, so it reloads (initiated here, for the record)
            bought = self.act(lambda: self.ctx.controller.rewards.buy(name))
        except ValidationError as exc:
            self.status_message.emit(exc.message[:1].upper() + exc.message[1:])
            return
        self.status_message.emit(f"Bought “{bought.purchase.reward}”. Ctrl+Z refunds it.")

    def remove(self, name: str) -> None:
        if self.act_or_say(lambda: self.ctx.controller.rewards.remove(name),
                           self._shop_in_place):
            self.status_message.emit(f"Removed “{name}”. Ctrl+Z puts it back.")

    def focus_content(self) -> None:
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
