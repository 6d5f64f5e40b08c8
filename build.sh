#!/usr/bin/env bash
# Runs the typed build (build/_build.csproj): ./build.sh [targets] [--parameters]   (./build.sh --help lists them)
# The build is compiled only when its sources changed since the last run, then its dll runs directly, which keeps
# start-up to the cost of one process instead of a `dotnet run` restore and build on every call.
set -euo pipefail

SCRIPT_DIR="${BASH_SOURCE[0]%/*}"
[ "$SCRIPT_DIR" = "${BASH_SOURCE[0]}" ] && SCRIPT_DIR=.
ROOT="$(cd "$SCRIPT_DIR" && pwd)"
BIN="$ROOT/.nuke/temp/build-bin"
STAMP="$BIN/.sources.sha256"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The script's own stderr, for messages written while a command's output goes to a log file.
exec 3>&2

fail() {
    printf 'error: %s\n' "$1" >&2
    shift
    printf '%s\n' "$@" >&2
    exit 2
}

# dotnet from DOTNET_ROOT, PATH, or where dotnet-install.sh puts it.
find_dotnet() {
    local candidate
    for candidate in "${DOTNET_ROOT:+$DOTNET_ROOT/dotnet}" "$(command -v dotnet 2>/dev/null || true)" "$HOME/.dotnet/dotnet"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            echo "$candidate"
            return
        fi
    done
}

# A JSON string value of global.json's "sdk" object (the file is small and flat enough for sed).
global_json_value() {
    sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$ROOT/global.json" | head -n 1
}

# Succeeds when an installed SDK satisfies global.json's version and rollForward policy.
# SDK versions are major.minor.FPP: the hundreds of the patch are the feature band (10.0.401 is band 4, patch 1).
sdk_matches() {
    local dotnet="$1" wanted policy
    [ -f "$ROOT/global.json" ] || return 0
    wanted="$(global_json_value version)"
    [ -n "$wanted" ] || return 0
    policy="$(global_json_value rollForward)"
    local want_major want_minor want_patch
    IFS=. read -r want_major want_minor want_patch <<< "${wanted%%-*}"
    local version major minor patch
    while read -r version _; do
        case "$version" in *-*) continue ;; esac # previews are not allowed by our global.json
        IFS=. read -r major minor patch <<< "$version"
        case "${policy:-latestPatch}" in
            disable) [ "$version" = "$wanted" ] ;;
            patch | latestPatch) [ "$major.$minor" = "$want_major.$want_minor" ] && [ $((patch / 100)) -eq $((want_patch / 100)) ] && [ "$patch" -ge "$want_patch" ] ;;
            feature | latestFeature) [ "$major.$minor" = "$want_major.$want_minor" ] && [ "$patch" -ge "$want_patch" ] ;;
            minor | latestMinor) [ "$major" -eq "$want_major" ] && { [ "$minor" -gt "$want_minor" ] || { [ "$minor" -eq "$want_minor" ] && [ "$patch" -ge "$want_patch" ]; }; } ;;
            *) [ "$major" -gt "$want_major" ] || { [ "$major" -eq "$want_major" ] && { [ "$minor" -gt "$want_minor" ] || { [ "$minor" -eq "$want_minor" ] && [ "$patch" -ge "$want_patch" ]; }; }; } ;;
        esac && return 0
    done < <("$dotnet" --list-sdks 2>/dev/null)
    return 1
}

install_hint() {
    local wanted channel
    wanted="$(global_json_value version)"
    channel="$(cut -d. -f1-2 <<< "${wanted:-10.0}")"
    fail "no .NET SDK matching global.json (version ${wanted:-?}, rollForward $(global_json_value rollForward)) was found${1:+ ($1)}." \
        "Install one, then run ./build.sh again:" \
        "  curl -fsSL https://dot.net/v1/dotnet-install.sh | bash -s -- --version ${wanted:-latest} --install-dir \"\$HOME/.dotnet\"" \
        "or, on Debian/Ubuntu with the Microsoft package feed: apt-get install dotnet-sdk-$channel"
}

# Path, size and modification time of everything the compiled build depends on: its own sources, the engine's,
# and the shared MSBuild settings. Metadata rather than content keeps a warm start to two small processes.
sources_hash() {
    (
        cd "$ROOT"
        local inputs=() input
        for input in build src/TypedBuild Directory.Build.props Directory.Packages.props global.json .editorconfig; do
            [ -e "$input" ] && inputs+=("$input")
        done
        find "${inputs[@]}" \( -name bin -o -name obj -o -name node_modules \) -prune -o -type f \
            \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name global.json -o -name .editorconfig \) \
            -printf '%p %s %T@\n'
    ) | sha256sum
}

# Runs a command in a process group of its own and waits for it. SIGINT or SIGTERM meanwhile stop the whole group
# (the compiler's worker processes included): SIGTERM, then SIGKILL after a grace period or at a second signal; the
# script then ends with 130, like the build itself when it is cancelled.
run_stoppable() {
    if command -v setsid > /dev/null; then
        setsid "$@" &
    else
        "$@" &
    fi
    STOPPABLE_PID=$!
    trap stop_stoppable INT TERM
    local status=0
    wait "$STOPPABLE_PID" || status=$?
    trap - INT TERM
    return "$status"
}

stop_stoppable() {
    trap 'kill -KILL -- "-$STOPPABLE_PID" "$STOPPABLE_PID" 2> /dev/null; exit 130' INT TERM
    echo "Cancelled: stopping the compile..." >&3
    kill -TERM -- "-$STOPPABLE_PID" "$STOPPABLE_PID" 2> /dev/null || true
    local waited=0
    while kill -0 -- "-$STOPPABLE_PID" 2> /dev/null && [ "$waited" -lt 50 ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    kill -KILL -- "-$STOPPABLE_PID" 2> /dev/null || true
    exit 130
}

is_ci() {
    local variable
    for variable in CI GITHUB_ACTIONS GITLAB_CI CONCOURSE_CI; do
        [ "${!variable:-}" = true ] && return 0
    done
    return 1
}

# When the build definition does not compile, the engine alone still can: a stand-in build made of the engine and
# nothing else announces the failure (or answers the CI failure hook's --announce-failure) on Slack.
announce_with_stand_in() {
    local dir="$ROOT/.nuke/temp/failure-announcer" engine framework
    engine="$(sed -n 's/.*<ProjectReference Include="\([^"]*TypedBuild\.csproj\)".*/\1/p' "$ROOT/build/_build.csproj" | head -n 1)"
    engine="${engine//\\//}"
    [ -n "$engine" ] || engine="$ROOT/src/TypedBuild/TypedBuild.csproj"
    case "$engine" in /*) ;; *) engine="$ROOT/build/$engine" ;; esac
    framework="$("$DOTNET" msbuild "$ROOT/build/_build.csproj" -getProperty:TargetFramework 2> /dev/null | tail -n 1)"
    mkdir -p "$dir"
    cat > "$dir/failure-announcer.csproj" << EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>${framework:-net10.0}</TargetFramework>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <RunAnalyzers>false</RunAnalyzers>
    <GenerateDocumentationFile>false</GenerateDocumentationFile>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$engine" />
  </ItemGroup>
</Project>
EOF
    echo 'return TypedBuild.Notifications.Slack.FailureAnnouncerBuild.Run(args);' > "$dir/Program.cs"
    echo "Compiling the engine alone to announce the failure..." >&2
    if ! run_stoppable "$DOTNET" build "$dir/failure-announcer.csproj" --configuration Release --output "$dir/bin" \
        --nologo --verbosity quiet -clp:NoSummary > "$dir/compile.log" 2>&1; then
        cat "$dir/compile.log" >&2
        echo "warning: the engine does not compile either, so the failure was not announced." >&2
        return 1
    fi
    "$DOTNET" "$dir/bin/failure-announcer.dll" "$@" --root "$ROOT"
}

DOTNET="$(find_dotnet)"
[ -n "$DOTNET" ] || install_hint "dotnet is not on PATH, in \$DOTNET_ROOT or in ~/.dotnet"

hash="$(sources_hash)"
stamp=""
[ -f "$STAMP" ] && read -r stamp < "$STAMP"
if [ ! -f "$BIN/_build.dll" ] || [ "$stamp" != "${hash%% *}" ]; then
    sdk_matches "$DOTNET" || install_hint "installed: $("$DOTNET" --list-sdks 2>/dev/null | cut -d' ' -f1 | paste -sd' ' -)"
    echo "Compiling the build (its sources changed)..." >&2
    rm -rf "$BIN"
    mkdir -p "$ROOT/.nuke/temp"
    COMPILE_LOG="$ROOT/.nuke/temp/build-compile.log"
    if ! run_stoppable "$DOTNET" build "$ROOT/build/_build.csproj" --configuration Release --output "$BIN" \
        --nologo --verbosity quiet -clp:NoSummary > "$COMPILE_LOG" 2>&1; then
        cat "$COMPILE_LOG" >&2
        case " $* " in
            # The CI failure hook: answered by the stand-in, which knows whether the failure was announced already.
            *" --announce-failure "*)
                [ -z "${SLACK_WEBHOOK_URL:-}" ] && exit 0
                announce_with_stand_in "$@" || true
                exit 0
                ;;
        esac
        if [ -n "${SLACK_WEBHOOK_URL:-}" ] && is_ci; then
            announce_with_stand_in --announce-failure not-compiled || true
        fi
        fail "the build definition does not compile (errors above). Fix them and run ./build.sh again."
    fi
    echo "${hash%% *}" > "$STAMP"
fi

# The root goes last so that it cannot be read as one more value of a list option such as --skip.
case " $* " in
    *" --root "*) exec "$DOTNET" "$BIN/_build.dll" "$@" 3>&- ;;
    *) exec "$DOTNET" "$BIN/_build.dll" "$@" --root "$ROOT" 3>&- ;;
esac
