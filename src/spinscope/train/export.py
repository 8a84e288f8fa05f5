"""Export a torch model to ONNX and quantise it to int8 for ONNX Runtime (extra [train]).

Exporter choice, measured with torch 2.13 / onnxruntime 1.32 on all-MiniLM-L6-v2: both exporters give
correct graphs, but only the TorchScript exporter's graph of a BERT loaded with
``attn_implementation="eager"`` is recognised by ONNX Runtime's transformer fuser (Attention,
EmbedLayerNormalization, SkipLayerNormalization, BiasGelu). Fused and int8, that graph runs about twice
as fast as the dynamo exporter's unfused int8 graph, at the same accuracy. So TorchScript is the default
here, dynamo (torch's default since 2.9) the fallback and an option.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch

from .onnx_graph import unfuse_layer_norms

OPSET = 17

Exporter = Literal["torchscript", "dynamo"]


def export_onnx(
    model: torch.nn.Module,
    example: dict[str, torch.Tensor],
    out: Path,
    *,
    input_names: Sequence[str],
    output_names: Sequence[str],
    dynamic_axes: Mapping[str, Mapping[int, str]],
    opset: int = OPSET,
    exporter: Exporter = "torchscript",
) -> Path:
    """Export ``model`` (called as ``model(**example)``) to one fp32 ONNX file and check it against torch."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    kwargs = {name: example[name] for name in input_names}
    for name, tensor in kwargs.items():
        for axis in dynamic_axes.get(name, {}):
            # Both exporters can freeze a dimension of size 0 or 1 into a constant.
            if tensor.shape[axis] < 2:
                raise ValueError(f"example input {name!r} needs size >= 2 on dynamic axis {axis}")
    axes = {k: dict(v) for k, v in dynamic_axes.items()}
    with torch.no_grad(), warnings.catch_warnings():
        # Expected and harmless here: the deprecation notice, tracer notes about Python-side shape checks,
        # and the dynamo exporter's note that two inputs share an axis name (which is what we mean).
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message=".*axis name.*")
        warnings.filterwarnings("ignore", message=".*aten::index.*")
        if exporter == "torchscript":
            torch.onnx.export(
                model,
                tuple(kwargs.values()),
                str(out),
                input_names=list(input_names),
                output_names=list(output_names),
                dynamic_axes=axes,
                opset_version=opset,
                do_constant_folding=True,
                dynamo=False,
            )
        else:
            torch.onnx.export(
                model,
                (),
                str(out),
                kwargs=kwargs,
                input_names=list(input_names),
                output_names=list(output_names),
                dynamic_axes=axes,
                opset_version=max(opset, 18),
                dynamo=True,
                external_data=False,
                verbose=False,
            )
    check_parity(model, example, out, input_names=input_names)
    return out


def check_parity(
    model: torch.nn.Module,
    example: dict[str, torch.Tensor],
    onnx_path: Path,
    *,
    input_names: Sequence[str],
    atol: float = 1e-3,
) -> float:
    """Largest absolute difference between torch and ONNX Runtime outputs; raises if above ``atol``."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    feeds = {name: example[name].numpy() for name in input_names}
    got = session.run(None, feeds)
    with torch.no_grad():
        want = model(**{name: example[name] for name in input_names})
    want_list = [want] if isinstance(want, torch.Tensor) else list(want)
    mask = example.get("attention_mask")
    worst = 0.0
    for g, w in zip(got, want_list, strict=False):
        diff = np.abs(g - w.numpy())
        # Outputs at padded positions are undefined (fused attention skips them); compare real tokens only.
        if mask is not None and diff.ndim >= 2 and diff.shape[:2] == tuple(mask.shape):
            diff = diff[mask.numpy().astype(bool)]
        worst = max(worst, float(diff.max()))
    if worst > atol:
        raise RuntimeError(f"ONNX export of {type(model).__name__} differs from torch by {worst:.2e}")
    return worst


def fuse_transformer(
    fp32: Path, out: Path, *, model_type: str = "bert", num_heads: int = 0, hidden_size: int = 0
) -> dict[str, int]:
    """Fuse attention, layer norms and GELU with ONNX Runtime's transformer optimizer; returns fused op counts."""
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(
        str(fp32), model_type=model_type, num_heads=num_heads, hidden_size=hidden_size, opt_level=1
    )
    fused.save_model_to_file(str(out))
    return {k: int(v) for k, v in fused.get_fused_operator_statistics().items() if v}


def quantize_int8(fp32: Path, out: Path, *, per_channel: bool = True) -> Path:
    """Dynamic int8 quantisation of weights (activations quantised at run time) of MatMul/Gemm/Attention."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(
        fp32,
        out,
        # Not an unfused embedding Gather: quantising it saves 36 MB but worsens MiniLM's worst-case
        # cosine to fp32 (0.977 -> 0.961) and gains no speed.
        op_types_to_quantize=["MatMul", "Gemm", "Attention"],
        per_channel=per_channel,
        weight_type=QuantType.QInt8,
        # Fused contrib ops (SkipLayerNormalization …) defeat ONNX shape inference; their outputs are float.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    model = onnx.load(out)
    if unfuse_layer_norms(model):
        onnx.save(model, out)
    return out


def export_int8(
    model: torch.nn.Module,
    example: dict[str, torch.Tensor],
    out: Path,
    *,
    input_names: Sequence[str],
    output_names: Sequence[str],
    dynamic_axes: Mapping[str, Mapping[int, str]],
    fuse: Mapping[str, Any] | None = None,
    per_channel: bool = True,
    exporter: Exporter = "torchscript",
    opset: int = OPSET,
) -> Path:
    """Export ``model`` to ONNX, optionally fuse it, quantise to int8 (per-channel) at ``out``; no fp32 file is left.

    ``fuse`` holds ``fuse_transformer`` arguments (e.g. ``{"model_type": "bert", "num_heads": 12,
    "hidden_size": 384}``); attention is fused only if the model was loaded with
    ``attn_implementation="eager"``. The example needs size >= 2 on every dynamic axis and, for a padded
    transformer, at least one padded row, so the mask path is traced.
    """
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="spinscope-export-") as tmp:
        fp32 = export_onnx(
            model,
            example,
            Path(tmp) / "model.fp32.onnx",
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic_axes,
            opset=opset,
            exporter=exporter,
        )
        if fuse is not None:
            fused = Path(tmp) / "model.fused.onnx"
            fuse_transformer(fp32, fused, **dict(fuse))
            check_parity(model, example, fused, input_names=input_names)
            fp32 = fused
        quantize_int8(fp32, out, per_channel=per_channel)
    return out
