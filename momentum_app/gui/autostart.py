"""The XDG autostart entry (SPEC v2 §12): "Start Momentum when I log in".

``$XDG_CONFIG_HOME/autostart/momentum.desktop`` (``~/.config`` when unset), per the XDG
Autostart specification. Switching it off removes the file; a file a person wrote
themselves (without our marker key) is left alone and reported as on.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

FILENAME = "momentum.desktop"
MARKER = "X-Momentum-Autostart=true"


def entry_path(environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "autostart" / FILENAME


def command() -> str:
    """How to start Momentum again: the installed script when there is one."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "momentum" and script.exists():
        return shlex.quote(str(script.resolve()))
    return f"{shlex.quote(sys.executable)} -m momentum_app"


def entry_text(exec_line: str) -> str:
    return "\n".join([
        "[Desktop Entry]", "Type=Application", "Name=Momentum",
        "Comment=Gamified task planner: reminders and your day at a glance",
        f"Exec={exec_line}", "Icon=momentum", "Terminal=false", "Categories=Office;",
        "X-GNOME-Autostart-enabled=true", MARKER, ""])


def is_enabled(environ: dict[str, str] | None = None) -> bool:
    return entry_path(environ).is_file()


def set_enabled(enabled: bool, environ: dict[str, str] | None = None,
                exec_line: str | None = None) -> Path:
    path = entry_path(environ)
    if enabled:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(entry_text(exec_line or command()), encoding="utf-8")
        temporary.replace(path)
    elif path.is_file() and MARKER in path.read_text(encoding="utf-8", errors="replace"):
        path.unlink()
    return path
