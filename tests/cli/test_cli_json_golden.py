"""SPEC §7's ``--json`` stays byte for byte what it was before the reads became typed
DTOs (issue 15): every read, and the writes that return an outcome (a level-up among
them), on the demo database plus a custom achievement, through the real CLI."""

from __future__ import annotations

from pathlib import Path

from tests.cli.json_golden import build, capture

GOLDEN = Path(__file__).parent / "golden" / "demo_json.txt"


def test_every_json_output_is_byte_identical_to_main_before_the_typed_reads(tmp_path: Path
                                                                             ) -> None:
    database = tmp_path / "demo.sqlite3"
    build(database)
    got = capture(database)
    want = GOLDEN.read_text(encoding="utf-8")
    for got_block, want_block in zip(got.split("$ "), want.split("$ "), strict=True):
        assert got_block == want_block
    assert got == want
