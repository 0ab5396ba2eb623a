"""Coins and the reward shop (SPEC v2 §2a) through the services, on a real SQLite file."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from momentum_app.core.catalog import Kind
from momentum_app.core.errors import NotFoundError, ValidationError
from momentum_app.core.models import Event, RewardPurchase
from momentum_app.core.services.rewards import RewardsSummaryDTO


def counts(play: Any) -> tuple[int, int]:
    with play.app.db.reading() as session:
        return (int(session.scalar(select(func.count()).select_from(Event)) or 0),
                int(session.scalar(select(func.count()).select_from(RewardPurchase)) or 0))


def test_coins_follow_points_and_spending(play: Any) -> None:
    play.grant(120)
    app = play.app
    assert app.reads.progress().coins == 120
    app.rewards.add("Coffee", 50)
    bought = app.rewards.buy("Coffee")
    assert bought.coins == 70 and bought.purchase.cost == 50
    progress = app.reads.progress()
    assert progress.total_points == 120  # spending never lowers points
    assert progress.coins == 70
    with app.db.reading() as session:
        event = session.scalar(select(Event).where(Event.type == "reward_purchase"))
        assert event is not None and event.meta == {"reward_id": 1, "cost": 50}
        assert event.key == bought.purchase.key
    assert app.rewards.summary() == RewardsSummaryDTO(coins=70, spent=50, purchases=1)


def test_too_few_coins_is_bad_input_and_writes_nothing(play: Any) -> None:
    play.grant(10)
    play.app.rewards.add("Trip", 50)
    before = counts(play)
    with pytest.raises(ValidationError) as caught:
        play.app.rewards.buy("Trip")
    assert str(caught.value) == "coins: 40 short"
    assert counts(play) == before


def test_once_only_reward_is_bought_once_until_refunded(play: Any) -> None:
    play.grant(100)
    app = play.app
    app.rewards.add("Book", 10, once=True)
    first = app.rewards.buy("book")  # names match without regard to case
    with pytest.raises(ValidationError, match="once-only"):
        app.rewards.buy("Book")
    [listed] = app.rewards.list()
    assert (listed.bought, listed.affordable, listed.repeatable) == (1, False, False)
    refund = app.rewards.refund(first.purchase.id)
    assert refund.coins == 100 and refund.purchase.refunded_at is not None
    assert list(refund.to_json())[-2:] == ["refund_event_id", "coins"]
    with pytest.raises(ValidationError, match="already refunded"):
        app.rewards.refund(first.purchase.id)
    app.rewards.buy("Book")  # a refunded purchase no longer counts
    assert app.rewards.coins() == 90


def test_a_reversal_can_make_coins_negative(play: Any) -> None:
    task, done = play.task()
    earned = play.total()
    app = play.app
    app.rewards.add("All of it", earned)
    app.rewards.buy("All of it")
    assert app.rewards.coins() == 0
    play.reopen(Kind.TASK, task)
    kept = play.total()  # the first_step achievement is kept, the task's points are not
    assert 0 < kept < earned
    assert app.reads.progress().coins == kept - earned < 0
    assert app.rewards.coins() == kept - earned


@pytest.mark.parametrize(("name", "cost", "field"), [
    ("", 5, "name"), ("x" * 101, 5, "name"), ("ok", 0, "cost"), ("ok", 100_001, "cost"),
    ("ok", "ten", "cost"), ("ok", True, "cost")])
def test_bad_rewards_are_refused(play: Any, name: str, cost: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        play.app.rewards.add(name, cost)
    assert caught.value.field == field
    assert play.app.rewards.list() == []


def test_bounds_are_accepted(play: Any) -> None:
    play.app.rewards.add("x" * 100, 100_000)
    play.app.rewards.add("y", 1)
    assert [r.cost for r in play.app.rewards.list()] == [1, 100_000]


def test_duplicate_names_and_removal(play: Any) -> None:
    play.grant(30)
    app = play.app
    app.rewards.add("Walk", 10)
    with pytest.raises(ValidationError, match="already exists"):
        app.rewards.add("walk", 20)
    app.rewards.buy("Walk")
    removed = app.rewards.remove("Walk")
    assert app.rewards.list() == []
    with pytest.raises(NotFoundError):
        app.rewards.buy("Walk")
    assert [p.reward for p in app.rewards.purchases()] == ["Walk"]  # history stays
    app.rewards.add("Walk", 5)  # the name is free again
    with pytest.raises(ValidationError, match="already exists"):
        app.rewards.restore(removed.id)


def test_reward_events_cannot_be_logged_by_hand(play: Any) -> None:
    with pytest.raises(ValidationError, match="logged by Momentum itself"):
        play.app.events.process_event("reward_purchase", {"reward_id": 1, "cost": 1})
    with pytest.raises(ValidationError, match="built-in"):
        play.app.events.add_type("reward_refund", 5)


def test_doctor_replays_past_purchases_and_checks_them(play: Any) -> None:
    play.grant(60)
    app = play.app
    app.rewards.add("Nap", 20)
    first = app.rewards.buy("Nap")
    second = app.rewards.buy("Nap")
    app.rewards.refund(second.purchase.id)
    report = app.doctor.run()
    assert report.ok, report.to_json()
    with app.db.transaction() as session:
        session.execute(update(RewardPurchase).where(RewardPurchase.id == 1).values(cost=5))
    assert app.doctor.run().integrity == [
        f"reward purchase 1 does not match its reward_purchase event {first.purchase.event_id}"]
    with app.db.transaction() as session:
        session.execute(update(RewardPurchase).where(RewardPurchase.id == 1).values(cost=20))
        session.execute(RewardPurchase.__table__.delete().where(RewardPurchase.id == 2))
    problems = app.doctor.run().integrity
    assert sum("has no purchase row" in p for p in problems) == 2  # its purchase and refund
