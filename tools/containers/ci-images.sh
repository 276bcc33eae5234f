#!/usr/bin/env bash
# The container-image suite, from a clean clone, as root: installs podman and runc when they
# are missing, configures podman for this machine, builds the stand-in Node.js base (no
# registry is reachable here), then builds the three stage images and runs them end to end
# (`nx run e2e-images:test-images`). Safe to run again; `npm run test:images` runs it too.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS

source tools/containers/podman-setup.sh

export NX_DAEMON=false
npx nx run e2e-images:test-images --outputStyle=static
echo "ci-images: done in $((SECONDS - started)) s"
