#!/usr/bin/env bash
# Debian packages Qt needs to run offscreen (fonts, EGL/GL, xkbcommon, dbus).
# Installs only what is missing; does nothing on a machine that has them all.
set -euo pipefail
needed=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libEGL.so.1        || needed+=(libegl1)
have_lib libGL.so.1         || needed+=(libgl1)
have_lib libxkbcommon.so.0  || needed+=(libxkbcommon0)
have_lib libfontconfig.so.1 || needed+=(libfontconfig1)
have_lib libdbus-1.so.3     || needed+=(libdbus-1-3)
have_lib libglib-2.0.so.0   || needed+=(libglib2.0-0)
ls /usr/share/fonts/truetype/dejavu >/dev/null 2>&1 || needed+=(fonts-dejavu-core)
# issue 17 (reminders): the tests start their own session bus with dbus-daemon (package dbus)
command -v dbus-daemon >/dev/null 2>&1 || needed+=(dbus)
if [ ${#needed[@]} -gt 0 ]; then
  echo "installing system packages: ${needed[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${needed[@]}"
fi
