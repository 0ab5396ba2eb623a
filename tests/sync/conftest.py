"""Fixtures of the sync tests. Modules that build replicas in process define a ``world``
of their own, which takes precedence over this one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_support import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> World:
    """Three databases and one shared folder, for the command-line scenarios."""
    return make_world(tmp_path)
