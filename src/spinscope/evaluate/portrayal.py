"""Portrayal (target-dependent sentiment) on NewsMTSC: F1m, the authors' metric, on their test halves."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..components.actors import PORTRAYAL_DIR
from ..encoder import head_encoder, using
from ..heads import LinearHead
from ..metrics import accuracy, f1m, paired_interval, per_label_scores
from ..train.mention_data import newsmtsc_features
from . import EvalResult

SPLITS = ("test-rw", "test-mt", "dev-rw", "dev-mt")


def evaluate(data: Path, split: str) -> EvalResult:
    """Score the bundled portrayal head on every target of ``split`` (its gold mention span)."""
    head = LinearHead.load(PORTRAYAL_DIR / "head.npz")
    meta = json.loads((PORTRAYAL_DIR / "meta.json").read_text(encoding="utf-8"))
    with using(head_encoder(meta)):  # the encoder pass the head reads in the actors component
        x, gold, fp = newsmtsc_features(data, split)
    pred = [head.labels[i] for i in head.scores(x).argmax(axis=1)]
    rows = per_label_scores(gold, pred)
    return EvalResult(
        task="portrayal",
        split=split,
        metric="f1m",
        value=f1m(gold, pred),
        n=len(gold),
        per_label=[vars(r) for r in rows],
        extra={"accuracy": accuracy(gold, pred), "predicted": dict(Counter(pred)), "gold": dict(Counter(gold)), "encoder": fp},
        interval=paired_interval(f1m, gold, pred, unit="target"),
    )
