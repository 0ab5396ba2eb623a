"""Coins and the reward shop (SPEC v2 §2a).

Every point credited is also a coin, every point debited takes one back; a person spends
coins on rewards they defined themselves. Points (and so levels) never go down by
spending. ``coins = Σ net points − Σ spent + Σ refunded``, computed here, in the read
layer, from the points total (which equals the ledger's net, SPEC §2's invariant) and the
purchases: the engine neither knows nor needs coins, so a reversal can make them negative.

A purchase is an event (``reward_purchase``, meta ``{reward_id, cost}``), so it travels
with the log when replicas sync, plus a :class:`~..models.RewardPurchase` row, written in
one transaction. Undoing a purchase is a refund: a ``reward_refund`` event (meta
``{purchase_key, reward_id, cost}``) and the purchase marked refunded. These events score
nothing; the engine's replay passes over them (``catalog.REWARD_EVENTS``).

:func:`purchase_problems` is ``momentum doctor``'s check that the purchases and their
events agree.
"""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import catalog
from ..engine.state import GLOBAL, POINTS_TOTAL
from ..errors import NotFoundError, ValidationError
from ..models import Counter, Event, Reward, RewardPurchase
from . import history, progress
from . import validation as v
from .context import Context
from .dto import JsonMixin
from .engine_store import load_settings, raw


@dataclass(frozen=True)
class RewardDTO(JsonMixin):
    id: int
    name: str
    cost: int
    repeatable: bool
    #: Purchases not refunded.
    bought: int
    #: Buyable now: enough coins, and not a once-only reward already bought.
    affordable: bool


@dataclass(frozen=True)
class PurchaseDTO(JsonMixin):
    id: int
    reward_id: int
    reward: str
    cost: int
    purchased_at: datetime
    refunded_at: datetime | None
    event_id: int
    key: str


@dataclass(frozen=True)
class BoughtDTO:
    """What ``buy`` did: the purchase made and the coins left after it. Its JSON is the
    purchase's keys followed by ``coins`` (SPEC v2 §2a, ``reward buy --json``)."""

    purchase: PurchaseDTO
    coins: int

    def to_json(self) -> dict[str, Any]:
        return {**self.purchase.to_json(), "coins": self.coins}


@dataclass(frozen=True)
class RefundedDTO:
    """What ``refund`` did: the purchase (now with its ``refunded_at``), the refund's own
    event and the coins held after it. JSON: the purchase's keys, ``refund_event_id``,
    ``coins``."""

    purchase: PurchaseDTO
    refund_event_id: int
    coins: int

    def to_json(self) -> dict[str, Any]:
        return {**self.purchase.to_json(), "refund_event_id": self.refund_event_id,
                "coins": self.coins}


@dataclass(frozen=True)
class RewardsSummaryDTO(JsonMixin):
    """The Rewards screen's tiles: coins held, coins spent (net of refunds), purchases kept."""

    coins: int
    spent: int
    purchases: int


#: Purchases newest first by when they were made: local ids follow the order purchases
#: reached this computer (a sync brings another computer's older ones later).
_NEWEST_FIRST = (RewardPurchase.purchased_at.desc(), RewardPurchase.id.desc())


def coins(session: Session, profile_id: int) -> int:
    """Net points minus the cost of every purchase that was not refunded."""
    points = session.scalar(select(Counter.value).where(
        Counter.profile_id == profile_id, Counter.scope == GLOBAL,
        Counter.name == POINTS_TOTAL)) or 0
    return int(points) - spent(session, profile_id)


def spent(session: Session, profile_id: int) -> int:
    """Coins spent and not refunded (:func:`.progress.spent`)."""
    return progress.spent(raw(session), profile_id)


def reward_name(value: object) -> str:
    return v.clean_text(value, "name", max_length=catalog.NAME_MAX)


def reward_cost(value: object) -> int:
    return v.integer(value, "cost", catalog.REWARD_COST_MIN, catalog.REWARD_COST_MAX)


def _active(session: Session, profile_id: int) -> builtins.list[Reward]:
    return list(session.scalars(select(Reward).where(
        Reward.profile_id == profile_id, Reward.deleted_at.is_(None)).order_by(
        Reward.cost, Reward.name)))


def _find(session: Session, profile_id: int, name: object) -> Reward:
    """An active reward by name (exact first, then ignoring case)."""
    wanted = reward_name(name)
    rewards = _active(session, profile_id)
    match = next((r for r in rewards if r.name == wanted), None) or next(
        (r for r in rewards if r.name.casefold() == wanted.casefold()), None)
    if match is None:
        raise NotFoundError("name", f"no reward named {wanted!r}")
    return match


def _bought(session: Session, reward_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(RewardPurchase).where(
        RewardPurchase.reward_id == reward_id, RewardPurchase.refunded_at.is_(None))) or 0)


def _event(session: Session, profile_id: int, event_type: str, meta: dict[str, Any],
           now: datetime) -> Event:
    event = Event(profile_id=profile_id, key=f"{event_type}:{uuid.uuid4().hex}",
                  type=event_type, occurred_at=now,
                  activity_day=load_settings(session, profile_id).day_of(now),
                  processed_at=now, meta=meta, outcome=None)
    session.add(event)
    session.flush()
    return event


def _purchase_dto(row: RewardPurchase, reward: Reward, event: Event) -> PurchaseDTO:
    return PurchaseDTO(row.id, reward.id, reward.name, row.cost, row.purchased_at,
                       row.refunded_at, event.id, event.key)


class RewardService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def coins(self) -> int:
        with self.ctx.db.reading() as session:
            return coins(session, self.ctx.profile_id)

    def add(self, name: object, cost: object, once: bool = False) -> RewardDTO:
        clean, price = reward_name(name), reward_cost(cost)
        with self.ctx.db.transaction() as session:
            if any(r.name.casefold() == clean.casefold()
                   for r in _active(session, self.ctx.profile_id)):
                raise ValidationError("name", f"a reward named {clean!r} already exists")
            row = Reward(profile_id=self.ctx.profile_id, name=clean, cost=price,
                         repeatable=not once, created_at=self.ctx.now())
            session.add(row)
            history.record_created(session, self.ctx, f"Add reward “{clean}”", row)
            have = coins(session, self.ctx.profile_id)
            return RewardDTO(row.id, row.name, row.cost, row.repeatable, 0, have >= price)

    def list(self) -> builtins.list[RewardDTO]:
        with self.ctx.db.reading() as session:
            have = coins(session, self.ctx.profile_id)
            result = []
            for row in _active(session, self.ctx.profile_id):
                bought = _bought(session, row.id)
                result.append(RewardDTO(row.id, row.name, row.cost, row.repeatable, bought,
                                        have >= row.cost and (row.repeatable or not bought)))
            return result

    def buy(self, name: object) -> BoughtDTO:
        """Spend a reward's cost: one event and one purchase row, or nothing at all."""
        with self.ctx.db.transaction() as session:
            reward = _find(session, self.ctx.profile_id, name)
            if not reward.repeatable and _bought(session, reward.id):
                raise ValidationError("name", f"{reward.name!r} is a once-only reward and "
                                      "was already bought")
            have = coins(session, self.ctx.profile_id)
            if have < reward.cost:
                raise ValidationError("coins", f"{reward.cost - have} short")
            now = self.ctx.now()
            event = _event(session, self.ctx.profile_id, catalog.REWARD_PURCHASE_EVENT,
                           {"reward_id": reward.id, "cost": reward.cost}, now)
            row = RewardPurchase(profile_id=self.ctx.profile_id, reward_id=reward.id,
                                 cost=reward.cost, event_id=event.id, purchased_at=now)
            session.add(row)
            session.flush()
            history.record(session, self.ctx, f"Buy “{reward.name}”",
                           history.Op("refund", {"purchase": row.id}))
            return BoughtDTO(_purchase_dto(row, reward, event), have - reward.cost)

    def refund(self, purchase_id: object | None = None) -> RefundedDTO:
        """Undo a purchase (the latest one not refunded, by default): coins come back."""
        with self.ctx.db.transaction() as session:
            query = select(RewardPurchase).where(
                RewardPurchase.profile_id == self.ctx.profile_id,
                RewardPurchase.refunded_at.is_(None))
            if purchase_id is None:
                row = session.scalar(query.order_by(*_NEWEST_FIRST).limit(1))
                if row is None:
                    raise NotFoundError("purchase", "nothing bought to refund")
            else:
                wanted = v.integer(purchase_id, "purchase", 1, v.MAX_ID)
                row = session.get(RewardPurchase, wanted)
                if row is None or row.profile_id != self.ctx.profile_id:
                    raise NotFoundError("purchase", f"no purchase with id {wanted}")
                if row.refunded_at is not None:
                    raise ValidationError("purchase", f"purchase {wanted} was already refunded")
            purchase_event = session.get(Event, row.event_id)
            reward = session.get(Reward, row.reward_id)
            assert purchase_event is not None and reward is not None
            now = self.ctx.now()
            refund = _event(session, self.ctx.profile_id, catalog.REWARD_REFUND_EVENT,
                            {"purchase_key": purchase_event.key, "reward_id": reward.id,
                             "cost": row.cost}, now)
            row.refunded_at, row.refund_event_id = now, refund.id
            session.flush()
            history.record(session, self.ctx, f"Refund “{reward.name}”",
                           history.Op("buy", {"reward": reward.id}))
            return RefundedDTO(_purchase_dto(row, reward, purchase_event), refund.id,
                               coins(session, self.ctx.profile_id))

    def remove(self, name: object) -> RewardDTO:
        """Take a reward off the shelf (soft: its purchases stay in the history)."""
        with self.ctx.db.transaction() as session:
            reward = _find(session, self.ctx.profile_id, name)
            before = history.snapshot(session, reward)
            reward.deleted_at = self.ctx.now()
            history.record_edit(session, self.ctx, f"Remove reward “{reward.name}”", reward,
                                before)
            return RewardDTO(reward.id, reward.name, reward.cost, reward.repeatable,
                             _bought(session, reward.id), False)

    def restore(self, reward_id: int) -> RewardDTO:
        """Put a removed reward back (the window's undo of a removal)."""
        with self.ctx.db.transaction() as session:
            reward = session.get(Reward, reward_id)
            if reward is None or reward.profile_id != self.ctx.profile_id:
                raise NotFoundError("reward", f"no reward with id {reward_id}")
            if any(r.name.casefold() == reward.name.casefold()
                   for r in _active(session, self.ctx.profile_id)):
                raise ValidationError("name", f"a reward named {reward.name!r} already exists")
            before = history.snapshot(session, reward)
            reward.deleted_at = None
            history.record_edit(session, self.ctx, f"Put back reward “{reward.name}”", reward,
                                before)
            have = coins(session, self.ctx.profile_id)
            bought = _bought(session, reward.id)
            return RewardDTO(reward.id, reward.name, reward.cost, reward.repeatable, bought,
                             have >= reward.cost and (reward.repeatable or not bought))

    def purchases(self, limit: int | None = None) -> builtins.list[PurchaseDTO]:
        """What was bought, newest first (refunded ones included, marked)."""
        with self.ctx.db.reading() as session:
            query = select(RewardPurchase, Reward, Event).join(
                Reward, Reward.id == RewardPurchase.reward_id).join(
                Event, Event.id == RewardPurchase.event_id).where(
                RewardPurchase.profile_id == self.ctx.profile_id).order_by(
                *_NEWEST_FIRST)
            if limit is not None:
                query = query.limit(limit)
            return [_purchase_dto(row, reward, event)
                    for row, reward, event in session.execute(query)]

    def summary(self) -> RewardsSummaryDTO:
        """Coins held, coins spent (net of refunds) and purchases kept."""
        with self.ctx.db.reading() as session:
            pid = self.ctx.profile_id
            kept = int(session.scalar(select(func.count()).select_from(RewardPurchase).where(
                RewardPurchase.profile_id == pid, RewardPurchase.refunded_at.is_(None))) or 0)
            return RewardsSummaryDTO(coins(session, pid), spent(session, pid), kept)


def purchase_problems(session: Session) -> builtins.list[str]:
    """``momentum doctor``: every purchase row matches its events, and every purchase or
    refund event has its row. Returns one line per disagreement (empty: all agree)."""
    problems: builtins.list[str] = []
    events = {e.id: e for e in session.scalars(select(Event).where(
        Event.type.in_(catalog.REWARD_EVENTS)))}
    claimed: set[int] = set()
    for row in session.scalars(select(RewardPurchase).order_by(RewardPurchase.id)):
        bought = events.get(row.event_id)
        if (bought is None or bought.type != catalog.REWARD_PURCHASE_EVENT
                or bought.profile_id != row.profile_id
                or bought.meta.get("reward_id") != row.reward_id
                or bought.meta.get("cost") != row.cost):
            problems.append(f"reward purchase {row.id} does not match its "
                            f"reward_purchase event {row.event_id}")
        claimed.add(row.event_id)
        if (row.refunded_at is None) != (row.refund_event_id is None):
            problems.append(f"reward purchase {row.id} is half refunded")
        if row.refund_event_id is not None:
            refund = events.get(row.refund_event_id)
            if (refund is None or refund.type != catalog.REWARD_REFUND_EVENT
                    or refund.meta.get("cost") != row.cost
                    or (bought is not None and refund.meta.get("purchase_key") != bought.key)):
                problems.append(f"reward purchase {row.id} does not match its "
                                f"reward_refund event {row.refund_event_id}")
            claimed.add(row.refund_event_id)
    for event_id, event in sorted(events.items()):
        if event_id not in claimed:
            problems.append(f"{event.type} event {event_id} has no purchase row")
    return problems
