#!/usr/bin/env python3
"""PruneKit vs Keras + tfmot on the article's pruning experiment, run alternately on the same data.

Both train the article's CNN with PolynomialDecay pruning (0 -> 87.5%, 20-100% of the steps) on the
same IDX files: the bundled 5,000-image sample (4,000 fit, 1,000 validation) and MNIST's 10,000 test
images. PruneKit runs `swift run -c release report --no-baseline`; Keras runs
../shared/anchors/keras/prune_cnn.py in the TensorFlow venv. For each round it prints both
steady-state throughputs (fit images / median epoch of epochs 2..N, validation included, as both
tools report it) and both whole-process wall times, and their ratios.

    python3 Benchmarks/compare-keras.py [--epochs 30] [--rounds 2] [--venv /tmp/venv-tf]

Needs the venv of ../shared/anchors/keras/README.md (TensorFlow + tfmot); exits with a message
naming what is missing otherwise. Dev tooling only: PruneKit itself never runs Python.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))


def fail(message):
    sys.exit(f"compare-keras: {message}")


def timed(command, **kwargs):
    """Runs `command`, returns its wall time in seconds; stops with its output if it fails."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        fail(f"{command[0]} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--venv", default="/tmp/venv-tf")
    parser.add_argument("--sample", default=os.path.join(SHARED, "data", "mnist-5k"),
                        help="directory with images-idx3-ubyte.gz and labels-idx1-ubyte.gz (training data)")
    parser.add_argument("--test", default=os.path.join(SHARED, "data", "mnist"),
                        help="directory with MNIST's t10k-*-ubyte.gz (test data)")
    args = parser.parse_args()
    if args.epochs < 2 or args.rounds < 1:
        fail("--epochs must be at least 2 (epoch 1 is warm-up) and --rounds at least 1")
    python = os.path.join(args.venv, "bin", "python")
    script = os.path.join(SHARED, "anchors", "keras", "prune_cnn.py")
    for path, what in [(python, "the TensorFlow venv (see ../shared/anchors/keras/README.md)"),
                       (script, "the Keras reference script"),
                       (os.path.join(args.sample, "images-idx3-ubyte.gz"), "the 5k sample's images"),
                       (os.path.join(args.test, "t10k-images-idx3-ubyte.gz"), "MNIST's test images")]:
        if not os.path.exists(path):
            fail(f"{path} not found: {what}")

    work = tempfile.mkdtemp(prefix="prunekit-vs-keras-")
    data = os.path.join(work, "data")
    os.mkdir(data)
    links = {"train-images-idx3-ubyte.gz": os.path.join(args.sample, "images-idx3-ubyte.gz"),
             "train-labels-idx1-ubyte.gz": os.path.join(args.sample, "labels-idx1-ubyte.gz"),
             "t10k-images-idx3-ubyte.gz": os.path.join(args.test, "t10k-images-idx3-ubyte.gz"),
             "t10k-labels-idx1-ubyte.gz": os.path.join(args.test, "t10k-labels-idx1-ubyte.gz")}
    for name, target in links.items():
        os.symlink(target, os.path.join(data, name))

    print("building PruneKit's report (release)...", flush=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "report"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    report = os.path.join(ROOT, ".build", "release", "report")

    print(f"{args.rounds} round(s), {args.epochs} epochs each, batch 250, pruned; data in {data}")
    print("round  PruneKit img/s  Keras img/s  ratio   PruneKit process s  Keras process s  ratio")
    ratios, process_ratios = [], []
    for round_ in range(1, args.rounds + 1):
        out = os.path.join(work, f"prunekit-{round_}")
        prunekit_seconds = timed([report, "--data", data, "--epochs", str(args.epochs), "--no-baseline",
                                  "--out", out], cwd=ROOT)
        with open(os.path.join(out, "summary.json")) as f:
            prunekit_rate = json.load(f)["pruned"]["trainingImagesPerSecond"]
        keras_json = os.path.join(work, f"keras-{round_}.json")
        keras_seconds = timed([python, script, "--train-images", os.path.join(data, "train-images-idx3-ubyte.gz"),
                               "--train-labels", os.path.join(data, "train-labels-idx1-ubyte.gz"),
                               "--test-images", os.path.join(data, "t10k-images-idx3-ubyte.gz"),
                               "--test-labels", os.path.join(data, "t10k-labels-idx1-ubyte.gz"),
                               "--epochs", str(args.epochs), "--prune", "--verbose", "0",
                               "--log-dir", os.path.join(work, f"keras-tb-{round_}"),
                               "--save-dir", os.path.join(work, f"keras-{round_}"), "--out-json", keras_json])
        with open(keras_json) as f:
            keras_rate = json.load(f)["throughput_samples_per_s"]
        ratios.append(prunekit_rate / keras_rate)
        process_ratios.append(keras_seconds / prunekit_seconds)
        print(f"{round_:5d}  {prunekit_rate:14.0f}  {keras_rate:11.0f}  {ratios[-1]:5.2f}x  "
              f"{prunekit_seconds:18.1f}  {keras_seconds:15.1f}  {process_ratios[-1]:5.2f}x", flush=True)
    print(f"median: PruneKit trains {statistics.median(ratios):.2f}x Keras + tfmot's steady-state images/s; "
          f"whole processes {statistics.median(process_ratios):.2f}x faster (Keras time / PruneKit time)")
    print(f"outputs kept in {work}")



if __name__ == "__main__":
    main()
