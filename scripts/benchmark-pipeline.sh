#!/usr/bin/env bash
# Prints the pipeline's figures side by side, from one run on a fresh clone of this repository:
#   cold `Test Coverage Lint` with --parallel 1 and with the default parallelism (both without the cache),
#   the same command with an empty cache store (it records the entries, locally and in a remote store), the no-op
#   rerun (every cacheable target a hit), the rerun after a one-line change in src/ExampleService (the targets whose
#   inputs hold it run again), and a second clone in another folder, with an empty local store, whose first run
#   restores from the remote store (a throwaway Debian docker-registry on a free loopback port).
# Usage: scripts/benchmark-pipeline.sh [repository]   (default: this checkout's committed HEAD)
# Needs Debian's docker-registry (apt-get install docker-registry), as the build's own registry does.
set -euo pipefail

source_repo=${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}
work=$(mktemp -d)
registry_pid=
trap '[ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null; rm -rf "$work"' EXIT

# The remote cache store: a registry of its own, so no earlier run's entries count.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/registry-data"
cat >"$work/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/registry-data
http:
  addr: 127.0.0.1:$port
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
export TYPEDBUILD_CACHE_REGISTRY="127.0.0.1:$port/benchmark-build-cache"

prepare_clone() {
    git clone --quiet "$source_repo" "$1"
    # Helm, Node and the CI validators are fetched once per checkout; a fresh clone would time that download too.
    if [ -d "$source_repo/.tools" ]; then
        cp -a "$source_repo/.tools" "$1/"
    fi
    (cd "$1" && ./build.sh --help >/dev/null 2>&1)   # compiles the build definition, which every figure below would otherwise include
}

prepare_clone "$work/clone"
cd "$work/clone"

# Busy and total jiffies of all cores (/proc/stat: idle and iowait are the 4th and 5th figures).
cpu_jiffies() { awk '/^cpu / { total = 0; for (i = 2; i <= NF; i++) total += $i; print total - $5 - $6, total }' /proc/stat; }

declare -a names figures
measure() {
    local name=$1
    shift
    local start end status busy_before total_before busy_after total_after
    read -r busy_before total_before < <(cpu_jiffies)
    start=$(date +%s.%N)
    if ./build.sh "$@" >"$work/out.log" 2>"$work/err.log"; then status=ok; else status="exit $?"; fi
    end=$(date +%s.%N)
    read -r busy_after total_after < <(cpu_jiffies)
    names+=("$name")
    # How busy the cores were: a run that kept them X% busy one target at a time cannot, by running targets at once
    # on the same cores, take less than X% of its time.
    figures+=("$(printf '%7.1f s  %-8s cores %3s%% busy  %2s cached, %2s of them from the remote store' "$(echo "$end - $start" | bc)" "$status" \
        "$(( 100 * (busy_after - busy_before) / (total_after - total_before) ))" \
        "$(grep -c '│ Cached' "$work/err.log" || true)" "$(grep -c 'from the remote store' "$work/err.log" || true)")")
}

measure "cold, --parallel 1, --no-cache" Test Coverage Lint --parallel 1 --no-cache
measure "cold, default parallelism, --no-cache" Test Coverage Lint --no-cache
measure "empty store (records entries)" Test Coverage Lint
measure "no-op rerun" Test Coverage Lint
echo '// benchmark: a one-line change' >>src/ExampleService/Program.cs
measure "after a one-line change in src/ExampleService" Test Coverage Lint

# The first clone's committed state is in the remote store; a second clone has its own empty local store.
prepare_clone "$work/second-clone"
cd "$work/second-clone"
measure "second clone, empty local store, remote store" Test Coverage Lint

echo "Test Coverage Lint on $(nproc) cores, remote store ${TYPEDBUILD_CACHE_REGISTRY%%/*} ($(dotnet --version)), $(date -u '+%Y-%m-%d %H:%M UTC'):"
for i in "${!names[@]}"; do
    printf '  %-48s %s\n' "${names[$i]}" "${figures[$i]}"
done
