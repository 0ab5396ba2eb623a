"""Sync through a folder (SPEC v2 §13, docs/SYNC.md).

* :mod:`.registry` — which tables travel (one line each) and how a value is written;
* :mod:`.hlc` — the hybrid logical clock that stamps every change;
* :mod:`.segments` — the folder: segment files, manifests, checksums, encryption, and
  what sync tools leave behind;
* :mod:`.changes` — source data in and out: field-level operations (create, set, delete,
  restore) and events, uids for local ids;
* :mod:`.order` — the merged log in (stamp, replica) order and the fold from checkpoints.

The service that runs one sync is :mod:`..services.sync`.
"""
