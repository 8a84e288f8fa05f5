"""Genre on SemEval-2023 Task 3 subtask 1, English: macro-F1 (the official metric)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..metrics import accuracy, macro_f1, paired_interval, per_label_scores
from . import EvalResult
from .article_tasks import predict

SPLITS = ("dev",)


def evaluate(data: Path, split: str) -> EvalResult:
    """Score the bundled genre head against the gold genres of ``split``."""
    articles, preds = predict(data, split, subtask=1, component="spinscope.genre.v1")
    gold = [a.genre for a in articles]
    pred = [p[0] if p else "" for p in preds]
    rows = per_label_scores(gold, pred)
    return EvalResult(
        task="genre",
        split=split,
        metric="macro_f1",
        value=macro_f1(gold, pred),
        n=len(articles),
        per_label=[vars(r) for r in rows],
        extra={"accuracy": accuracy(gold, pred), "predicted": dict(Counter(pred)), "gold": dict(Counter(gold))},
        interval=paired_interval(macro_f1, gold, pred, unit="article"),
    )
