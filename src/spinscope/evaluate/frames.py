"""Frames on SemEval-2023 Task 3 subtask 2, English: micro-F1 (the official metric) and macro-F1."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ..datasets import semeval2023
from ..metrics import micro_f1, multilabel_scores, paired_interval
from . import EvalResult
from .article_tasks import predict

SPLITS = ("dev",)


def evaluate(data: Path, split: str) -> EvalResult:
    """Score the bundled frames head against the gold frames of ``split``."""
    articles, preds = predict(data, split, subtask=2, component="spinscope.frames.v1")
    gold, labels = [a.frames for a in articles], semeval2023.frames(data)
    scores = multilabel_scores(gold, preds, labels=labels)
    return EvalResult(
        task="frames",
        split=split,
        metric="micro_f1",
        value=scores.micro.f1,
        n=len(articles),
        per_label=[vars(r) for r in scores.per_label],
        extra={
            "micro_precision": scores.micro.precision,
            "micro_recall": scores.micro.recall,
            "macro_f1": scores.macro_f1,
            "mean_labels_per_article": sum(map(len, preds)) / max(1, len(preds)),
        },
        interval=paired_interval(partial(micro_f1, labels=labels), gold, preds, unit="article"),
    )
