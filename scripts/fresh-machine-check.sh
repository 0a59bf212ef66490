#!/usr/bin/env bash
# Proves the two-command rule on this machine: removes the Debian packages the tests use,
# then runs `npm ci && npm test` in a fresh clone of HEAD, which must install them again.
# Needs root and apt-get. It changes the machine (the packages are removed, then reinstalled).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "fresh-machine-check: run as root (it removes and reinstalls Debian packages)" >&2; exit 2; }
cd "$(dirname "$0")/.."
clone=$(mktemp -d /tmp/grpc-callouts-fresh-XXXXXX)
git clone -q . "$clone"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq python3-grpcio chromium protobuf-compiler grpc-proto >/dev/null
if /usr/bin/python3 -c "import grpc" 2>/dev/null || [ -x /usr/bin/chromium ] || [ -x /usr/bin/protoc ]; then
  echo "fresh-machine-check: the packages are still here after apt-get remove" >&2; exit 1
fi
cd "$clone"
start=$(date +%s)
npm ci --silent
npm test
echo "fresh-machine-check: a fresh clone passed npm ci && npm test with the packages removed first ($(( $(date +%s) - start )) s)"
