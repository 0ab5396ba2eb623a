"""The reward shop and the gamification mode survive a JSON backup and its restore."""

from __future__ import annotations

import json

from io_support import services


def test_rewards_purchases_and_game_mode_round_trip(seeded_db, empty_db, main, tmp_path):
    with services(seeded_db) as app:
        have = app.rewards.coins()
        app.rewards.add("Cinema", 20)
        app.rewards.add("Weekend away", 30, once=True)
        app.rewards.add("Old habit", 5)
        app.rewards.buy("Cinema")
        refunded = app.rewards.buy("Cinema")
        app.rewards.refund(refunded.purchase.id)
        app.rewards.buy("Weekend away")
        app.rewards.remove("Old habit")
        app.profiles.update(game_mode="quiet")
        shop = [r.to_json() for r in app.rewards.list()]
        history = [(p.reward, p.cost, p.refunded_at is not None)
                   for p in app.rewards.purchases()]
        assert app.rewards.coins() == have - 50
    backup = tmp_path / "backup.json"
    assert main(seeded_db, "export", "--format", "json", "--out", str(backup)).returncode == 0
    profile = json.loads(backup.read_text(encoding="utf-8"))["profiles"][0]
    assert profile["game_mode"] == "quiet"
    assert [r["name"] for r in profile["rewards"]] == ["Cinema", "Weekend away", "Old habit"]
    assert len(profile["reward_purchases"]) == 3

    result = main(empty_db, "import", "--format", "json", str(backup), "--json")
    assert result.returncode == 0, result.stderr
    with services(empty_db) as app:
        assert app.profiles.current().game_mode == "quiet"
        def without_id(rows):
            return [{k: v for k, v in r.items() if k != "id"} for r in rows]
        assert without_id(r.to_json() for r in app.rewards.list()) == without_id(shop)
        assert [(p.reward, p.cost, p.refunded_at is not None)
                for p in app.rewards.purchases()] == history
        # (A one-profile backup cannot replay team_player: points may differ, spending not.)
        assert app.rewards.coins() == app.reads.progress().total_points - 50
        assert app.doctor.run().ok
        # The once-only reward is still bought; the removed one stays off the shelf.
        assert [(r.name, r.bought) for r in app.rewards.list()] == [
            ("Cinema", 1), ("Weekend away", 1)]


def test_a_purchase_pointing_nowhere_is_named(seeded_db, empty_db, main, tmp_path):
    with services(seeded_db) as app:
        app.rewards.add("Cinema", 1)
        app.rewards.buy("Cinema")
    backup = tmp_path / "backup.json"
    assert main(seeded_db, "export", "--format", "json", "--out", str(backup)).returncode == 0
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["profiles"][0]["reward_purchases"][0]["reward_id"] = 999
    backup.write_text(json.dumps(document), encoding="utf-8")
    result = main(empty_db, "import", "--format", "json", str(backup))
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: profiles[0].reward_purchases[0].reward_id: "
                                  "no reward 999 in this profile of the backup")
