#!/usr/bin/env bash
# Grade speed, measured side by side in one run (see README.md in this folder).
#   baseline: `dotnet test` on a fresh copy of the solved candidate workspace (what an MSBuild-based runner
#             such as Piston or Exercism's does per submission: restore, build, test)
#   cold:     `./codelab grade` of the same solution (a fresh CLI process: Roslyn cold, sandbox, report)
#   warm:     grades inside one long-lived process (compiler warm), as a server or worker would run them
# Usage: bench/grade/run.sh [exercise] [level] [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exercise=${1:-rate-limiter}
level=${2:-mid}
rounds=${3:-5}
work=$(mktemp -d /tmp/codelab-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

cd "$root"
./codelab prepare >/dev/null
solution="$root/exercises/$exercise/solutions/reference"
[ -d "$solution" ] || { echo "no reference solution at $solution" >&2; exit 2; }

# The solved workspace: init, then the reference copied over it.
./codelab init "$exercise" --level "$level" --dir "$work/solved" >/dev/null
cp -r "$solution/." "$work/solved/"
(cd "$work/solved" && dotnet restore -v quiet >/dev/null)   # warms the NuGet cache; every copy below restores again

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

: >"$work/baseline" ; : >"$work/cold"
for round in $(seq 1 "$rounds"); do
  rm -rf "$work/copy" && cp -r "$work/solved" "$work/copy" && rm -rf "$work/copy/bin" "$work/copy/obj"
  start=$(now_ms); (cd "$work/copy" && dotnet test -nologo -v quiet >"$work/baseline.log" 2>&1) || { cat "$work/baseline.log" >&2; exit 1; }
  echo $(( $(now_ms) - start )) >>"$work/baseline"

  start=$(now_ms); ./codelab grade "$work/solved" --exercise "$exercise" --level "$level" --out "$work/report" >"$work/cold.log" 2>&1 || { cat "$work/cold.log" >&2; exit 1; }
  echo $(( $(now_ms) - start )) >>"$work/cold"
  grep -q '100 / 100' "$work/cold.log" || { echo "the reference did not score 100:" >&2; cat "$work/cold.log" >&2; exit 1; }
  echo "round $round: dotnet test $(tail -1 "$work/baseline") ms, codelab grade $(tail -1 "$work/cold") ms" >&2
done

dotnet build "$root/bench/grade/GradeBench" -c Release -nologo -v quiet >/dev/null
warm=$(dotnet "$root/artifacts/bin/GradeBench/release/GradeBench.dll" "$exercise" "$level" "$solution" $((rounds * 2 + 1)) | tee "$work/warm.log" | tail -1)

baseline=$(median <"$work/baseline")
cold=$(median <"$work/cold")
echo
echo "grade speed, $exercise ($level), $rounds rounds, medians:"
echo "  dotnet test on a fresh copy of the solved workspace   ${baseline} ms"
echo "  ./codelab grade (fresh process, compiler cold)         ${cold} ms   ($(awk -v b="$baseline" -v c="$cold" 'BEGIN { printf "%.1f", b / c }')x faster)"
echo "  grade in a long-lived process (compiler warm)          ${warm#warm median: }"
