"""Export a torch model to ONNX and quantise it to int8 for ONNX Runtime (extra [train])."""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import torch

# Opset 18 is what torch's dynamo exporter targets natively; older opsets need a version conversion pass.
OPSET = 18


def export_onnx(
    model: torch.nn.Module,
    example: dict[str, torch.Tensor],
    out: Path,
    *,
    input_names: Sequence[str],
    output_names: Sequence[str],
    dynamic_axes: Mapping[str, Mapping[int, str]],
    opset: int = OPSET,
) -> Path:
    """Export ``model`` (called as ``model(**example)``) to an fp32 ONNX file with every weight inside it."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    # The example's keys are the forward() keyword names; order them like the graph inputs.
    kwargs = {name: example[name] for name in input_names}
    for name, tensor in kwargs.items():
        for axis in dynamic_axes.get(name, {}):
            # torch.export specialises any dimension of size 0 or 1 into a constant.
            if tensor.shape[axis] < 2:
                raise ValueError(f"example input {name!r} needs size >= 2 on dynamic axis {axis}")
    with torch.no_grad(), warnings.catch_warnings():
        # The dynamo exporter warns when two inputs share a dynamic axis name, which is what we mean.
        warnings.filterwarnings("ignore", message=".*axis name.*will not be used.*")
        try:
            # torch >= 2.9 defaults to the dynamo (torch.export) exporter; the TorchScript one is deprecated.
            torch.onnx.export(
                model,
                (),
                str(out),
                kwargs=kwargs,
                input_names=list(input_names),
                output_names=list(output_names),
                dynamic_axes={k: dict(v) for k, v in dynamic_axes.items()},
                opset_version=opset,
                dynamo=True,
                external_data=False,
                verbose=False,
            )
        except Exception as err:  # noqa: BLE001 - any graph-capture failure: fall back to TorchScript
            warnings.warn(f"dynamo ONNX export failed ({err!r}); using the TorchScript exporter", stacklevel=2)
            torch.onnx.export(
                model,
                tuple(kwargs.values()),
                str(out),
                input_names=list(input_names),
                output_names=list(output_names),
                dynamic_axes={k: dict(v) for k, v in dynamic_axes.items()},
                opset_version=max(opset, 17),
                dynamo=False,
            )
    return out


def quantize_int8(fp32: Path, out: Path, *, per_channel: bool = True) -> Path:
    """Dynamic int8 quantisation of the weights of MatMul/Gemm (activations quantised at run time)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(
        fp32,
        out,
        # Only the matmuls: quantising the embedding Gather saves memory but costs accuracy and no time.
        op_types_to_quantize=["MatMul", "Gemm"],
        per_channel=per_channel,
        weight_type=QuantType.QInt8,
    )
    return out


def export_int8(
    model: torch.nn.Module,
    example: dict[str, torch.Tensor],
    out: Path,
    *,
    input_names: Sequence[str],
    output_names: Sequence[str],
    dynamic_axes: Mapping[str, Mapping[int, str]],
    per_channel: bool = True,
    opset: int = OPSET,
) -> Path:
    """Export ``model`` to ONNX, quantise it to int8 (per-channel by default) at ``out``; no fp32 file is left."""
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
        )
        quantize_int8(fp32, out, per_channel=per_channel)
    return out
