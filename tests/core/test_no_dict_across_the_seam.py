"""Issue 15, item 1: no dict crosses the seam. Every public method of the read API, the
reward shop and the sync service returns typed values (frozen DTOs, the engine's types,
plain scalars), never a ``dict`` of ``Any`` for the window or the CLI to index; and the
answers that reach them are frozen."""

from __future__ import annotations

import dataclasses
import inspect
import typing

import pytest

from momentum_app.core.services.reads import ReadService
from momentum_app.core.services.rewards import RewardService
from momentum_app.core.services.sync import SyncService

SERVICES = (ReadService, RewardService, SyncService)
#: ``sync.uids`` maps local ids to uids: a lookup table of two scalars, not a record.
ALLOWED = {("SyncService", "uids")}


def _mentions_a_dict(hint: object) -> bool:
    origin = typing.get_origin(hint)
    if hint is dict or origin is dict:
        return True
    return any(_mentions_a_dict(arg) for arg in typing.get_args(hint))


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.__name__)
def test_no_public_method_returns_a_dict(service: type) -> None:
    checked = 0
    for name, method in inspect.getmembers(service, inspect.isfunction):
        if name.startswith("_") or (service.__name__, name) in ALLOWED:
            continue
        hints = typing.get_type_hints(method)
        assert "return" in hints, f"{service.__name__}.{name} has no return type"
        assert not _mentions_a_dict(hints["return"]), (
            f"{service.__name__}.{name} returns {hints['return']}: a dict crosses the seam")
        checked += 1
    assert checked >= 3


def test_the_answers_are_frozen(play) -> None:
    play.grant(120)
    app = play.app
    app.rewards.add("Coffee", 50)
    bought = app.rewards.buy("Coffee")
    refunded = app.rewards.refund()
    answers = [app.reads.progress(), app.reads.stats(), app.reads.milestones(),
               *app.reads.history(), *app.reads.leaderboard(), *app.reads.achievements(),
               *app.reads.levels(), *app.reads.streaks(), bought, refunded,
               app.rewards.summary()]
    for answer in answers:
        assert dataclasses.is_dataclass(answer) and not isinstance(answer, dict)
        first = dataclasses.fields(answer)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(answer, first, None)
