#!/usr/bin/env bash
# The whole test suite. Installs what the tests need and the .NET SDK does not bring:
# Debian's chromium for the dashboard tests (set JOBWRIGHT_CHROMIUM to use another Chromium) and
# Debian's postgresql for the PostgreSQL and cluster tests, which start private servers of their own
# on loopback ports (the package's own server is not used). They never skip: without PostgreSQL they fail.
# Debian's python3 runs the HMC example client, its python3-prometheus-client parses /metrics, and python3-sushy
# and redfishtool drive the Redfish service. The full-disk fault test mounts a small tmpfs, so the suite
# runs as root, as .ci/run does.
set -euo pipefail
cd "$(dirname "$0")"

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=()
if [ -z "${JOBWRIGHT_CHROMIUM:-}" ] && ! command -v chromium > /dev/null 2>&1; then missing+=(chromium); fi
if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then missing+=(postgresql); fi
# The HMC API's worked example (docs/examples/hmc_client.py) is run by a test.
if ! command -v python3 > /dev/null 2>&1; then missing+=(python3); fi
# The /metrics test reads the scrape with the Prometheus client's own parser, from Debian's python3.
if ! /usr/bin/python3 -c 'import prometheus_client' > /dev/null 2>&1; then missing+=(python3-prometheus-client); fi
# The Redfish tests drive a node with Debian's Redfish clients: sushy (for Debian's python3) and redfishtool.
if ! /usr/bin/python3 -c 'import sushy' > /dev/null 2>&1; then missing+=(python3-sushy); fi
if ! command -v redfishtool > /dev/null 2>&1; then missing+=(redfishtool); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages for the tests: ${missing[*]}..."
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
fi

# One test project at a time: the cluster tests measure milliseconds across node processes, and
# other projects running beside them on two cores would measure the machine instead.
dotnet test -m:1 "$@"
