# Sourced by ci-images.sh and rehearsal/rehearse.sh (from the repository root, as root):
# installs podman and runc when they are missing, configures podman for this machine and
# builds the stand-in Node.js base (no registry is reachable here). Safe to run again.

if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
  echo "podman-setup: installing podman and runc"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq podman runc >/dev/null
fi

# crun, podman's first choice, does not work on these machines; runc does. podman's default
# open-files limit for a container is above this machine's hard limit (20000), and runc
# cannot raise it ("error setting rlimit type 7"), so containers get the machine's own.
export CONTAINERS_CONF="$PWD/tmp/containers/containers.conf"
mkdir -p "$(dirname "$CONTAINERS_CONF")"
cat >"$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=20000:20000"]

[engine]
runtime = "runc"
CONF

export CONTAINER_ENGINE=podman
export WORDBATCH_NODE_BASE=localhost/wordbatch-node-base:test
bash tools/containers/stand-in-base.sh "$WORDBATCH_NODE_BASE"
