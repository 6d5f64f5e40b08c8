#!/usr/bin/env bash
# Load-tests ExampleService on PostgreSQL with wrk and prints requests/s and p99 latency per endpoint.
#
#   scripts/benchmark-service.sh [--duration SECONDS] [--warmup SECONDS] [--connections N] [--users N]
#                                [--connection-options 'Npgsql options']
#
# Starts a throwaway PostgreSQL cluster (as the postgres user when run as root) on a free loopback port, publishes
# and starts the service in Release against it, seeds users, then runs wrk against GET /api/v1/users/{id}, the
# GET list, POST and the trivial JSON endpoint GET /api/v1/ping (the machine's ceiling for this process). Everything
# it starts is stopped and deleted on exit. Authenticated as in production: a fresh API key (never printed) whose hash
# the service is given, sent by wrk in X-Api-Key (the ping endpoint needs none). Needs: dotnet, wrk (apt-get install -y wrk), PostgreSQL server binaries
# (apt-get install -y postgresql), curl, psql.
set -euo pipefail

DURATION=10
WARMUP=10
# What README.md ("PostgreSQL on few cores") recommends for a pod with two cores: a small pool.
CONNECTION_OPTIONS="Maximum Pool Size=8"
CONNECTIONS=32
USERS=1000
THREADS=2
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --connection-options) CONNECTION_OPTIONS="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --users) USERS="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

need() {
    command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' not found; install it: $2" >&2; exit 2; }
}
need dotnet "the .NET SDK named in global.json"
need wrk "apt-get install -y wrk"
need psql "apt-get install -y postgresql"
need curl "apt-get install -y curl"
PGBIN="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1)"
[ -x "$PGBIN/initdb" ] || { echo "error: no PostgreSQL server binaries under /usr/lib/postgresql; apt-get install -y postgresql" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

WORK="$(mktemp -d /tmp/benchmark-service.XXXXXX)"
chmod 755 "$WORK"   # the postgres user must reach its data directory inside
SERVICE_PID=""
cleanup() {
    if [ -n "$SERVICE_PID" ]; then
        kill "$SERVICE_PID" 2>/dev/null || true
        wait "$SERVICE_PID" 2>/dev/null || true
    fi
    if [ -f "$WORK/pg/data/postmaster.pid" ]; then
        as_postgres "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== PostgreSQL: throwaway cluster"
mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK/pg"
PG_PORT="$(free_port)"
as_postgres "$PGBIN/initdb" -D "$WORK/pg/data" -U app --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w -o \
    "-h 127.0.0.1 -p $PG_PORT -k $WORK/pg -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
PSQL=(psql "host=127.0.0.1 port=$PG_PORT user=app dbname=postgres" -v ON_ERROR_STOP=1 -qAt)

echo "== Service: publish (Release)"
dotnet publish "$ROOT/src/ExampleService/ExampleService.csproj" -c Release -o "$WORK/app" --nologo -v quiet >/dev/null

export Database__Provider=Postgres
export Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=app;Database=postgres;$CONNECTION_OPTIONS"
# Measure the service, not the terminal: request lines are off (Warning), and wrk is one client address.
export Logging__LogLevel__Default=Warning
export RateLimiting__Enabled=false
# A key of this run only: the service holds its hash, the wrk scripts (readable by this user alone) send it.
API_KEY="$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
export Authentication__ApiKeys__0__Id=benchmark Authentication__ApiKeys__0__Scopes="users.read users.write"
Authentication__ApiKeys__0__Sha256="$(printf %s "$API_KEY" | sha256sum | cut -d' ' -f1)"
export Authentication__ApiKeys__0__Sha256
SERVICE_PORT="$(free_port)"
BASE="http://127.0.0.1:$SERVICE_PORT"

(cd "$WORK/app" && dotnet ExampleService.dll migrate >"$WORK/migrate.log" 2>&1) || { cat "$WORK/migrate.log" >&2; exit 1; }
(cd "$WORK/app" && exec dotnet ExampleService.dll --urls "$BASE" >"$WORK/service.log" 2>&1) &
SERVICE_PID=$!
for _ in $(seq 1 100); do
    curl -fsS "$BASE/health/ready" >/dev/null 2>&1 && break
    kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log" >&2; exit 1; }
    sleep 0.2
done
curl -fsS "$BASE/health/ready" >/dev/null || { echo "error: the service did not become ready" >&2; cat "$WORK/service.log" >&2; exit 1; }

echo "== Seed: $USERS users"
"${PSQL[@]}" <<SQL
INSERT INTO users (id, username, username_normalized, email, email_normalized, display_name, given_name, family_name,
                   department, title, phone, active, version, created_at, updated_at)
SELECT gen_random_uuid(), 'seed' || i, 'seed' || i, 'seed' || i || '@example.com', 'seed' || i || '@example.com',
       'Seed User ' || i, 'Seed', 'User ' || i, 'dept' || (i % 10), 'Engineer', '+4144555' || lpad(i::text, 4, '0'),
       i % 7 <> 0, gen_random_uuid(), now(), now()
FROM generate_series(1, $USERS) AS i;
ANALYZE users;
SQL
"${PSQL[@]}" -c "SELECT id FROM users ORDER BY random() LIMIT 500" >"$WORK/ids.txt"

umask 077
cat >"$WORK/list.lua" <<LUA
wrk.headers["X-Api-Key"] = "$API_KEY"
LUA
cat >"$WORK/get-by-id.lua" <<LUA
wrk.headers["X-Api-Key"] = "$API_KEY"
local ids = {}
for line in io.lines("$WORK/ids.txt") do ids[#ids + 1] = line end
request = function()
  return wrk.format("GET", "/api/v1/users/" .. ids[math.random(#ids)])
end
LUA
{ echo "wrk.headers[\"X-Api-Key\"] = \"$API_KEY\""; cat; } >"$WORK/post.lua" <<'LUA'
-- Names are unique across runs and threads: the run label comes after "--" on wrk's command line, and "id" is a
-- global that setup() gives each thread (wrk loads this script once per thread).
local threads, counter, run = 0, 0, "run"
id = 0
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
init = function(args) run = args[1] or run end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local name = string.format("bench-%s-%d-%d", run, id, counter)
  local body = string.format('{"username":"%s","email":"%s@example.com","displayName":"Bench %s","department":"bench"}', name, name, name)
  return wrk.format(nil, nil, nil, body)
end
LUA

# CPU time (clock ticks) of the given processes, from /proc/<pid>/stat (utime + stime).
cpu_ticks() {
    local total=0 pid fields
    for pid in "$@"; do
        { read -r -a fields <"/proc/$pid/stat"; } 2>/dev/null || continue   # a backend may just have exited
        total=$((total + fields[13] + fields[14]))
    done
    echo "$total"
}
POSTMASTER_PID="$(head -1 "$WORK/pg/data/postmaster.pid")"
postgres_ticks() { cpu_ticks "$POSTMASTER_PID" $(pgrep -P "$POSTMASTER_PID"); }
TICKS_PER_SECOND="$(getconf CLK_TCK)"
# Microseconds of CPU per request: <ticks spent during the measured run> <requests/s>.
per_request_us() { awk -v t="$1" -v rps="$2" -v hz="$TICKS_PER_SECOND" -v d="$DURATION" 'BEGIN { printf "%.0f", t * 1e6 / hz / (rps * d) }'; }

# wrk prints "Requests/sec: N" and, with --latency, "99%  X" with a unit (us, ms or s): normalised to ms here.
# The CPU columns split each request's cost between the service and PostgreSQL (wrk takes the rest of the cores).
run() {
    local name="$1" script="$2" path="$3" output rps p99 service0 postgres0 service_us postgres_us
    local args=(-t"$THREADS" -c"$CONNECTIONS" --latency --timeout 5s)
    [ -n "$script" ] && args+=(-s "$script")
    wrk "${args[@]}" -d"${WARMUP}s" "$BASE$path" -- "warm$RANDOM" >/dev/null   # warm-up: tiered JIT, pools, caches
    service0="$(cpu_ticks "$SERVICE_PID")"; postgres0="$(postgres_ticks)"
    output="$(wrk "${args[@]}" -d"${DURATION}s" "$BASE$path" -- "run$RANDOM")"
    if grep -q "Non-2xx" <<<"$output"; then
        echo "error: $name got error answers:" >&2; echo "$output" >&2; exit 1
    fi
    rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$output")"
    p99="$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.2f", v }' <<<"$output")"
    service_us="$(per_request_us $(($(cpu_ticks "$SERVICE_PID") - service0)) "$rps")"
    postgres_us="$(per_request_us $(($(postgres_ticks) - postgres0)) "$rps")"
    printf '%-28s %12.0f %10s %14s %14s\n' "$name" "$rps" "$p99" "$service_us" "$postgres_us"
    RPS[$4]="$rps"
    P99[$4]="$p99"
}
declare -A RPS P99

echo "== wrk: CPU columns are microseconds of CPU time per request, from /proc"
echo "== wrk: $CONNECTIONS connections, $THREADS threads, ${WARMUP}s warm-up then ${DURATION}s per endpoint ($(nproc) cores shared with the service); Npgsql: $CONNECTION_OPTIONS"
printf '%-28s %12s %10s %14s %14s\n' "endpoint" "requests/s" "p99 (ms)" "service µs/req" "postgres µs/req"
run "GET /api/v1/ping" "" "/api/v1/ping" ping
run "GET /api/v1/users/{id}" "$WORK/get-by-id.lua" "/api/v1/users" byid
run "GET /api/v1/users?pageSize=20" "$WORK/list.lua" "/api/v1/users?pageSize=20" list
run "POST /api/v1/users" "$WORK/post.lua" "/api/v1/users" post

ratio="$(awk -v a="${RPS[byid]}" -v b="${RPS[ping]}" 'BEGIN { printf "%.1f", 100 * a / b }')"
echo
echo "GET by id / ping: ${ratio}% of the trivial endpoint's requests/s (goal >= 35%); GET by id p99 ${P99[byid]} ms (goal < 10 ms)"
