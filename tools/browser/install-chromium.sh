#!/usr/bin/env bash
# Installs Debian's Chromium when it is missing, for the end-to-end test that opens the HTML
# report in a headless browser (e2e/src/report.e2e.spec.ts, driven by playwright-core at
# /usr/bin/chromium). Run as root; .ci/run runs it before `npm test`. Safe to run again.
set -euo pipefail
started=$SECONDS
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "install-chromium: installing chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
echo "install-chromium: done in $((SECONDS - started)) s"
