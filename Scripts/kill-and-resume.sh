#!/usr/bin/env bash
# Kill-and-resume test of `report --resume` (issue #11), run by .ci/run.
#
# Runs the built `report` binary on a tiny configuration once uninterrupted, then again killing it
# with SIGKILL after a random delay (anywhere in the run: loading, mid-epoch, mid-checkpoint,
# mid-log append, evaluation, mid-render) and resuming it with `--resume` until it finishes, at
# least KILLS times. Then checks that the final checkpoints are the same bytes, that summary.json
# and results.json agree with the uninterrupted run's (timings aside), that summaries.jsonl holds
# each step once with the uninterrupted run's records, and that the TensorBoard event files hold
# the same (tag, step) events.
#
# Usage: Scripts/kill-and-resume.sh [KILLS] (default 20; SEED=n for the delays' seed).
set -euo pipefail
cd "$(dirname "$0")/.."
kills_wanted=${1:-20}
RANDOM=${SEED:-$$}

swift build --product report >/dev/null
report="$(swift build --show-bin-path)/report"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
options=(--subset 150 --epochs 3 --batch-size 25 --frequency 2 --seed 3)

started=$(date +%s%N)
"$report" "${options[@]}" --out "$work/reference" --logdir "$work/reference-logs" >"$work/reference.out"
duration_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "uninterrupted run: ${duration_ms} ms"

# Delays from 0 to 1.2 times the whole run: every phase gets kills, and each resumed process
# gets further on average, since every finished epoch is kept. Each chain of runs that finishes is
# compared with the uninterrupted run; chains go on until KILLS kills have happened.
compare() {
    for model in pruned baseline; do
        cmp "$work/reference-logs/$model/checkpoint.prunekit" "$work/killed-logs/$model/checkpoint.prunekit"
    done
    python3 Scripts/compare-resumed-run.py "$work/reference" "$work/reference-logs" "$work/killed" "$work/killed-logs"
}
killed=0 attempts=0 chains=0 resuming=0
while true; do
    attempts=$((attempts + 1))
    if [ "$attempts" -gt $((kills_wanted * 8)) ]; then
        echo "FAIL: $attempts processes without enough finished runs ($killed kills)" >&2
        exit 1
    fi
    if [ "$resuming" -eq 1 ]; then
        run=("$report" --resume "$work/killed-logs" --out "$work/killed")
    else
        run=("$report" "${options[@]}" --out "$work/killed" --logdir "$work/killed-logs")
    fi
    delay_ms=$(( (RANDOM * 32768 + RANDOM) % (duration_ms * 12 / 10 + 1) ))
    "${run[@]}" >"$work/attempt.out" 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -KILL "$pid" 2>/dev/null || true
    status=0
    wait "$pid" || status=$?
    if [ "$status" -eq 137 ]; then
        killed=$((killed + 1))
        echo "kill $killed at ${delay_ms} ms"
        # A run killed before it stored its configuration has nothing to resume: start it again.
        [ -f "$work/killed-logs/configuration.json" ] && resuming=1
        continue
    fi
    if [ "$status" -ne 0 ]; then
        echo "FAIL: process $attempts exited with status $status:" >&2
        cat "$work/attempt.out" >&2
        exit 1
    fi
    compare
    chains=$((chains + 1))
    echo "chain $chains finished and matches the uninterrupted run ($killed kills so far)"
    [ "$killed" -ge "$kills_wanted" ] && break
    rm -rf "$work/killed" "$work/killed-logs"
    resuming=0
done
echo "kill-and-resume: $killed SIGKILLs, $attempts processes, $chains finished chains; final checkpoints identical, figures and logs equal"
