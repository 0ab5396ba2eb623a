"""The gamification engine (SPEC §§2–8): a pure fold of the event log.

* :mod:`.rules` — pure functions over plain values;
* :mod:`.state` — settings and the derived state as plain values (``StateView``);
* :mod:`.step` — ``step(state, event, definitions) -> (state', effects)``, ``fold``,
  ``replay_from``: every rule, no Session, no SQL, no clock, no Qt;
* :mod:`.outcome` — the frozen result of one event.

The live path and ``momentum doctor`` (``core/services/engine_store.py``, ``doctor.py``)
load state, call ``step``/``fold`` and write the effects.
"""
