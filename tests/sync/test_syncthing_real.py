"""Sync through a folder that a real Syncthing carries between two computers.

Two Syncthing instances run on loopback, each with its own home (certificate, config), a
listen address and a REST/GUI address on free 127.0.0.1 ports, discovery, relays, NAT,
usage reporting and upgrades off, the other device introduced by its id and one shared
folder (rescan every second, file watcher on). Two Momentum databases each use their own
copy of that folder: they work offline (a conflicting edit of the same task on both, the
same task completed on both), run ``momentum sync --folder``, wait until Syncthing says it
delivered (REST polled against a deadline), sync again and must then agree: the same
source rows by uid and derived state, the same progress and streaks, doctor clean.

The ``syncthing`` binary comes from scripts/system-deps.sh (Debian's package); without it
the test is skipped with that reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from sync_support import cli, explain, snapshot

SYNCTHING = shutil.which("syncthing")
pytestmark = pytest.mark.skipif(
    SYNCTHING is None, reason="the syncthing binary is missing (scripts/system-deps.sh installs it)")

FOLDER_ID = "momentum"
DEADLINE_S = 45.0
T0 = "2026-03-02T09:00:00+00:00"
T1 = "2026-03-02T10:00:00+00:00"
T2 = "2026-03-02T11:00:00+00:00"
T3 = "2026-03-02T12:00:00+00:00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Node:
    """One Syncthing instance: its home, ports, device id and shared folder."""

    name: str
    home: Path
    folder: Path
    listen: int = field(default_factory=free_port)
    gui: int = field(default_factory=free_port)
    api_key: str = field(default_factory=lambda: secrets.token_hex(16))
    device_id: str = ""
    process: subprocess.Popen[bytes] | None = None
    log: Any = None

    def generate(self) -> None:
        done = subprocess.run([str(SYNCTHING), "generate", "--home", str(self.home),
                               "--no-default-folder"], capture_output=True, text=True,
                              timeout=60, check=True)
        found = re.search(r"Device ID:\s*([A-Z0-9-]{63})", done.stdout + done.stderr)
        assert found, done.stdout + done.stderr
        self.device_id = found.group(1)

    def write_config(self, peer: "Node") -> None:
        version = re.search(r'<configuration version="(\d+)"',
                            (self.home / "config.xml").read_text()).group(1)  # type: ignore[union-attr]
        devices = "".join(
            f'<device id="{node.device_id}" name="{node.name}" compression="metadata" '
            f'introducer="false"><address>tcp://127.0.0.1:{node.listen}</address></device>'
            for node in (self, peer))
        shared = "".join(f'<device id="{node.device_id}"></device>' for node in (self, peer))
        (self.home / "config.xml").write_text(f"""<configuration version="{version}">
<folder id="{FOLDER_ID}" label="Momentum" path="{self.folder}" type="sendreceive"
        rescanIntervalS="1" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false"
        autoNormalize="true">
  <filesystemType>basic</filesystemType>{shared}
  <minDiskFree unit="%">0</minDiskFree>
</folder>
{devices}
<gui enabled="true" tls="false"><address>127.0.0.1:{self.gui}</address>
  <apikey>{self.api_key}</apikey></gui>
<options>
  <listenAddress>tcp://127.0.0.1:{self.listen}</listenAddress>
  <globalAnnounceEnabled>false</globalAnnounceEnabled>
  <localAnnounceEnabled>false</localAnnounceEnabled>
  <relaysEnabled>false</relaysEnabled>
  <natEnabled>false</natEnabled>
  <urAccepted>-1</urAccepted>
  <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
  <startBrowser>false</startBrowser>
  <crashReportingEnabled>false</crashReportingEnabled>
  <minHomeDiskFree unit="%">0</minHomeDiskFree>
</options>
</configuration>
""")

    def start(self, log: Path) -> None:
        env = dict(os.environ, STNOUPGRADE="1", STNORESTART="1", STNODEFAULTFOLDER="1")
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [str(SYNCTHING), "serve", "--home", str(self.home), "--no-browser",
             "--no-restart", "--no-upgrade"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.log is not None:
            self.log.close()

    def rest(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui}{path}", method=method,
                                         headers={"X-API-Key": self.api_key})
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body.strip() else None


def tree(folder: Path) -> dict[str, str]:
    """Every file Syncthing should carry, by relative path, with its content hash."""
    out = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not rel.startswith(".stfolder") and ".syncthing." not in rel \
                and "~syncthing~" not in rel:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def wait_until(what: str, check: Any, deadline: float) -> None:
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last is True:
                return
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            last = exc
        time.sleep(0.2)  # polling Syncthing, not waiting for our own code
    raise AssertionError(f"Syncthing: {what} not reached before the deadline (last: {last})")


def delivered(a: Node, b: Node) -> None:
    """Both folders hold the same files and both Syncthings say they need nothing."""
    for node in (a, b):
        node.rest(f"/rest/db/scan?folder={FOLDER_ID}", method="POST")

    def settled() -> Any:
        if tree(a.folder) != tree(b.folder):
            return "folders differ"
        for node, peer in ((a, b), (b, a)):
            status = node.rest(f"/rest/db/status?folder={FOLDER_ID}")
            if status["state"] != "idle" or status["needTotalItems"] != 0:
                return f"{node.name}: {status['state']}, needs {status['needTotalItems']}"
            done = node.rest(f"/rest/db/completion?folder={FOLDER_ID}&device={peer.device_id}")
            if done["completion"] < 100 or done["needItems"] != 0:
                return f"{peer.name} seen from {node.name}: {done['completion']}%"
        return tree(a.folder) == tree(b.folder) or "folders differ"

    wait_until("both folders delivered", settled, time.monotonic() + DEADLINE_S)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    a = Node("a", tmp_path / "st-a", tmp_path / "Sync-a")
    b = Node("b", tmp_path / "st-b", tmp_path / "Sync-b")
    for node in (a, b):
        node.folder.mkdir()
        node.generate()
    a.write_config(b)
    b.write_config(a)
    try:
        for node in (a, b):
            node.start(tmp_path / f"syncthing-{node.name}.log")
        deadline = time.monotonic() + DEADLINE_S

        def connected() -> Any:
            for node, peer in ((a, b), (b, a)):
                links = node.rest("/rest/system/connections")["connections"]
                if not links.get(peer.device_id, {}).get("connected"):
                    return f"{node.name} not connected to {peer.name}"
            return True

        wait_until("the two devices connected", connected, deadline)
        yield a, b
    finally:
        for node in (a, b):
            node.stop()


def sync(db: Path, node: Node, now: str) -> dict:
    return cli(db, "sync", "--folder", str(node.folder), "--json", now=now).json()


def test_two_replicas_converge_through_real_syncthing(pair, tmp_path):
    a, b = pair
    db_a, db_b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    cli(db_a, "task", "add", "Shared report", "--complexity", "3", now=T0).ok()
    sync(db_a, a, T0)
    delivered(a, b)
    got = sync(db_b, b, T0)
    assert got["received"]["created tasks"] == 1

    # offline on both: own work, a conflicting edit and the same completion
    cli(db_a, "task", "add", "Only on A", now=T1).ok()
    cli(db_a, "task", "done", "2", now=T1).ok()
    cli(db_a, "task", "edit", "1", "--title", "Title from A", now=T1).ok()
    cli(db_a, "task", "done", "1", now=T1).ok()
    cli(db_b, "task", "add", "Only on B", "--complexity", "2", now=T2).ok()
    cli(db_b, "task", "edit", "1", "--title", "Title from B", now=T2).ok()  # the later edit
    cli(db_b, "task", "done", "1", now=T2).ok()

    sync(db_a, a, T2)
    sync(db_b, b, T2)
    delivered(a, b)
    reports = [sync(db_a, a, T3), sync(db_b, b, T3)]
    delivered(a, b)
    reports += [sync(db_a, a, T3), sync(db_b, b, T3)]

    first, second = snapshot(db_a), snapshot(db_b)
    assert first == second, explain(first, second)
    titles = {t["title"]: t["status"]
              for t in cli(db_a, "task", "list", "--status", "all", "--json", now=T3).json()}
    assert titles == {"Title from B": "done", "Only on A": "done", "Only on B": "open"}
    for command in (("progress", "--json"), ("streaks", "--json")):
        left = cli(db_a, *command, now=T3).json()
        right = cli(db_b, *command, now=T3).json()
        assert left == right, command
    for db in (db_a, db_b):
        assert cli(db, "doctor", "--json", now=T3).json()["ok"]
        ledger = cli(db, "history", "--json", now=T3).json()
        # the task completed on both computers is paid once (plus the one done on A)
        assert sum(1 for line in ledger if line["source"] == "task_completion") == 2
    # Syncthing's conflict copies (if it made any) are ignored by sync and reported
    copies = {p.name for n in (a, b) for p in n.folder.rglob("*.sync-conflict-*")}
    reported = " ".join(str(note) for report in reports for note in report["ignored"])
    assert all(name in reported for name in copies), (copies, reported)
