#!/usr/bin/env python3
"""Writes decompression-bomb data directories for `report --data DIR` (issue #11's cases).

    Fuzz/make-bombs.py OUT [--inflated-gb 1.5]

OUT/idx/  the four MNIST IDX files; train-images-idx3-ubyte.gz's header announces 100 images of
          28x28 but its gzip stream inflates to --inflated-gb GB of zeros.
OUT/npz/mnist.npz  Keras's four members; x_train.npy's header announces 100 images but the
          deflated member inflates to the same size.
Everything is streamed, so writing a 15 GB bomb needs no memory. Dev tooling only.
"""
import argparse, gzip, os, struct, zipfile, zlib

COUNT, ROWS, COLS = 100, 28, 28
CHUNK = bytes(1 << 24)


def idx_header(dims):
    return struct.pack(">I", 0x0800 | len(dims)) + b"".join(struct.pack(">I", d) for d in dims)


def npy_header(shape):
    shape_text = "(%s,)" % shape[0] if len(shape) == 1 else "(%s)" % ", ".join(map(str, shape))
    text = "{'descr': '|u1', 'fortran_order': False, 'shape': %s, }" % shape_text
    text += " " * ((64 - (10 + len(text) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode()


def write_zeros(write, total):
    while total > 0:
        n = min(total, len(CHUNK))
        write(CHUNK[:n])
        total -= n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--inflated-gb", type=float, default=1.5)
    args = parser.parse_args()
    inflated = int(args.inflated_gb * (1 << 30))
    labels = bytes(i % 10 for i in range(COUNT))

    idx = os.path.join(args.out, "idx")
    os.makedirs(idx, exist_ok=True)
    with gzip.open(os.path.join(idx, "train-images-idx3-ubyte.gz"), "wb", compresslevel=9) as f:
        f.write(idx_header([COUNT, ROWS, COLS]))
        write_zeros(f.write, inflated)
    with gzip.open(os.path.join(idx, "train-labels-idx1-ubyte.gz"), "wb") as f:
        f.write(idx_header([COUNT]) + labels)
    with gzip.open(os.path.join(idx, "t10k-images-idx3-ubyte.gz"), "wb") as f:
        f.write(idx_header([COUNT, ROWS, COLS]) + bytes(COUNT * ROWS * COLS))
    with gzip.open(os.path.join(idx, "t10k-labels-idx1-ubyte.gz"), "wb") as f:
        f.write(idx_header([COUNT]) + labels)

    npz = os.path.join(args.out, "npz")
    os.makedirs(npz, exist_ok=True)
    with zipfile.ZipFile(os.path.join(npz, "mnist.npz"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("x_train.npy", "w", force_zip64=True) as f:
            f.write(npy_header([COUNT, ROWS, COLS]))
            write_zeros(f.write, inflated)
        z.writestr("y_train.npy", npy_header([COUNT]) + labels)
        z.writestr("x_test.npy", npy_header([COUNT, ROWS, COLS]) + bytes(COUNT * ROWS * COLS))
        z.writestr("y_test.npy", npy_header([COUNT]) + labels)


if __name__ == "__main__":
    main()
