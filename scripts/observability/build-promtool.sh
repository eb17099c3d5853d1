#!/usr/bin/env bash
# Prints the path of promtool (Prometheus's rule checker), built once from the Go module proxy into the
# cache (a few minutes on a cold module cache), unless PROMTOOL names one or `promtool` is on PATH.
set -euo pipefail
version=v0.316.0 # Prometheus 3.16's Go module
if [ -n "${PROMTOOL:-}" ]; then echo "$PROMTOOL"; exit 0; fi
if command -v promtool >/dev/null 2>&1; then command -v promtool; exit 0; fi
cache="${TEMPORAL_CASCADE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/temporal-cascade}/promtool-${version}"
if [ ! -x "$cache/promtool" ]; then
  echo "building promtool ${version} with go install (first run only)..." >&2
  mkdir -p "$cache"
  GOBIN="$cache" go install "github.com/prometheus/prometheus/cmd/promtool@${version}" >&2
fi
echo "$cache/promtool"
