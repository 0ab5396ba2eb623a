"""A hybrid logical clock (Kulkarni et al.): a stamp is ``ms << 16 | counter``.

A new stamp is later than every stamp this replica issued or saw, and close to the wall
clock when the clocks agree; (stamp, replica id) orders every change of every replica.
"""

from __future__ import annotations

from datetime import datetime

COUNTER_BITS = 16


def physical(now: datetime) -> int:
    return int(now.timestamp() * 1000) << COUNTER_BITS


class Clock:
    """The replica's clock, started from its last stamp (kept in ``sync_replica``)."""

    def __init__(self, last: int, now: datetime) -> None:
        self.last = last
        self.now = now

    def tick(self) -> int:
        self.last = max(physical(self.now), self.last + 1)
        return self.last

    def seen(self, stamp: int) -> None:
        self.last = max(self.last, stamp)


def wall(stamp: int) -> datetime:
    from datetime import UTC  # noqa: PLC0415

    return datetime.fromtimestamp((stamp >> COUNTER_BITS) / 1000, UTC)
