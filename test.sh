#!/usr/bin/env bash
# The whole test suite. Installs what the tests need and the .NET SDK does not bring:
# Debian's chromium for the dashboard tests (set JOBWRIGHT_CHROMIUM to use another Chromium).
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${JOBWRIGHT_CHROMIUM:-}" ] && ! command -v chromium > /dev/null 2>&1; then
  echo "Installing Debian's chromium for the dashboard tests..."
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
fi

dotnet test "$@"
