# Sourced by the stage scripts: the PASS/FAIL tally and the last line scripts/test.sh parses,
# "N passed, M failed", after "TALLY_LABEL: " when that is set (finish exits 1 when a check failed).
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() { echo "${TALLY_LABEL:+$TALLY_LABEL: }$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
