"""The gamification engine (SPEC §§2–8).

* :mod:`.rules` — pure functions over plain values (no Session, no clock, no Qt);
* :mod:`.outcome` — the frozen result of one event;
* :mod:`.processor` — loads a state snapshot, applies the rules, persists the outcome.
"""
