#!/usr/bin/env bash
# Regenerates the committed swift-protobuf sources from their .proto definitions:
#   Sources/PruneKitONNX/Generated/onnx.pb.swift                 from onnx's onnx/onnx.proto
#   Sources/PruneKit/Summaries/TensorBoard/Generated/*.pb.swift  from tensorboard's compat protos
# Needs protoc (Debian: apt-get install protobuf-compiler), python3 with pip, and swift; the
# protoc-gen-swift plugin is built from the swift-protobuf version Package.resolved pins (or
# taken from $PROTOC_GEN_SWIFT).
# Nothing here runs at build time: the generated files are committed.
set -euo pipefail

ONNX_VERSION=1.23.2
TENSORBOARD_VERSION=2.21.0

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"

# PROTOC_GEN_SWIFT may name an already built plugin of the pinned version.
plugin=${PROTOC_GEN_SWIFT:-}
if [ -z "$plugin" ]; then
    swift package resolve
    swift build --package-path .build/checkouts/swift-protobuf --scratch-path "$work/swift-protobuf" \
        --product protoc-gen-swift
    plugin="$work/swift-protobuf/debug/protoc-gen-swift"
fi

python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work/wheels" \
    "onnx==$ONNX_VERSION" "tensorboard==$TENSORBOARD_VERSION"

# ONNX: the .proto file ships in the wheel.
mkdir -p "$work/onnx"
python3 - "$work" <<'PY'
import glob, sys, zipfile
work = sys.argv[1]
with zipfile.ZipFile(glob.glob(f"{work}/wheels/onnx-*.whl")[0]) as wheel:
    wheel.extract("onnx/onnx.proto", f"{work}/onnx")
PY
mkdir -p Sources/PruneKitONNX/Generated
protoc --plugin=protoc-gen-swift="$plugin" --proto_path="$work/onnx" \
    --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath \
    --swift_out=Sources/PruneKitONNX/Generated onnx/onnx.proto

# TensorBoard: the wheel ships only the compiled *_pb2.py modules, each embedding its serialized
# FileDescriptorProto; gather those into a FileDescriptorSet for protoc.
python3 - "$work" <<'PY'
import ast, glob, sys, zipfile
work = sys.argv[1]
names = ["types", "tensor_shape", "resource_handle", "tensor", "histogram", "summary", "event"]
descriptor_set = b""
with zipfile.ZipFile(glob.glob(f"{work}/wheels/tensorboard-*.whl")[0]) as wheel:
    for name in names:
        source = wheel.read(f"tensorboard/compat/proto/{name}_pb2.py").decode()
        call = next(node for node in ast.walk(ast.parse(source))
                    if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "AddSerializedFile")
        file = call.args[0].value
        length, varint = len(file), b""
        while True:
            byte = length & 0x7F
            length >>= 7
            varint += bytes([byte | (0x80 if length else 0)])
            if not length:
                break
        descriptor_set += b"\x0a" + varint + file  # FileDescriptorSet.file, field 1
open(f"{work}/tensorboard.pb", "wb").write(descriptor_set)
PY
mkdir -p Sources/PruneKit/Summaries/TensorBoard/Generated
protoc --plugin=protoc-gen-swift="$plugin" --descriptor_set_in="$work/tensorboard.pb" \
    --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath \
    --swift_out=Sources/PruneKit/Summaries/TensorBoard/Generated \
    tensorboard/compat/proto/{types,tensor_shape,resource_handle,tensor,histogram,summary,event}.proto
echo "regenerated with onnx $ONNX_VERSION, tensorboard $TENSORBOARD_VERSION, $(protoc --version)"
