# Names what failed in `dotnet test` output, for the end of a long CI page (however far up the failure scrolled):
# each failed test with the first lines of its message (at most six, joined, cut at 400 characters), and each
# project's "Failed!" count line. Usage: awk -f .ci/summarize-failures.awk LOG... (./codelab test calls it).
function flush() {
  if (reading) print "  FAILED " name ": " substr(message, 1, 400)
  else if (waiting) print "  FAILED " name
  reading = 0; waiting = 0
}
FNR == 1 { flush() }
/^  Failed [^ ]/ { flush(); name = $0; sub(/^  Failed /, "", name); sub(/[ \r]*$/, "", name); sub(/ \[[^]]*\]$/, "", name); waiting = 1; next }
waiting && /^  Error Message:/ { waiting = 0; reading = 1; message = ""; lines = 0; next }
reading && (/^  (Stack Trace|Standard Output Messages):/ || lines == 6) { flush() }
reading { line = $0; gsub(/^[ \r]+|[ \r]+$/, "", line); if (line != "") { message = message (lines++ ? " / " : "") line } }
/^Failed! / { flush(); line = $0; sub(/\r$/, "", line); print "  " line }
# A log that ends inside a failure (no stack trace, the output cut off) still names it.
END { flush() }
