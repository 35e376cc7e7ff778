"""Runs an exported PruneKit ONNX model in onnxruntime (CPU, one thread, as a reference check).

    python3 onnxruntime_predict.py MODEL IMAGES COUNT HEIGHT WIDTH CHANNELS OUTPUT [--no-qdq-fusion]

IMAGES holds COUNT float32 little-endian images, channels last; OUTPUT receives the model's
`output` for them as float32 little-endian, row after row. Prints onnxruntime's version.

--no-qdq-fusion turns off onnxruntime's QDQSelectorActionTransformer, which replaces
DequantizeLinear → Conv/Gemm by integer kernels that also quantize the activations (a different
computation); without it the session computes the graph as written.
"""
import sys

import numpy as np
import onnxruntime

model, images, count, height, width, channels, output = sys.argv[1:8]
disabled = ["QDQSelectorActionTransformer"] if "--no-qdq-fusion" in sys.argv[8:] else []
shape = (int(count), int(height), int(width), int(channels))
inputs = np.fromfile(images, dtype="<f4").reshape(shape)
options = onnxruntime.SessionOptions()
options.intra_op_num_threads = 1
session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"],
                                       disabled_optimizers=disabled)
(result,) = session.run(["output"], {"input": inputs})
np.ascontiguousarray(result, dtype="<f4").tofile(output)
print(onnxruntime.__version__)
