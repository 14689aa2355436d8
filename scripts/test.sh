#!/usr/bin/env bash
# Install everything the test suite needs (Debian chromium for the browser tests,
# geomap with its test extras in .venv) and run the whole suite.
# This is README command (2); .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
bash scripts/venv.sh test
exec .venv/bin/python -m pytest "$@"
