"""The window's changes to the reward shop, undoable like every other change.

The core records the inverses (core/services/history.py): buying is undone by a refund
(SPEC v2 §2a: "undoing a purchase refunds it") and redone by buying again; adding a
reward is undone by removing it, removing by putting it back.
Each step publishes one :class:`~.changes.Change` whose scopes are the core's record's
(``rewards`` and ``profile``, so the header re-reads the coins). A purchase also emits
:attr:`purchased` for the window's toast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the rewards service loads SQLAlchemy: not before the window is up
    from ..core.services.rewards import BoughtDTO, RewardDTO, RewardService
    from .controller import Controller


class RewardActions(QObject):
    purchased = Signal(object)  # the BoughtDTO ``rewards.buy`` returned

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self._controller = controller

    @property
    def _rewards(self) -> RewardService:
        return self._controller.momentum.rewards

    def add(self, name: str, cost: object, once: bool = False) -> RewardDTO:
        return self._controller._do(lambda: self._rewards.add(name, cost, once=once))

    def remove(self, name: str) -> RewardDTO:
        return self._controller._do(lambda: self._rewards.remove(name))

    def buy(self, name: str) -> BoughtDTO:
        """Spend the coins; undo refunds this purchase, redo buys the reward again."""
        bought: BoughtDTO = self._controller._do(lambda: self._rewards.buy(name))
        self.purchased.emit(bought)
        return bought
