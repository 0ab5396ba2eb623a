"""CLI commands of the reward shop (SPEC v2 §2a): ``momentum reward add|list|buy|remove``,
plus ``reward history`` (what was bought when) and ``reward refund`` (undo a purchase).

Thin, like :mod:`.cli`: the work is in :mod:`.core.services.rewards`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

from .core.services import Momentum

Group = Callable[[str, str], Any]
Command = Callable[[Any, str, str, Callable[..., None]], argparse.ArgumentParser]


def register_reward_commands(group: Group, command: Command) -> None:
    """Add the ``reward`` group (``group`` and ``command`` are :func:`.cli.build_parser`'s)."""
    reward = group("reward", "the reward shop: spend coins on rewards you choose")
    p = command(reward, "add", "add a reward to the shop", cmd_reward_add)
    p.add_argument("name", metavar="NAME", help="1–100 characters")
    p.add_argument("cost", metavar="COST", help="coins, 1–100,000")
    p.add_argument("--once", action="store_true",
                   help="a once-only reward (default: it can be bought again and again)")
    _example(p, 'momentum reward add "Movie night" 300 --once')
    p = command(reward, "list", "the shop: rewards, their cost, what you can afford",
                cmd_reward_list)
    _example(p, "momentum reward list --json")
    p = command(reward, "buy", "spend coins on a reward", cmd_reward_buy)
    p.add_argument("name", metavar="NAME")
    p.description = ("Writes a reward_purchase event and spends the reward's cost. With "
                     "too few coins nothing is written (error: coins: N short, exit 2).")
    _example(p, 'momentum reward buy "Movie night"')
    p = command(reward, "remove", "take a reward off the shop (its purchases stay)",
                cmd_reward_remove)
    p.add_argument("name", metavar="NAME")
    _example(p, 'momentum reward remove "Movie night"')
    p = command(reward, "history", "what was bought when (newest first)", cmd_reward_history)
    p.add_argument("--limit", default=None, help="at most this many purchases")
    _example(p, "momentum reward history --limit 10")
    p = command(reward, "refund", "undo a purchase: its coins come back", cmd_reward_refund)
    p.add_argument("purchase", metavar="PURCHASE_ID", nargs="?", default=None,
                   help="the purchase to undo (default: the latest one not refunded)")
    _example(p, "momentum reward refund 3")


def _example(parser: argparse.ArgumentParser, example: str) -> None:
    parser.epilog = f"example:\n  {example}"
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def _table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    from .cli_text import table  # noqa: PLC0415

    return table(rows, headers)


def cmd_reward_add(app: Momentum, a: argparse.Namespace, out: Any) -> None:
    reward = app.history.perform(lambda: app.rewards.add(a.name, a.cost, once=a.once)).result
    out.emit(reward.to_json(), f"Added reward {reward.id}: {reward.name} "
             f"({reward.cost:,} coins{', once only' if not reward.repeatable else ''})")


def cmd_reward_list(app: Momentum, a: argparse.Namespace, out: Any) -> None:
    rewards = app.rewards.list()
    have = app.rewards.coins()

    def text() -> str:
        rows = [(r.id, r.name, f"{r.cost:,}", "once" if not r.repeatable else "repeat",
                 r.bought, "yes" if r.affordable else "no") for r in rewards]
        return (_table(rows, ("id", "name", "cost", "kind", "bought", "affordable"))
                + f"\nCoins: {have:,}")
    out.emit([r.to_json() for r in rewards], text)


def cmd_reward_buy(app: Momentum, a: argparse.Namespace, out: Any) -> None:
    bought = app.history.perform(lambda: app.rewards.buy(a.name)).result
    purchase = bought.purchase
    out.emit(bought.to_json(), f"Bought {purchase.reward} for {purchase.cost:,} coins "
             f"(purchase {purchase.id}); {bought.coins:,} coins left")


def cmd_reward_remove(app: Momentum, a: argparse.Namespace, out: Any) -> None:
    reward = app.history.perform(lambda: app.rewards.remove(a.name)).result
    out.emit({**reward.to_json(), "removed": True}, f"Removed reward {reward.name}")


def cmd_reward_history(app: Momentum, a: argparse.Namespace, out: Any) -> None:
    from .cli import _int_arg  # noqa: PLC0415

    limit = _int_arg(a.limit, "limit") if a.limit is not None else None
    purchases = app.rewards.purchases(limit=limit)
    out.emit(lambda: [p.to_json() for p in purchases], lambda: _table(
        [(p.id, p.purchased_at.isoformat(timespec="minutes"), p.reward, f"{p.cost:,}",
          "refunded" if p.refunded_at else "") for p in purchases],
        ("id", "when (UTC)", "reward", "cost", "")))


def cmd_reward_refund(app: Momentum, a: argparse.Namespace, out: Any) -> None:
    refund = app.history.perform(lambda: app.rewards.refund(a.purchase)).result
    purchase = refund.purchase
    out.emit(refund.to_json(), f"Refunded {purchase.reward} (purchase {purchase.id}): "
             f"{purchase.cost:,} coins back; {refund.coins:,} coins now")
