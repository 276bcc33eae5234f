#!/usr/bin/env bash
# `npm run rehearse`: the deploy path end to end, without AWS (docs/aws-batch.md, "First
# deploy"). Runs the job definitions with podman as root, set up as the image suite sets it
# up (tools/containers/podman-setup.sh: apt install, containers.conf, the stand-in base),
# and makes the S3 front's certificate with openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

if ! command -v openssl >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq openssl >/dev/null
fi
source tools/containers/podman-setup.sh

export NX_DAEMON=false NX_TUI=false NX_NO_CLOUD=true
npx nx run rehearsal:rehearse --outputStyle=static
echo "rehearse: done in $((SECONDS - started)) s"
