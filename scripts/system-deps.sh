#!/usr/bin/env bash
# Debian packages Momentum's window needs, on a real screen (Qt's xcb platform plugin) and
# offscreen (the tests), plus the X server and D-Bus the tests start (xvfb, xauth, dbus).
# Installs only what is missing; does nothing on a machine that has them all.
#
# The library list is what `ldd` reports for PySide6's Qt/plugins/platforms/libqxcb.so and
# the Qt libraries it loads (libQt6XcbQpa, Gui, Widgets, DBus, Core), each mapped to the
# Debian 12 package that ships it (`dpkg -S`); see docs/DESIGN.md "A fresh machine".
# Refresh it after a PySide6 upgrade with:
#   ldd .venv/lib/python3*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so
set -euo pipefail

# library soname -> Debian package
libraries=(
  "libxcb.so.1 libxcb1"
  "libX11.so.6 libx11-6"
  "libX11-xcb.so.1 libx11-xcb1"
  "libxcb-cursor.so.0 libxcb-cursor0"
  "libxcb-icccm.so.4 libxcb-icccm4"
  "libxcb-image.so.0 libxcb-image0"
  "libxcb-keysyms.so.1 libxcb-keysyms1"
  "libxcb-randr.so.0 libxcb-randr0"
  "libxcb-render.so.0 libxcb-render0"
  "libxcb-render-util.so.0 libxcb-render-util0"
  "libxcb-shape.so.0 libxcb-shape0"
  "libxcb-shm.so.0 libxcb-shm0"
  "libxcb-sync.so.1 libxcb-sync1"
  "libxcb-util.so.1 libxcb-util1"
  "libxcb-xfixes.so.0 libxcb-xfixes0"
  "libxcb-xkb.so.1 libxcb-xkb1"
  "libxkbcommon.so.0 libxkbcommon0"
  "libxkbcommon-x11.so.0 libxkbcommon-x11-0"
  "libEGL.so.1 libegl1"
  "libGL.so.1 libgl1"
  "libGLX.so.0 libglx0"
  "libGLdispatch.so.0 libglvnd0"
  "libfontconfig.so.1 libfontconfig1"
  "libfreetype.so.6 libfreetype6"
  "libdbus-1.so.3 libdbus-1-3"
  "libglib-2.0.so.0 libglib2.0-0"
)
# program -> Debian package (the tests start a real X server and a session bus, and two
# real Syncthing instances on loopback: tests/sync/test_syncthing_real.py)
programs=(
  "Xvfb xvfb"
  "xauth xauth"
  "dbus-daemon dbus"
  "syncthing syncthing"
)

# Read the linker cache once: `ldconfig -p | grep -q` under pipefail reports a present
# library as missing whenever grep exits early and ldconfig dies of SIGPIPE.
cache="$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)"
needed=()
for entry in "${libraries[@]}"; do
  read -r soname package <<<"$entry"
  grep -qF -- "$soname " <<<"$cache" || needed+=("$package")
done
for entry in "${programs[@]}"; do
  read -r program package <<<"$entry"
  command -v "$program" >/dev/null 2>&1 || needed+=("$package")
done
[ -d /usr/share/fonts/truetype/dejavu ] || needed+=(fonts-dejavu-core)
# A new .venv needs `python3 -m venv`, which Debian and Ubuntu ship apart from Python.
if [ ! -x "$(dirname "$0")/../.venv/bin/python" ] \
    && ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  needed+=(python3-venv)
fi

if [ ${#needed[@]} -gt 0 ]; then
  echo "installing system packages: ${needed[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${needed[@]}"
fi
