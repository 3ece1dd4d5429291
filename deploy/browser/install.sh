#!/usr/bin/env bash
# Install Chromium and its WebDriver (Debian's `chromium` and `chromium-driver` packages) unless both are on PATH.
# The page's browser test (tests/integration/test_page_browser.py) drives them with Selenium.
# Needs root (CI and the project's machines run as root). Usage: bash deploy/browser/install.sh
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  echo "chromium present: $(chromium --version 2>/dev/null | head -n1)"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "no chromium/chromedriver on PATH and no apt-get to install them: install Chromium and chromedriver by hand" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine: update once if the first try fails.
apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null; }
echo "chromium installed: $(chromium --version 2>/dev/null | head -n1)"
