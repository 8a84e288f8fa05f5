"""ONNX Runtime's fused layer-norm kernels against the same arithmetic as plain ops, on this machine.

    python bench/layer_norm.py [--repeats 200]

Builds one-node graphs of ``SkipLayerNormalization`` (com.microsoft) and ``LayerNormalization``, and
the same graphs after ``spinscope.train.onnx_graph.unfuse_layer_norms``, runs each on [8, 64, 384]
float32 inputs with one thread and prints the median time per element. This is the measurement
behind writing the encoder's layer norms out as plain ops (see the encoder card). Needs ``onnx``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from spinscope.train.onnx_graph import unfuse_layer_norms

SHAPE = (8, 64, 384)


def graph(kind: str) -> onnx.ModelProto:
    """A one-node model: "skip" (SkipLayerNormalization with bias) or "plain" (Add then LayerNormalization)."""
    h = SHAPE[-1]
    rng = np.random.default_rng(0)
    inits = [
        numpy_helper.from_array(rng.normal(1, 0.1, h).astype(np.float32), "gamma"),
        numpy_helper.from_array(rng.normal(0, 0.1, h).astype(np.float32), "beta"),
    ]
    if kind == "skip":
        inits.append(numpy_helper.from_array(rng.normal(0, 0.1, h).astype(np.float32), "bias"))
        nodes = [helper.make_node("SkipLayerNormalization", ["x", "skip", "gamma", "beta", "bias"], ["y"], domain="com.microsoft", epsilon=1e-12)]
    else:
        nodes = [helper.make_node("Add", ["x", "skip"], ["z"]), helper.make_node("LayerNormalization", ["z", "gamma", "beta"], ["y"], axis=-1, epsilon=1e-12)]
    io = [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["b", "s", h]) for n in ("x", "skip")]
    out = [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["b", "s", h])]
    return helper.make_model(
        helper.make_graph(nodes, kind, io, out, inits),
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
    )


def ns_per_element(model: onnx.ModelProto, repeats: int) -> float:
    """Median nanoseconds per input element over ``repeats`` runs, one thread."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)
    feeds = {n: rng.normal(0, 3, SHAPE).astype(np.float32) for n in ("x", "skip")}
    for _ in range(10):
        session.run(None, feeds)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        session.run(None, feeds)
        times.append(time.perf_counter() - t)
    return statistics.median(times) / np.prod(SHAPE) * 1e9


def main() -> None:
    """Print the fused and the plain-op time per element for both layer-norm forms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    print(f"onnxruntime {ort.__version__}, inputs {list(SHAPE)}, one thread, median of {args.repeats}")
    for kind in ("skip", "plain"):
        fused = graph(kind)
        unfused = graph(kind)
        unfuse_layer_norms(unfused)
        print(f"{kind:5s} fused {ns_per_element(fused, args.repeats):5.2f} ns/element, "
              f"plain ops {ns_per_element(unfused, args.repeats):5.2f} ns/element")


if __name__ == "__main__":
    main()
