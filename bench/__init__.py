"""Benchmarks of Momentum on generated histories (see bench/README.md).

* :mod:`bench.generate` builds real, migrated Momentum databases holding 10k–1M events of
  one profile, with every derived table consistent; later benchmarks reuse it.
* :mod:`bench.engine` measures the latency of one completion against history size.
"""
