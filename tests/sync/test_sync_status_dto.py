"""``sync.status()`` is a frozen :class:`SyncStatusDTO` (issue 15: no dict crosses the
seam): its last report is a :class:`SyncReport` and its time a ``datetime``, and its
``to_json`` is exactly what the status was as a dict (the stored report, the ISO time)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from momentum_app.core.services.sync import SyncReport, SyncStatusDTO
from sync_support import Replica

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_the_status_is_typed_and_its_json_is_the_stored_row(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    replica = Replica(tmp_path / "a.sqlite3", START)
    try:
        assert replica.app.sync.status() is None  # never synced
        task = replica.app.items.add_task("travels")
        assert task.id
        report = replica.sync(folder)
        status = replica.app.sync.status()
        assert isinstance(status, SyncStatusDTO)
        assert status.folder == str(folder) and status.replica == report.replica
        assert status.last_sync_at == START
        assert isinstance(status.last_report, SyncReport)
        assert status.last_report.sent == report.sent and status.last_report.sent
        with pytest.raises(dataclasses.FrozenInstanceError):
            status.folder = "elsewhere"  # type: ignore[misc]
        with replica.db.reading() as session:
            replica_id, stored_folder, stored_report = session.execute(text(
                "SELECT replica_id, folder, last_report FROM sync_replica")).one()
        # byte-compatible with the dict the status was: the stored report as it is kept
        assert json.dumps(status.to_json()) == json.dumps({
            "replica": replica_id, "folder": stored_folder,
            "last_sync_at": START.isoformat(), "last_report": json.loads(stored_report)})
    finally:
        replica.close()
