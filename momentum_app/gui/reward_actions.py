"""The window's changes to the reward shop, undoable like every other change.

Buying is undone by a refund (SPEC v2 §2a: "undoing a purchase refunds it") and redone
by buying again; adding a reward is undone by removing it, removing by putting it back.
Each step publishes one :class:`~.changes.Change` with the ``rewards`` scope (and
``profile``, so the header re-reads the coins). A purchase also emits :attr:`purchased`
for the window's toast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ..core.services.rewards import RewardDTO
from .changes import PROFILE, REWARDS, Change

if TYPE_CHECKING:
    from .controller import Controller

REWARD_CHANGE = Change(frozenset({REWARDS, PROFILE}))


class RewardActions(QObject):
    purchased = Signal(object)  # the purchase dict from ``rewards.buy``

    def __init__(self, controller: Controller) -> None:
        super().__init__(controller)
        self._controller = controller

    @property
    def _rewards(self) -> Any:
        return self._controller.momentum.rewards

    def _step(self, action: Any) -> Any:
        def run() -> Change:
            action()
            return REWARD_CHANGE
        return run

    def add(self, name: str, cost: object, once: bool = False) -> RewardDTO:
        reward: RewardDTO = self._rewards.add(name, cost, once=once)
        self._controller._record(f"Add reward “{reward.name}”", REWARD_CHANGE,
                                 undo=self._step(lambda: self._rewards.remove(reward.name)),
                                 redo=self._step(lambda: self._rewards.restore(reward.id)))
        return reward

    def remove(self, name: str) -> RewardDTO:
        reward: RewardDTO = self._rewards.remove(name)
        self._controller._record(f"Remove reward “{reward.name}”", REWARD_CHANGE,
                                 undo=self._step(lambda: self._rewards.restore(reward.id)),
                                 redo=self._step(lambda: self._rewards.remove(reward.name)))
        return reward

    def buy(self, name: str) -> dict[str, Any]:
        """Spend the coins; undo refunds this purchase, redo buys the reward again."""
        bought: dict[str, Any] = self._rewards.buy(name)
        current = [int(bought["id"])]  # a redo is a new purchase: undo refunds that one

        def undo() -> Change:
            self._rewards.refund(current[0])
            return REWARD_CHANGE

        def redo() -> Change:
            again = self._rewards.buy(name)
            current[0] = int(again["id"])
            self.purchased.emit(again)
            return REWARD_CHANGE

        self._controller._record(f"Buy “{bought['reward']}”", REWARD_CHANGE, undo, redo)
        self.purchased.emit(bought)
        return bought
