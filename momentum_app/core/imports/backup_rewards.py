"""The reward shop in the JSON backup (SPEC v2 §2a): a profile's ``rewards`` and
``reward_purchases``, read, checked and restored next to the rest of
:mod:`.backup`. Kept apart so the backup module only gains a few calls.

Purchases point at their ``reward_purchase`` event (and a refund at its
``reward_refund`` event): both are in the same profile's ``events``, so the ids are
remapped with the events'. A backup written before rewards existed has neither list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from .. import catalog
from ..errors import ValidationError
from ..models import Reward, RewardPurchase
from ..services import rewards as reward_rules

if TYPE_CHECKING:
    from .backup import BackupData, Fields, IdMaps, ProfileData


def parse(item: Fields, data: ProfileData) -> None:
    """Validate the profile's rewards and purchases into ``data.tables``."""
    t = data.tables
    t["rewards"] = [{
        "id": r.id(), "name": r._wrap("name", reward_rules.reward_name),
        "cost": r._wrap("cost", reward_rules.reward_cost),
        "repeatable": r.boolean("repeatable", True), "created_at": r.instant("created_at"),
        "deleted_at": r.instant("deleted_at", optional=True)}
        for r in item.rows("rewards")]
    rewards = {row["id"] for row in t["rewards"]}
    types = {e["id"]: e["type"] for e in t["events"]}
    t["reward_purchases"] = []
    for r in item.rows("reward_purchases"):
        row = {"id": r.id(), "reward_id": r.id("reward_id"),
               "cost": r.integer("cost", 1, catalog.REWARD_COST_MAX),
               "event_id": r.id("event_id"), "purchased_at": r.instant("purchased_at"),
               "refunded_at": r.instant("refunded_at", optional=True),
               "refund_event_id": r.id("refund_event_id", optional=True)}
        if row["reward_id"] not in rewards:
            raise ValidationError(f"{r.path}.reward_id", f"no reward {row['reward_id']} in "
                                  "this profile of the backup")
        for key, wanted in (("event_id", catalog.REWARD_PURCHASE_EVENT),
                            ("refund_event_id", catalog.REWARD_REFUND_EVENT)):
            if row[key] is not None and types.get(row[key]) != wanted:
                raise ValidationError(f"{r.path}.{key}", f"no {wanted} event {row[key]} in "
                                      "this profile of the backup")
        if (row["refunded_at"] is None) != (row["refund_event_id"] is None):
            raise ValidationError(f"{r.path}.refunded_at",
                                  "a refund needs both refunded_at and refund_event_id")
        t["reward_purchases"].append(row)


def remap_meta(meta: dict[str, Any], maps: IdMaps) -> None:
    """A purchase's or refund's ``reward_id`` in this database's ids."""
    if meta.get("reward_id") is not None:
        meta["reward_id"] = maps.get("rewards", meta["reward_id"])


def write_rewards(session: Session, backup: BackupData, maps: IdMaps) -> None:
    """The rewards, before the events (whose metadata names them)."""
    _write(session, backup, maps, "rewards", Reward, lambda row: {})


def write_purchases(session: Session, backup: BackupData, maps: IdMaps) -> None:
    """The purchases, after the events they point at."""
    _write(session, backup, maps, "reward_purchases", RewardPurchase, lambda row: {
        "reward_id": maps.get("rewards", row["reward_id"]),
        "event_id": maps.get("events", row["event_id"]),
        "refund_event_id": maps.get("events", row["refund_event_id"])
        if row["refund_event_id"] is not None else None})


def _write(session: Session, backup: BackupData, maps: IdMaps, table: str, model: Any,
           extra: Any) -> None:
    from .backup import _assign, _insert  # noqa: PLC0415 (backup imports this module)

    rows = [(maps.profiles[p.row["id"]], r) for p in backup.profiles
            for r in p.tables.get(table, [])]
    maps.tables[table] = _assign(session, model, rows)
    _insert(session, model, rows, maps, table, extra)
