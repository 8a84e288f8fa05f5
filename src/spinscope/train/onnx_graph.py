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


# Tensor names in the fused BERT graphs every encoder export produces (torch module paths, kept by the
# exporter and by ONNX Runtime's fuser): the output of layer N, and the per-row token counts that the
# fused embedding op hands every attention op.
MASK_INDEX = "EmbedLayerNormalization_0_dummy_mask_index"


def layer_output(layer: int) -> str:
    """The name of 0-based layer ``layer``'s output (its last layer norm) in a fused BERT graph."""
    return f"/bert/encoder/layer.{layer}/output/LayerNorm/LayerNormalization_output_0"


def expose_layer_states(model: Any, hidden_size: int) -> list[str]:
    """Make each layer's output and the mask index outputs of the graph too; returns the names added.

    A second encoder that shares this one's bottom layers (``spinscope train multitask --trunk K``) then
    runs only its own top layers on the states this graph computes anyway: ONNX Runtime hands out only
    graph outputs. Asking for ``token_states`` alone computes exactly what it did before.
    """
    from onnx import TensorProto, helper

    graph = model.graph
    produced = {out for node in graph.node for out in node.output}
    present = {out.name for out in graph.output}
    # The last layer's output is the graph's own (renamed ``token_states``), so it is not among these.
    layers = sorted({int(name.split("layer.")[1].split("/")[0]) for name in produced if name.startswith("/bert/encoder/layer.")})
    added = []
    for name in [MASK_INDEX, *(layer_output(n) for n in layers if layer_output(n) in produced)]:
        if name not in produced:
            raise ValueError(f"the graph has no tensor {name!r}: not a fused BERT encoder graph")
        if name in present:
            continue
        if name == MASK_INDEX:
            info = helper.make_tensor_value_info(name, TensorProto.INT32, ["batch"])
        else:
            info = helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", "seq", hidden_size])
        graph.output.append(info)
        added.append(name)
    return added


def top_layers(model: Any, trunk: int, output: str = "token_states") -> Any:
    """The part of a fused BERT graph above its bottom ``trunk`` layers: inputs layer ``trunk - 1``'s output and the mask index.

    ``model`` must expose both as outputs (:func:`expose_layer_states`), which gives the extractor their types.
    """
    from onnx import utils

    states = layer_output(trunk - 1)
    top = utils.Extractor(model).extract_model([states, MASK_INDEX], [output])
    top.graph.name = f"{model.graph.name} above layer {trunk}"
    return top


def bottom_layers(model: Any, layers: int, output: str = "token_states") -> Any:
    """A fused BERT graph (whole, or a top over a trunk) cut after its 0-based layer ``layers - 1``, whose output it renames ``output``.

    Used by ``spinscope train multitask --export-layers K`` (``multitask.cut_export`` says why).
    """
    from onnx import TensorProto, helper, utils

    states = layer_output(layers - 1)
    graph = model.graph
    produced = {out for node in graph.node for out in node.output}
    if states not in produced:
        raise ValueError(f"the graph computes no {states!r}: it has no layer {layers - 1} of its own")
    # The extractor takes an output's type from the graph's outputs, so the states become one for the cut.
    added = states not in {out.name for out in graph.output}
    if added:
        graph.output.append(helper.make_tensor_value_info(states, TensorProto.FLOAT, ["batch", "seq", None]))
    cut = utils.Extractor(model).extract_model([i.name for i in graph.input], [states])
    if added:
        graph.output.pop()  # the caller's model is left as it was
    for node in cut.graph.node:
        node.output[:] = [output if name == states else name for name in node.output]
    cut.graph.output[0].name = output
    cut.graph.name = f"{model.graph.name} up to layer {layers - 1}"
    return cut

