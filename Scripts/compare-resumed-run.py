#!/usr/bin/env python3
"""Compares a run that was killed and resumed with an uninterrupted one (Scripts/kill-and-resume.sh).

Usage: compare-resumed-run.py REFERENCE_REPORT REFERENCE_LOGS RESUMED_REPORT RESUMED_LOGS

summary.json and results.json must be equal once timings are removed; each model's summaries.jsonl
must hold each step, epoch and weight snapshot once and equal the uninterrupted run's records
(timings and the `run` records, which name the step a process started at, aside); the TensorBoard
event files must hold the same (tag, step) events with the same values.
"""
import collections
import glob
import json
import os
import sys

TIMINGS = {"trainingImagesPerSecond", "imagesPerSecond", "trainingSeconds", "finished", "seconds", "samplesPerSecond",
           # The inference-speed measurement of the deployment (results.json) and its summary.
           "denseSeconds", "sparseSeconds", "speedup", "denseImagesPerSecond", "sparseImagesPerSecond"}


def without_timings(value):
    if isinstance(value, dict):
        return {key: without_timings(item) for key, item in value.items() if key not in TIMINGS}
    if isinstance(value, list):
        return [without_timings(item) for item in value]
    return value


def load_json(path):
    with open(path) as file:
        return without_timings(json.load(file))


def records(logs, model):
    path = os.path.join(logs, model, "summaries.jsonl")
    with open(path, "rb") as file:
        data = file.read()
    if not data.endswith(b"\n"):
        sys.exit(f"FAIL: {path} ends with a torn line")
    kept = []
    for number, line in enumerate(data.split(b"\n")[:-1], 1):
        try:
            record = json.loads(line)
        except ValueError as error:
            sys.exit(f"FAIL: {path} line {number} is not JSON: {error}")
        if record.get("kind") != "run":
            kept.append(without_timings(record))
    return path, kept


def events(logs, model):
    try:
        from tensorboard.backend.event_processing.event_file_loader import EventFileLoader
    except ImportError:
        if os.environ.get("PRUNEKIT_REQUIRE_TENSORBOARD"):
            raise
        return None
    found = collections.Counter()
    for path in sorted(glob.glob(os.path.join(logs, model, "*", "events.out.tfevents.*"))):
        directory = os.path.basename(os.path.dirname(path))
        for event in EventFileLoader(path).Load():
            for value in event.summary.value:
                found[(directory, value.tag, event.step, value.SerializeToString())] += 1
    return found


def main():
    reference_report, reference_logs, resumed_report, resumed_logs = sys.argv[1:5]
    for name, left, right in [("summary.json", reference_report, resumed_report),
                              ("results.json", reference_logs, resumed_logs)]:
        if load_json(os.path.join(left, name)) != load_json(os.path.join(right, name)):
            sys.exit(f"FAIL: {os.path.join(right, name)} differs from the uninterrupted run's (timings aside)")
    for model in ["pruned", "baseline"]:
        _, expected = records(reference_logs, model)
        path, found = records(resumed_logs, model)
        for kind, key in [("step", "step"), ("epoch", "epoch"), ("weights", "label")]:
            keys = [record[key] for record in found if record["kind"] == kind]
            duplicated = [value for value, count in collections.Counter(keys).items() if count > 1]
            if duplicated:
                sys.exit(f"FAIL: {path} holds {kind} records {duplicated[:5]} more than once")
        if found != expected:
            sys.exit(f"FAIL: {path}: {len(found)} records differ from the uninterrupted run's {len(expected)}")
        expected_events, found_events = events(reference_logs, model), events(resumed_logs, model)
        if expected_events is not None and found_events != expected_events:
            extra = found_events - expected_events
            missing = expected_events - found_events
            sys.exit(f"FAIL: {resumed_logs}/{model} event files: {sum(extra.values())} events more and "
                     f"{sum(missing.values())} fewer than the uninterrupted run's, e.g. {list(extra)[:1] or list(missing)[:1]}")


main()
