#!/bin/sh
# The browser tests drive Debian's Chromium (Playwright's own download cannot be fetched here).
# Installs it when missing and we are root; otherwise stops and says how. Never skips the tests.
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found at $CHROMIUM: installing it (apt-get install -y chromium)"
  apt-get update && apt-get install -y chromium && exit 0
  echo "apt-get install -y chromium failed" >&2
  exit 1
fi
echo "Chromium not found at $CHROMIUM. Install it first:  sudo apt-get install -y chromium" >&2
exit 1
