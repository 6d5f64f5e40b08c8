#!/usr/bin/env bash
# Runs the typed build (build/_build.csproj): ./build.sh [targets] [--parameters]   (./build.sh --help lists them)
# The build is compiled only when its sources changed since the last run, then its dll runs directly, which keeps
# start-up to the cost of one process instead of a `dotnet run` restore and build on every call.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$ROOT/.nuke/temp/build-bin"
STAMP="$BIN/.sources.sha256"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK was not found on PATH. Install the SDK named in global.json" >&2
    echo "       (https://dot.net/download, or: apt-get install dotnet-sdk-10.0) and run ./build.sh again." >&2
    exit 2
fi

# Everything the compiled build depends on: its own sources, the engine's, and the shared MSBuild settings.
sources_hash() {
    cd "$ROOT"
    {
        find build src/TypedBuild \( -name bin -o -name obj -o -name node_modules \) -prune -o \
            -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) -print
        ls Directory.Build.props Directory.Packages.props global.json .editorconfig 2>/dev/null
    } | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
}

hash="$(sources_hash)"
if [ ! -f "$BIN/_build.dll" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$hash" ]; then
    echo "Compiling the build (its sources changed)..." >&2
    rm -rf "$BIN"
    if ! log="$(dotnet build "$ROOT/build/_build.csproj" --configuration Release --output "$BIN" \
        --nologo --verbosity quiet -clp:NoSummary 2>&1)"; then
        printf '%s\n' "$log" >&2
        echo "error: the build definition does not compile (errors above). Fix them and run ./build.sh again." >&2
        exit 2
    fi
    echo "$hash" > "$STAMP"
fi

# The root goes last so that it cannot be read as one more value of a list option such as --skip.
case " $* " in
    *" --root "*) exec dotnet "$BIN/_build.dll" "$@" ;;
    *) exec dotnet "$BIN/_build.dll" "$@" --root "$ROOT" ;;
esac
