#!/usr/bin/env bash
# Builds and tests the Jellyfin companion plugin's C# parts (issue #9). Called by .ci/run.
# - No dotnet SDK: says so and exits 0 (the TypeScript suite still runs).
# - Builds Jellybridge.Companion.Core for net9.0 and net10.0 and runs the xunit tests.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "companion: dotnet SDK not found: C# build and tests skipped"
  exit 0
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build src/Jellybridge.Companion.Core/Jellybridge.Companion.Core.csproj -c Release
dotnet test tests/Jellybridge.Companion.Tests/Jellybridge.Companion.Tests.csproj -c Release
# The plugin assembly itself is blocked (Jellyfin NuGet packages unavailable): README.md.
