#!/usr/bin/env bash
# Load generator throughput, measured side by side in one run (see README.md in this folder):
#   wrk -t2 -c32       (C, epoll; the practical ceiling on this machine)
#   codelab load --copies 32 (closed model, 32 callers, HttpClient)
# against the same fast endpoint on loopback, alternating round by round. Reports requests per second (medians),
# the ratio, and the CPU each generator used (user+sys over wall time; 200 % = both cores).
# Usage: bench/load/run.sh [seconds per run] [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds=${1:-10}
rounds=${2:-3}
port=5099
url="http://127.0.0.1:$port/"
work=$(mktemp -d /tmp/codelab-loadbench.XXXXXX)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; } \
  || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }

cd "$root"
./codelab load --help >/dev/null   # builds the CLI when its sources changed
dotnet build "$root/bench/load/LoadBenchServer" -c Release -nologo -v quiet >/dev/null
dotnet "$root/artifacts/bin/LoadBenchServer/release/LoadBenchServer.dll" "$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -sf "$url" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$url" >/dev/null || { echo "the bench server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
# Runs a command, prints "<cpu %>" of it to the file named by $1 (user+sys over wall time).
timed() {
  local out=$1; shift
  local TIMEFORMAT='%R %U %S'
  { time "$@" >"$work/last.out" 2>"$work/last.err" ; } 2>"$work/time"
  awk '{ printf "%.0f\n", ($2 + $3) / $1 * 100 }' "$work/time" >>"$out"
}

# Warm both (JIT, connections, server tiering) before measuring.
wrk -t2 -c32 -d2s "$url" >/dev/null
./codelab load "$url" --copies 32 --duration 2s --json >/dev/null 2>&1

: >"$work/wrk" ; : >"$work/codelab" ; : >"$work/wrk.cpu" ; : >"$work/codelab.cpu"
for round in $(seq 1 "$rounds"); do
  timed "$work/wrk.cpu" wrk -t2 -c32 -d"${seconds}s" "$url"
  awk '/Requests\/sec/ { printf "%.0f\n", $2 }' "$work/last.out" >>"$work/wrk"
  timed "$work/codelab.cpu" ./codelab load "$url" --copies 32 --duration "${seconds}s" --json
  grep -o '"achievedRate": [0-9.]*' "$work/last.out" | awk '{ printf "%.0f\n", $2 }' >>"$work/codelab"
  grep -q '"fail": 0' "$work/last.out" || { echo "codelab load saw failures:" >&2; cat "$work/last.out" >&2; exit 1; }
  echo "round $round: wrk $(tail -1 "$work/wrk")/s (cpu $(tail -1 "$work/wrk.cpu") %), codelab load $(tail -1 "$work/codelab")/s (cpu $(tail -1 "$work/codelab.cpu") %)" >&2
done

w=$(median <"$work/wrk"); c=$(median <"$work/codelab")
echo
echo "load generator throughput, 32 connections, ${seconds} s x $rounds rounds, medians ($(nproc) cores, server on the same machine):"
echo "  wrk -t2 -c32                 ${w} req/s   cpu $(median <"$work/wrk.cpu") %"
echo "  codelab load --copies 32     ${c} req/s   cpu $(median <"$work/codelab.cpu") %   ($(awk -v a="$c" -v b="$w" 'BEGIN { printf "%.2f", a / b }')x of wrk)"
