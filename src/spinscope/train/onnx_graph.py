"""Rewrites of exported ONNX graphs; needs ``onnx`` and numpy, not torch, so tests can run it anywhere."""

from __future__ import annotations

from typing import Any

import numpy as np


def unfuse_layer_norms(model: Any) -> int:
    """Replace each fused (Skip)LayerNormalization of an ONNX graph by plain ops; returns how many.

    ONNX Runtime 1.32's CPU LayerNormalization and SkipLayerNormalization kernels are more than twice as
    slow on this machine as the same arithmetic in plain ops (``python bench/layer_norm.py``); in the
    int8 MiniLM they were 24% of the encoder's time. The output is the same up to float rounding (the ops are float either way), so heads
    trained on the fused graph's states stay valid. Nothing in ONNX Runtime re-fuses this pattern: its
    LayerNormFusion looks for Pow, and we square with Mul.
    """
    from onnx import helper, numpy_helper

    graph = model.graph
    nodes = []
    count = 0
    inits = []
    for node in graph.node:
        fused_skip = node.op_type == "SkipLayerNormalization" and node.domain == "com.microsoft"
        if not (fused_skip or node.op_type == "LayerNormalization" and node.domain in ("", "ai.onnx")):
            nodes.append(node)
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        axis = int(attrs.get("axis", -1))
        if axis != -1 or len(node.output) > 1 and any(node.output[1:]):
            nodes.append(node)  # other axes or the optional mean/std outputs: keep the fused op
            continue
        count += 1
        p = f"{node.name or node.output[0]}/unfused"
        eps = f"{p}/epsilon"
        inits.append(numpy_helper.from_array(np.array(attrs.get("epsilon", 1e-5), dtype=np.float32), eps))
        if fused_skip:
            x, skip, gamma = node.input[0], node.input[1], node.input[2]
            beta = node.input[3] if len(node.input) > 3 and node.input[3] else None
            bias = node.input[4] if len(node.input) > 4 and node.input[4] else None
            z = f"{p}/sum"
            if bias:
                nodes.append(helper.make_node("Add", [x, bias], [f"{p}/biased"], name=f"{p}/add_bias"))
                x = f"{p}/biased"
            nodes.append(helper.make_node("Add", [x, skip], [z], name=f"{p}/add_skip"))
        else:
            z, gamma = node.input[0], node.input[1]
            beta = node.input[2] if len(node.input) > 2 and node.input[2] else None
        nodes += [
            helper.make_node("ReduceMean", [z], [f"{p}/mean"], name=f"{p}/mean", axes=[-1], keepdims=1),
            helper.make_node("Sub", [z, f"{p}/mean"], [f"{p}/centred"], name=f"{p}/centre"),
            helper.make_node("Mul", [f"{p}/centred", f"{p}/centred"], [f"{p}/squared"], name=f"{p}/square"),
            helper.make_node("ReduceMean", [f"{p}/squared"], [f"{p}/var"], name=f"{p}/var", axes=[-1], keepdims=1),
            helper.make_node("Add", [f"{p}/var", eps], [f"{p}/var_eps"], name=f"{p}/add_eps"),
            helper.make_node("Sqrt", [f"{p}/var_eps"], [f"{p}/std"], name=f"{p}/std"),
            helper.make_node("Div", [f"{p}/centred", f"{p}/std"], [f"{p}/normed"], name=f"{p}/normalise"),
        ]
        scaled = node.output[0] if beta is None else f"{p}/scaled"
        nodes.append(helper.make_node("Mul", [f"{p}/normed", gamma], [scaled], name=f"{p}/scale"))
        if beta is not None:
            nodes.append(helper.make_node("Add", [scaled, beta], [node.output[0]], name=f"{p}/shift"))
    if count:
        del graph.node[:]
        graph.node.extend(nodes)
        graph.initializer.extend(inits)
    return count
