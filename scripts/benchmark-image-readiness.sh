#!/usr/bin/env bash
# Prints how long the service image takes from `docker run` to its first ready answer (/health/ready = 200),
# run the way the local deployment runs it (read-only root, tmpfs /tmp, SQLite in a fresh volume), with
# credentials as a cluster gives them: the hash of a fresh API key (the key itself is never printed nor used).
#
#   scripts/benchmark-image-readiness.sh [image-reference] [runs]
#
# The image defaults to the digest the last Push recorded in artifacts/image.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="${1:-}"
runs="${2:-5}"
if [[ -z "$image" ]]; then
  [[ -f "$root/artifacts/image.json" ]] || { echo "No image given and no artifacts/image.json: run ./build.sh Push first." >&2; exit 2; }
  image="$(jq -r .reference "$root/artifacts/image.json")"
fi

# Production refuses to start without credentials; readiness itself needs none.
key_hash="$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n' | sha256sum | cut -d' ' -f1)"
credentials=(-e Authentication__ApiKeys__0__Id=readiness-benchmark -e "Authentication__ApiKeys__0__Sha256=$key_hash"
  -e "Authentication__ApiKeys__0__Scopes=users.read")

port=$((20000 + RANDOM % 20000))
times=()
for run in $(seq 1 "$runs"); do
  name="readiness-benchmark-$$-$run"
  start=$(date +%s%N)
  docker run -d --rm --name "$name" --read-only --tmpfs /tmp -v "$name:/app/data" -p "127.0.0.1:$port:8080" "${credentials[@]}" "$image" >/dev/null
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    sleep 0.02
    if (( $(date +%s%N) - start > 60000000000 )); then
      echo "run $run: not ready within 60 s" >&2
      docker logs "$name" >&2 || true
      break
    fi
  done
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  times+=("$elapsed_ms")
  printf 'run %d: ready after %d.%03d s\n' "$run" $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
  docker rm -f "$name" >/dev/null
  docker volume rm "$name" >/dev/null
done

printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { printf "median %.2f s, best %.2f s, worst %.2f s over %d runs (%s)\n", t[int((NR + 1) / 2)] / 1000, t[1] / 1000, t[NR] / 1000, NR, "'"$image"'" }'
