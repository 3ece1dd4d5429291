#!/usr/bin/env bash
# Install Prometheus and promtool (Debian's `prometheus` package) unless both are already on PATH.
# Needs root (CI and the project's machines run as root). Usage: bash deploy/prometheus/install.sh
set -euo pipefail
if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  echo "prometheus present: $(prometheus --version 2>&1 | head -n1)"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "no prometheus/promtool on PATH and no apt-get to install them: install Prometheus 2.x by hand" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine: update once if the first try fails.
apt-get install -y -q --no-install-recommends prometheus >/dev/null \
  || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends prometheus >/dev/null; }
# The package's service is not wanted: tests start their own server on a free port.
if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl stop prometheus || true
fi
echo "prometheus installed: $(prometheus --version 2>&1 | head -n1)"
