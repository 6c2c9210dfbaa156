#!/usr/bin/env bash
# A full disk during a sweep (issue #7), on a small tmpfs in a private mount
# namespace (unshare; skipped with status 77 where the machine forbids it):
#  1. room for the journal but not the results: exit 1, no result file and no
#     temporary file, the journal whole; after making room, --resume writes
#     the files of an uninterrupted run without simulating again;
#  2. no room at all: the journal fails at once, the sweep warns, goes on and
#     says that it must run again; after making room it does.
# Usage: test_disk_full.sh AMPSWEEP PROJECT_DIR
set -uo pipefail
bin=$1
project=$2
if [ "${AMPSWEEP_IN_NAMESPACE:-}" != 1 ]; then
    if ! unshare -rm true 2>/dev/null; then
        echo "skip: this machine allows no private mount namespace (unshare -rm)"
        exit 77
    fi
    AMPSWEEP_IN_NAMESPACE=1 exec unshare -rm bash "$0" "$@"
fi
work=$(mktemp -d)
trap 'umount "$work/disk" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=tests/checks.sh
. "$(dirname "$0")/checks.sh"
sweep=(--no-plot --quiet --loads 4,8,32 --freqs 100,1000 --tran-freqs 1000
    "$project/tests/data/hard_clip.cir" "$project/netlists/headphone/starter_hp.cir")

"$bin" sweep --out "$work/ref" "${sweep[@]}" 2>/dev/null
expect_status "the reference sweep exits 0" 0 $?
journal_bytes=$(stat -c %s "$work/ref/.ampsweep-journal")
mkdir "$work/disk"
# tmpfs counts whole 4 KiB pages: exactly the journal's
if ! mount -t tmpfs -o size=$(((journal_bytes + 4095) / 4096 * 4096)) tmpfs "$work/disk"; then
    echo "skip: cannot mount a tmpfs here"
    exit 77
fi

out=$work/disk/out
"$bin" sweep --out "$out" "${sweep[@]}" 2>"$work/err.txt"
expect_status "a sweep that cannot write its results exits 1" 1 $?
grep -q "the results could not be written, and no file in .* was changed: .*No space left on device" \
    "$work/err.txt" && grep -q "run the same command with --resume" "$work/err.txt" &&
    ok "the full disk is named, and how to finish is said" || bad "message: $(cat "$work/err.txt")"
[ -z "$(ls -A "$out" | grep -v '^\.ampsweep-journal$')" ] &&
    ok "no result file and no temporary file or folder is left" || bad "left behind: $(ls -A "$out")"
[ "$(stat -c %s "$out/.ampsweep-journal")" -eq "$journal_bytes" ] &&
    ok "the journal holds every job" || bad "journal of $(stat -c %s "$out/.ampsweep-journal") bytes"
mount -o remount,size=4m "$work/disk"
"$bin" sweep --out "$out" --resume "${sweep[@]}" 2>"$work/err.txt"
expect_status "with room made, --resume exits 0" 0 $?
grep -q "resuming: 8 of 8 jobs taken" "$work/err.txt" && ok "--resume simulates nothing again" ||
    bad "resume: $(cat "$work/err.txt")"
same_results "$out" "$work/ref" && ok "--resume writes the files of an uninterrupted sweep" ||
    bad "the resumed files differ from the reference"

# the disk full again: the new run's journal reuses the old one's room, the
# results do not fit, and the previous results stay as they were
dd if=/dev/zero of="$work/disk/filler" bs=4096 2>/dev/null
"$bin" sweep --out "$out" --no-plot --quiet --loads 4,8 "${sweep[@]:4}" 2>"$work/err.txt"
expect_status "a sweep over earlier results that cannot write its own exits 1" 1 $?
same_results "$out" "$work/ref" && ok "the previous results are left as they were" ||
    bad "the previous results were changed"

# no room at all, from the first job on
dd if=/dev/zero of="$work/disk/filler2" bs=4096 2>/dev/null
out=$work/disk/out2
"$bin" sweep --out "$out" "${sweep[@]}" 2>"$work/err.txt"
expect_status "a sweep on a full disk exits 1" 1 $?
grep -q "warning: .*journal: cannot write: No space left on device; the sweep goes on" "$work/err.txt" &&
    grep -q "The journal could not be kept either: the sweep must run again" "$work/err.txt" &&
    ok "the journal's failure is a warning, and the end says the sweep must run again" ||
    bad "message: $(cat "$work/err.txt")"
rm "$work/disk/filler" "$work/disk/filler2"
"$bin" sweep --out "$out" --resume "${sweep[@]}" 2>"$work/err.txt"
expect_status "with room made, the sweep runs again and exits 0" 0 $?
grep -q "resuming: 0 of 8 jobs taken" "$work/err.txt" &&
    ok "nothing damaged is taken from the journal" || bad "resume: $(cat "$work/err.txt")"
same_results "$out" "$work/ref" && ok "the files equal the reference" || bad "the files differ"

finish
