#!/usr/bin/env bash
# Builds a local stand-in for the distroless Node.js base image, for machines that can reach
# no registry: this machine's node binary and the libraries ldd lists for it, laid out as the
# distroless image is (node at /nodejs/bin/node, user nonroot with uid 65532, no shell), and
# imported as one layer. The stage Dockerfiles take it as their NODE_BASE build argument.
#
#   bash tools/containers/stand-in-base.sh [IMAGE]     (default localhost/wordbatch-node-base:test)
#
# Needs podman (import with LABEL changes). Does nothing when IMAGE already holds this node.
set -euo pipefail

image=${1:-localhost/wordbatch-node-base:test}
engine=${CONTAINER_ENGINE:-podman}
node_bin=$(readlink -f "$(command -v node)")
node_sha=$(sha256sum "$node_bin" | cut -c1-64)

current=$("$engine" image inspect --format '{{index .Labels "wordbatch.node-sha256"}}' "$image" 2>/dev/null || true)
if [ "$current" = "$node_sha" ]; then
  echo "stand-in base $image is up to date ($node_bin $(node --version))"
  exit 0
fi

rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
install -D -m 0755 "$node_bin" "$rootfs/nodejs/bin/node"
# ldd prints "name => /path (address)" for libraries and "/path (address)" for the loader.
for library in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
  install -D -m 0755 "$(readlink -f "$library")" "$rootfs$library"
done
mkdir -p "$rootfs/etc" "$rootfs/home/nonroot" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
chown 65532:65532 "$rootfs/home/nonroot"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"

tar -C "$rootfs" --numeric-owner -c . | "$engine" import \
  --change 'USER 65532' \
  --change 'WORKDIR /home/nonroot' \
  --change 'ENTRYPOINT ["/nodejs/bin/node"]' \
  --change "LABEL wordbatch.node-sha256=$node_sha" \
  --quiet - "$image" >/dev/null
echo "stand-in base $image: $node_bin $(node --version), $(du -sh "$rootfs" | cut -f1)"
