"""The int8 export's graph rewrite: fused layer norms written out as plain ONNX ops."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from spinscope.train.onnx_graph import unfuse_layer_norms  # noqa: E402

H = 16


def _model(node: onnx.NodeProto, inputs: list[str]) -> onnx.ModelProto:
    rng = np.random.default_rng(0)
    inits = [
        numpy_helper.from_array(rng.normal(1, 0.2, H).astype(np.float32), "gamma"),
        numpy_helper.from_array(rng.normal(0, 0.2, H).astype(np.float32), "beta"),
        numpy_helper.from_array(rng.normal(0, 0.2, H).astype(np.float32), "bias"),
    ]
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["b", "s", H]) for n in inputs],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["b", "s", H])],
        inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])


def _run(model: onnx.ModelProto, feeds: dict[str, np.ndarray]) -> np.ndarray:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)[0]


@pytest.mark.parametrize("fused", ["skip", "plain"])
def test_unfused_layer_norm_computes_the_same(fused: str) -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(0, 3, (2, 5, H)).astype(np.float32)
    skip = rng.normal(0, 3, (2, 5, H)).astype(np.float32)
    if fused == "skip":
        node = helper.make_node(
            "SkipLayerNormalization", ["x", "skip", "gamma", "beta", "bias"], ["y"], domain="com.microsoft", epsilon=1e-12
        )
        model, feeds = _model(node, ["x", "skip"]), {"x": x, "skip": skip}
    else:
        node = helper.make_node("LayerNormalization", ["x", "gamma", "beta"], ["y"], axis=-1, epsilon=1e-5)
        model, feeds = _model(node, ["x"]), {"x": x}
    expected = _run(model, feeds)
    assert unfuse_layer_norms(model) == 1
    onnx.checker.check_model(model)
    assert not any("LayerNormalization" in n.op_type for n in model.graph.node)
    np.testing.assert_allclose(_run(model, feeds), expected, atol=1e-5)


def test_layer_norm_over_another_axis_is_kept() -> None:
    node = helper.make_node("LayerNormalization", ["x", "gamma", "beta"], ["y"], axis=1)
    model = _model(node, ["x"])
    assert unfuse_layer_norms(model) == 0
    assert [n.op_type for n in model.graph.node] == ["LayerNormalization"]


def test_bundled_models_carry_no_fused_layer_norm() -> None:
    from spinscope.runtime import MODELS_DIR

    for path in sorted(MODELS_DIR.glob("*/model.int8.onnx")):
        ops = {n.op_type for n in onnx.load(path, load_external_data=False).graph.node}
        assert not ops & {"SkipLayerNormalization", "LayerNormalization"}, path
