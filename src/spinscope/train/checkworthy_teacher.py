"""``spinscope train checkworthy-teacher``: a check-worthiness model for the second encoder to learn from.

all-MiniLM-L6-v2 fine-tuned end to end on CheckThat! 2024 English **train** sentences (mean pooling and one
linear layer; cross-entropy, lr 5e-5, batch 32, 3 epochs, 6 % warm-up then linear decay, seed 0), the epoch
and threshold chosen by positive-class F1 on CheckThat! **dev**. It reads each sentence alone and is a
whole encoder pass of its own, so it is not shipped: it scores every sentence of the SemEval-2023 English
train articles (``teacher.jsonl``), and ``spinscope train multitask --checkworthy-teacher`` teaches the
second encoder those scores with each sentence pooled from its paragraph, as the claims component pools
it. The articles the op-ed benches label are left out (:func:`~spinscope.datasets.semeval2023.opinion_train_articles`).
Dev-test and test are never read here.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from pathlib import Path

import numpy as np
import torch

from ..datasets import checkthat, semeval2023
from .encoder import base_model_dir
from .precision import autocast
from .sentence_heads import best_threshold

EPOCHS, BATCH, LR, MAX_TOKENS = 3, 32, 5e-5, 128
WARMUP = 0.06
THRESHOLDS = np.arange(0.05, 0.96, 0.01)


class Classifier(torch.nn.Module):
    """The base encoder, mean-pooled, and one linear layer over two classes."""

    def __init__(self) -> None:
        super().__init__()
        from transformers import AutoModel

        self.bert = AutoModel.from_pretrained(str(base_model_dir()), local_files_only=True)
        self.out = torch.nn.Linear(self.bert.config.hidden_size, 2)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        states = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        return self.out((states * m).sum(1) / m.sum(1))


def _batches(texts: list[str], size: int, *, shuffle: bool) -> list[list[int]]:
    # Shuffled: chunks of 50 batches sorted by length inside (little padding), then the batches shuffled.
    idx = list(range(len(texts)))
    if not shuffle:
        idx.sort(key=lambda k: len(texts[k]))
        return [idx[i : i + size] for i in range(0, len(idx), size)]
    random.shuffle(idx)
    chunks = [idx[i : i + size * 50] for i in range(0, len(idx), size * 50)]
    idx = [j for c in chunks for j in sorted(c, key=lambda k: len(texts[k]))]
    batches = [idx[i : i + size] for i in range(0, len(idx), size)]
    random.shuffle(batches)
    return batches


def predict(model: Classifier, tokenizer, texts: list[str]) -> np.ndarray:
    """P(check-worthy) of each text, read alone."""
    model.eval()
    p = np.zeros(len(texts))
    with torch.no_grad():
        for b in _batches(texts, 64, shuffle=False):
            t = tokenizer([texts[k] for k in b], padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            with autocast():
                logits = model(t["input_ids"], t["attention_mask"]).float()
            p[b] = torch.softmax(logits, -1)[:, 1].numpy()
    model.train()
    return p


def finetune(data: Path, out: Path, *, seed: int = 0) -> tuple[Classifier, dict]:
    """Fine-tune on CheckThat! train; keep the epoch with the best dev F1 (``out/model.pt``)."""
    from transformers import AutoTokenizer

    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()), local_files_only=True)
    train = checkthat.sentences(data, "train", for_training=True)
    dev = checkthat.sentences(data, "dev", for_training=True)
    texts, gold = [s.text for s in train], [int(s.checkworthy) for s in train]
    dev_gold = np.array([s.checkworthy for s in dev])
    model = Classifier()
    steps = EPOCHS * math.ceil(len(train) / BATCH)
    warm = int(WARMUP * steps)
    optim = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    best: dict = {"dev_f1": -1.0}
    t0 = time.time()
    for epoch in range(EPOCHS):
        for b in _batches(texts, BATCH, shuffle=True):
            t = tokenizer([texts[k] for k in b], padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            with autocast():
                logits = model(t["input_ids"], t["attention_mask"]).float()
            loss = torch.nn.functional.cross_entropy(logits, torch.tensor([gold[k] for k in b]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
        threshold, f1 = best_threshold(dev_gold, predict(model, tokenizer, [s.text for s in dev]), THRESHOLDS)
        threshold = round(threshold, 2)
        print(json.dumps({"epoch": epoch, "dev_f1": round(f1, 4), "threshold": threshold, "minutes": round((time.time() - t0) / 60, 1)}), flush=True)
        if f1 > best["dev_f1"]:
            best = {"dev_f1": round(f1, 4), "threshold": threshold, "epoch": epoch}
            torch.save(model.state_dict(), out / "model.pt")
    model.load_state_dict(torch.load(out / "model.pt"))
    return model, best


def score_paragraphs(data: Path, model: Classifier, out: Path) -> Path:
    """``out/teacher.jsonl``: per paragraph line of each English train article (the op-ed benches' left
    out), its start, its sentences (spans relative to it, as the run-time splitter cuts them) and the
    model's probability for each sentence read alone."""
    from transformers import AutoTokenizer

    from ..datasets.semeval2023 import OPED_LABELLED, article_document, opinion_train_articles
    from ..pipeline import build

    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()), local_files_only=True)
    benches = {f.stem[len("article") :] for f in opinion_train_articles(data)[:OPED_LABELLED]}
    articles = [a for a in semeval2023.articles(data, "en", "train", subtask=3, for_training=True) if a.id not in benches]
    rows, texts = [], []
    for a, doc in zip(articles, build(["spinscope.sentences.v1"]).pipe(article_document(a.text) for a in articles), strict=True):
        for p in doc.paragraphs:
            spans = [(max(s.start, p.start) - p.start, min(s.end, p.end) - p.start) for s in doc.sentences if s.start < p.end and s.end > p.start]
            spans = [(x, y) for x, y in spans if y > x]
            if spans:
                rows.append({"article": a.id, "start": p.start, "sentences": spans})
                texts.extend(doc.text[p.start + x : p.start + y] for x, y in spans)
    probs = predict(model, tokenizer, texts)
    path = out / "teacher.jsonl"
    k = 0
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            n = len(r["sentences"])
            r["probs"] = [round(float(x), 4) for x in probs[k : k + n]]
            k += n
            f.write(json.dumps(r) + "\n")
    return path


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Fine-tune, score the train paragraphs, and say what the folder holds."""
    model, selection = finetune(data, out, seed=seed)
    (out / "selection.json").write_text(json.dumps(selection, indent=2) + "\n", encoding="utf-8")
    score_paragraphs(data, model, out)
    (out / "card.md").write_text(CARD.format(**selection), encoding="utf-8")
    return out


CARD = """\
# Check-worthiness teacher (not shipped)

all-MiniLM-L6-v2 fine-tuned end to end on CheckThat! 2024 English train (research use; see the
check-worthiness card for the terms), epoch {epoch} kept: CheckThat! dev F1 {dev_f1} at threshold {threshold}.
`model.pt` is its weights, `teacher.jsonl` its probabilities for the sentences of the SemEval-2023 English
train articles (research use only; do not redistribute), the op-ed benches' articles left out.
`spinscope train multitask --checkworthy-teacher teacher.jsonl` reads them. See
`spinscope.train.checkworthy_teacher` and docs/experiments.md.
"""
