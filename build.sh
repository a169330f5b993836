#!/bin/sh
# The one entry point: ./build.sh [-Test] [other build.ps1 switches].
# Runs build.ps1 with PowerShell 7 when pwsh is installed (unless KRJWT_BUNDLED_HOST is set); otherwise
# with the minimal host from tools/pwsh-host, built here first, so that the .NET SDK is all it takes.
set -e
cd "$(dirname "$0")"

if [ -z "${KRJWT_BUNDLED_HOST:-}" ] && command -v pwsh >/dev/null 2>&1; then
    exec pwsh -NoProfile -File build.ps1 "$@"
fi

host=out/pwsh/pwsh
# Rebuild the host only when it is missing or one of its sources is newer than it.
if [ ! -x "$host" ] || [ -n "$(find tools/pwsh-host \( -path tools/pwsh-host/obj -o -path tools/pwsh-host/bin \) -prune \
        -o \( -name '*.cs' -o -name '*.csproj' \) -newer "$host" -print | head -n 1)" ]; then
    echo "Building the bundled PowerShell host (tools/pwsh-host) ..."
    mkdir -p out
    # Quiet unless it fails: then its log says why.
    if ! dotnet build tools/pwsh-host -c Release -o out/pwsh -nologo > out/pwsh-host-build.log 2>&1; then
        cat out/pwsh-host-build.log
        exit 1
    fi
    touch "$host"
fi
exec "$host" -NoProfile -File build.ps1 "$@"
