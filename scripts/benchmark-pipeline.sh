#!/usr/bin/env bash
# Prints the pipeline's figures side by side, from one run on a fresh clone of this repository:
#   cold `Test Coverage Lint` with --parallel 1 and with the default parallelism (both without the cache),
#   the same command with an empty cache store (it records the entries), the no-op rerun (every cacheable target
#   a hit) and the rerun after a one-line change in src/ExampleService (the targets whose inputs hold it run again).
# Usage: scripts/benchmark-pipeline.sh [repository]   (default: this checkout's committed HEAD)
set -euo pipefail

source_repo=${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$source_repo" "$work/clone"
cd "$work/clone"
# Helm, Node and the CI validators are fetched once per checkout; a fresh clone would time that download too.
if [ -d "$source_repo/.tools" ]; then
    cp -a "$source_repo/.tools" .
fi
./build.sh --help >/dev/null 2>&1   # compiles the build definition, which every figure below would otherwise include

declare -a names figures
measure() {
    local name=$1
    shift
    local start end status
    start=$(date +%s.%N)
    if ./build.sh "$@" >"$work/out.log" 2>"$work/err.log"; then status=ok; else status="exit $?"; fi
    end=$(date +%s.%N)
    names+=("$name")
    figures+=("$(printf '%7.1f s  %-8s %s' "$(echo "$end - $start" | bc)" "$status" "$(grep -c '│ Cached' "$work/err.log" || true) cached")")
}

measure "cold, --parallel 1, --no-cache" Test Coverage Lint --parallel 1 --no-cache
measure "cold, default parallelism, --no-cache" Test Coverage Lint --no-cache
measure "empty store (records entries)" Test Coverage Lint
measure "no-op rerun" Test Coverage Lint
echo '// benchmark: a one-line change' >>src/ExampleService/Program.cs
measure "after a one-line change in src/ExampleService" Test Coverage Lint

echo "Test Coverage Lint on $(nproc) cores ($(dotnet --version)), $(date -u '+%Y-%m-%d %H:%M UTC'):"
for i in "${!names[@]}"; do
    printf '  %-48s %s\n' "${names[$i]}" "${figures[$i]}"
done
