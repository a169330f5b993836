#!/bin/sh
# The one entry point: ./build.sh [-Test] [other build.ps1 switches].
# Runs build.ps1 with the pwsh on PATH when it is PowerShell 7.4 or later; otherwise with PowerShell
# 7.6.10 installed as a local .NET tool (pinned in .config/dotnet-tools.json, installed by
# `dotnet tool restore`), so that the .NET SDK is all it takes.
set -e
cd "$(dirname "$0")"

if command -v pwsh >/dev/null 2>&1 &&
    pwsh -NoProfile -NonInteractive -Command 'exit [int]($PSVersionTable.PSVersion -lt [version]"7.4")' >/dev/null 2>&1; then
    exec pwsh -NoProfile -File build.ps1 "$@"
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: needs PowerShell 7.4 or later (pwsh on PATH) or the .NET SDK (dotnet), which installs it" >&2
    exit 1
fi
# Quiet unless it fails: then its output says why.
if ! log=$(dotnet tool restore 2>&1); then
    echo "$log" >&2
    echo "build.sh: 'dotnet tool restore' could not install PowerShell (.config/dotnet-tools.json)" >&2
    exit 1
fi
exec dotnet tool run pwsh -- -NoProfile -File build.ps1 "$@"
