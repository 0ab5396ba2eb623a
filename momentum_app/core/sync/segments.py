"""The folder: each replica's segment files and manifest, and what sync tools leave.

Layout (one sub-folder per replica, written only by that replica)::

    FOLDER/<replica id>/manifest.json          {"momentum_sync": 1, "replica": …, "segments": N}
    FOLDER/<replica id>/seg-00000001.msync     one segment per sync that had changes

A segment is text, one line each: a header (JSON: format, replica, segment number,
record count, cipher), then one line per record — ``<crc32> <payload>`` where the
payload is the record's JSON, or with a passphrase ``base64(nonce ‖ AES-256-GCM
ciphertext)`` bound to (replica, segment, line) — and a last line ``end <count>``. A
file without its end line, with a wrong count or a wrong checksum is **damaged** (a
half-copied file): skipped, reported, read again next time. A header whose format is
newer than :data:`FORMAT` is skipped with a clear message; nothing of it is applied.

Files are written to a temporary name in the same folder, fsynced, then renamed, so a
reader (or the sync tool) never sees half of one. Conflict copies and temporary files of
Syncthing, Dropbox and Nextcloud are listed as ignored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The format this version writes and reads. A newer one is skipped with a message.
FORMAT = 1
MANIFEST = "manifest.json"
SEGMENT = re.compile(r"^seg-(\d{8})\.msync$")
SNAPSHOT = re.compile(r"^snap-(\d{8})\.msnap$")
REPLICA = re.compile(r"^[0-9a-f]{32}$")
#: Files sync tools leave, by pattern, with what they are.
LEFTOVERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\.sync-conflict-"), "a Syncthing conflict copy"),
    (re.compile(r"^\.syncthing\..*\.tmp$"), "a Syncthing temporary file"),
    (re.compile(r"^~syncthing~.*\.tmp$"), "a Syncthing temporary file"),
    (re.compile(r"conflicted copy", re.IGNORECASE), "a Dropbox conflicted copy"),
    (re.compile(r"\.part$"), "a Nextcloud partial download"),
    (re.compile(r"^\.tmp-"), "a temporary file of a Momentum writing now (or interrupted)"),
)
#: Files that are the sync tool's own and not worth a note.
QUIET = frozenset({".stfolder", ".stignore", ".stversions", ".dropbox", ".sync"})
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
CIPHER = "AES-256-GCM"


class SegmentError(Exception):
    """A segment that cannot be read now (``kind``: damaged, newer)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class PassphraseError(Exception):
    """The folder's segments are encrypted and the passphrase is missing or wrong."""


# --- encryption -----------------------------------------------------------------------------


def _salt(replica: str) -> bytes:
    return hashlib.sha256(f"momentum-sync:{replica}".encode()).digest()[:16]


class Keys:
    """AES-256-GCM keys from one passphrase (scrypt, a salt per replica; cached)."""

    def __init__(self, passphrase: str | None) -> None:
        self.passphrase = passphrase
        self._keys: dict[str, Any] = {}

    def aead(self, replica: str) -> Any:
        if self.passphrase is None:
            raise PassphraseError("the folder's changes are encrypted: give the passphrase "
                                  "with --passphrase-file")
        found = self._keys.get(replica)
        if found is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415
            from cryptography.hazmat.primitives.kdf.scrypt import Scrypt  # noqa: PLC0415

            key = Scrypt(salt=_salt(replica), length=32, n=SCRYPT_N, r=SCRYPT_R,
                         p=SCRYPT_P).derive(self.passphrase.encode())
            found = self._keys[replica] = AESGCM(key)
        return found


def _aad(replica: str, segment: int, line: int) -> bytes:
    return f"{replica}:{segment}:{line}".encode()


# --- writing --------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Temporary name in the same folder, fsync, rename, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (where a folder can be opened at all)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder that cannot be opened (Windows)
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def segment_name(number: int) -> str:
    return f"seg-{number:08d}.msync"


def encode_segment(replica: str, number: int, records: list[dict[str, Any]],
                   keys: Keys) -> bytes:
    encrypted = keys.passphrase is not None
    header = {"momentum_sync": FORMAT, "replica": replica, "segment": number,
              "records": len(records),
              "cipher": {"alg": CIPHER, "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R,
                         "p": SCRYPT_P} if encrypted else None}
    lines = [json.dumps(header, sort_keys=True)]
    for index, record in enumerate(records, start=1):
        payload = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
        if encrypted:
            nonce = os.urandom(12)
            sealed = keys.aead(replica).encrypt(nonce, payload.encode(),
                                                _aad(replica, number, index))
            payload = base64.b64encode(nonce + sealed).decode()
        lines.append(f"{zlib.crc32(payload.encode()):08x} {payload}")
    lines.append(f"end {len(records)}")
    return ("\n".join(lines) + "\n").encode()


def write_segment(folder: Path, replica: str, number: int, records: list[dict[str, Any]],
                  keys: Keys) -> Path:
    path = folder / replica / segment_name(number)
    write_atomic(path, encode_segment(replica, number, records, keys))
    return path


def write_manifest(folder: Path, replica: str, segments: int, written_at: str) -> None:
    manifest = {"momentum_sync": FORMAT, "replica": replica, "segments": segments,
                "written_at": written_at}
    write_atomic(folder / replica / MANIFEST,
                 (json.dumps(manifest, sort_keys=True) + "\n").encode())


# --- reading --------------------------------------------------------------------------------


def read_segment(path: Path, replica: str, number: int, keys: Keys) -> list[dict[str, Any]]:
    """The records of one segment, or :class:`SegmentError` / :class:`PassphraseError`."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise SegmentError("damaged", f"{path.name}: not text (damaged)") from None
    lines = text.split("\n")
    try:
        header = json.loads(lines[0])
    except (json.JSONDecodeError, IndexError):
        raise SegmentError("damaged", f"{path.name}: no readable header") from None
    if not isinstance(header, dict) or "momentum_sync" not in header:
        raise SegmentError("damaged", f"{path.name}: not a Momentum segment")
    if not isinstance(header["momentum_sync"], int) or header["momentum_sync"] > FORMAT:
        raise SegmentError(
            "newer", f"{path.name} was written by a newer Momentum (sync format "
            f"{header['momentum_sync']}, this one reads {FORMAT}): update Momentum on this "
            "computer; nothing of it was applied")
    if header.get("replica") != replica or header.get("segment") != number:
        raise SegmentError("damaged", f"{path.name}: its header names another file")
    count = header.get("records")
    if not lines or len(lines) < 2 or lines[-1] != "" or lines[-2] != f"end {count}" \
            or len(lines) != int(count or 0) + 3:
        raise SegmentError("damaged", f"{path.name}: incomplete (still being copied?)")
    encrypted = header.get("cipher") is not None
    if encrypted and keys.passphrase is None:
        raise PassphraseError(f"{replica[:8]}'s changes are encrypted: give the passphrase "
                              "with --passphrase-file")
    records = []
    for index, line in enumerate(lines[1:-2], start=1):
        crc, _, payload = line.partition(" ")
        if crc != f"{zlib.crc32(payload.encode()):08x}":
            raise SegmentError("damaged", f"{path.name}: record {index} has a wrong checksum")
        if encrypted:
            from cryptography.exceptions import InvalidTag  # noqa: PLC0415

            try:
                raw = base64.b64decode(payload)
                payload = keys.aead(replica).decrypt(raw[:12], raw[12:],
                                                     _aad(replica, number, index)).decode()
            except InvalidTag:
                raise PassphraseError(
                    f"wrong passphrase: {path.name} of {replica[:8]} cannot be decrypted "
                    "with it") from None
        try:
            records.append(json.loads(payload))
        except json.JSONDecodeError:
            raise SegmentError("damaged", f"{path.name}: record {index} is not JSON") from None
    return records


def is_encrypted(path: Path) -> bool:
    """Whether a segment's header names a cipher (an unreadable header: not known, no)."""
    try:
        with path.open("rb") as handle:
            header = json.loads(handle.readline(65536).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(header, dict) and header.get("cipher") is not None


@dataclass
class FolderScan:
    """What a folder holds: each replica's segment numbers, and what was ignored."""

    segments: dict[str, dict[int, Path]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    #: Each replica's snapshots (:mod:`.snapshots`), by the last segment they cover.
    snapshots: dict[str, dict[int, Path]] = field(default_factory=dict)


def leftover(name: str) -> str | None:
    for pattern, what in LEFTOVERS:
        if pattern.search(name):
            return what
    return None


def scan(folder: Path) -> FolderScan:
    result = FolderScan()
    if not folder.is_dir():
        return result
    for entry in sorted(folder.iterdir()):
        if entry.name in QUIET:
            continue
        if entry.is_dir() and REPLICA.match(entry.name):
            found = result.segments.setdefault(entry.name, {})
            for item in sorted(entry.iterdir()):
                match = SEGMENT.match(item.name)
                snap = SNAPSHOT.match(item.name)
                if match and item.is_file():
                    found[int(match.group(1))] = item
                elif snap and item.is_file():
                    result.snapshots.setdefault(entry.name, {})[int(snap.group(1))] = item
                elif item.name != MANIFEST:
                    what = leftover(item.name) or "a file Momentum does not know"
                    result.ignored.append(f"{entry.name[:8]}/{item.name}: {what}, ignored")
        else:
            what = leftover(entry.name) or "a file Momentum does not know"
            result.ignored.append(f"{entry.name}: {what}, ignored")
    return result


def contiguous(numbers: dict[int, Path], after: int) -> Iterator[tuple[int, Path]]:
    """Segments after ``after``, in order, up to the first one missing."""
    number = after + 1
    while number in numbers:
        yield number, numbers[number]
        number += 1
