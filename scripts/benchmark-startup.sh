#!/usr/bin/env bash
# Warm start of the build: `./build.sh --help` with nothing changed since the last run, next to
# `dotnet run --project build/_build.csproj -- --help`, and their ratio (goal: at most 1/3).
# Uses hyperfine when installed, else a loop timed with `date +%s%N`.
#   scripts/benchmark-startup.sh [runs]        (default: 10 runs each, after 2 warm-up runs)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-10}"
cd "$ROOT"

BOOTSTRAP="./build.sh --help"
DOTNET_RUN="dotnet run --project build/_build.csproj -- --help --root $ROOT"

# Warm both paths: build.sh compiles when its sources changed, dotnet run restores and builds once.
$BOOTSTRAP >/dev/null 2>&1
$DOTNET_RUN >/dev/null 2>&1

# Mean wall-clock milliseconds of a command.
mean_ms() {
    local command="$1"
    if command -v hyperfine >/dev/null 2>&1; then
        local json
        json="$(mktemp)"
        hyperfine --warmup 2 --runs "$RUNS" --style none --export-json "$json" "$command" >/dev/null
        sed -n 's/.*"mean": *\([0-9.e+-]*\).*/\1/p' "$json" | head -n 1 | awk '{ printf "%d", $1 * 1000 }'
        rm -f "$json"
    else
        local start end total=0 i
        for i in 1 2; do $command >/dev/null 2>&1; done
        for ((i = 0; i < RUNS; i++)); do
            start=$(date +%s%N)
            $command >/dev/null 2>&1
            end=$(date +%s%N)
            total=$((total + (end - start) / 1000000))
        done
        echo $((total / RUNS))
    fi
}

bootstrap_ms="$(mean_ms "$BOOTSTRAP")"
dotnet_run_ms="$(mean_ms "$DOTNET_RUN")"

printf '%-60s %8s ms\n' "warm start: $BOOTSTRAP" "$bootstrap_ms"
printf '%-60s %8s ms\n' "dotnet run --project build/_build.csproj -- --help" "$dotnet_run_ms"
awk -v a="$bootstrap_ms" -v b="$dotnet_run_ms" 'BEGIN {
    ratio = a / b
    printf "ratio: %.2f (goal: at most 0.33) -> %s\n", ratio, (ratio <= 1 / 3 ? "met" : "NOT met")
}'
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
