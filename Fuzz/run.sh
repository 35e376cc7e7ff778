#!/usr/bin/env bash
# Builds the libFuzzer targets (address sanitizer on) and runs each for a set time.
#
#   Fuzz/run.sh TARGET|all SECONDS [libFuzzer options…]
#
# TARGET is a directory name under Fuzz/Sources without the `fuzz-` prefix (idx, npz, npy,
# checkpoint, sparse-tensor, summaries, results), or `all`. Each run starts from the committed seeds in
# Fuzz/Corpus/TARGET and keeps the inputs it finds in Fuzz/.build/corpus/TARGET (not committed);
# a crashing input is saved as Fuzz/.build/crashes/TARGET-crash-… and the script exits non-zero.
# The last line of each run (libFuzzer's "Done N runs in S second(s)") is appended to
# Fuzz/.build/results.txt. Runs under `nice`.
set -euo pipefail
cd "$(dirname "$0")"

if [ $# -lt 2 ]; then
    echo "usage: $0 TARGET|all SECONDS [libFuzzer options…]" >&2
    exit 2
fi
target=$1 seconds=$2
shift 2

all=()
for source in Sources/fuzz-*; do all+=("${source#Sources/fuzz-}"); done
if [ "$target" = all ]; then
    targets=("${all[@]}")
elif [ -d "Sources/fuzz-$target" ]; then
    targets=("$target")
else
    echo "unknown target '$target'; one of: ${all[*]} all" >&2
    exit 2
fi

# Every Swift module, PruneKit included, is instrumented for coverage and checked by ASan;
# Each target's main hands its LLVMFuzzerTestOneInput to libFuzzer's driver (LLVMFuzzerRunDriver).
mkdir -p .build
for name in "${targets[@]}"; do
    if ! nice -n 10 swift build -c debug -Xswiftc -sanitize=fuzzer,address --product "fuzz-$name" \
        > .build/build.log 2>&1; then
        grep -v 'warning: Cannot export local symbol' .build/build.log | tail -40 >&2
        exit 1
    fi
done
bin=$(swift build -c debug --show-bin-path)
# The parsers read files: keep the scratch files in memory when the machine allows.
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm

# Leak detection is off: Foundation on Linux leaks a few bytes per call in
# FileManager.contents(atPath:) on an empty file and in fileSystemRepresentation (ZIPFoundation),
# which would end every run on leaks that are not PruneKit's.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
mkdir -p .build/crashes
status=0
for name in "${targets[@]}"; do
    mkdir -p ".build/corpus/$name"
    echo "== fuzz-$name for $seconds s"
    log=".build/fuzz-$name.log"
    # -rss_limit_mb also caps single allocations: an input that makes a parser ask for more is a crash.
    if ! nice -n 10 "$bin/fuzz-$name" ".build/corpus/$name" "Corpus/$name" \
        -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=".build/crashes/$name-" "$@" > "$log" 2>&1; then
        echo "fuzz-$name FAILED; see Fuzz/$log and Fuzz/.build/crashes/" >&2
        tail -40 "$log" >&2
        status=1
    fi
    summary=$(grep -E '^Done [0-9]+ runs' "$log" || echo "no summary")
    echo "fuzz-$name: $summary"
    echo "$(date -u +%FT%TZ) fuzz-$name: $summary" >> .build/results.txt
done
exit $status
