# Shared by the end-to-end test scripts (source it): TAP-like "ok"/"FAIL"
# lines, a count of each, and the comparisons they all make.
failures=0
passes=0
ok() { passes=$((passes + 1)); echo "ok - $1"; }
bad() { failures=$((failures + 1)); echo "FAIL - $1"; }
expect_status() { # name want got
    if [ "$2" -eq "$3" ]; then ok "$1"; else bad "$1 (exit $3, wanted $2)"; fi
}
# Whether two results folders hold byte-identical result files.
same_results() { # dir dir
    local f
    for f in fr.csv power.csv dissipation.csv thd.csv verdict.csv summary.json; do
        cmp -s "$1/$f" "$2/$f" || return 1
    done
}
# The last line, and the script's exit status.
finish() {
    echo "$passes passed, $failures failed"
    [ "$failures" -eq 0 ]
}
