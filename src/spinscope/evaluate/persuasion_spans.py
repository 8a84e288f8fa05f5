"""Persuasion technique spans on SemEval-2023 Task 3 English: span F1, SemEval-2020 Task 11 definition.

Partial overlap earns partial credit and the technique must match (the official ``TC``-style scoring
over spans, as in the PTC scorer): see :func:`spinscope.metrics.span_scores`.
"""

from __future__ import annotations

from pathlib import Path

from ..datasets import semeval2023
from ..metrics import bootstrap_interval, span_scores
from . import EvalResult
from .persuasion import annotate

SPLITS = ("dev",)


def evaluate(data: Path, split: str) -> EvalResult:
    """Span precision, recall and F1 against the gold ``*-spans`` files of ``split``."""
    articles, docs = annotate(data, split)
    gold = {a.id: [(s.label, s.start, s.end) for s in a.spans or ()] for a in articles}
    pred = {
        a.id: [(f.label, f.start, f.end) for f in doc.findings if f.task == "persuasion"]
        for a, doc in zip(articles, docs, strict=True)
    }
    scores = span_scores(gold, pred, labels=semeval2023.techniques(data))
    unlabelled = span_scores(gold, pred, labelled=False)
    ids = [a.id for a in articles]

    def resampled(idx: list[int]) -> float:
        # An article drawn twice must count twice: the k-th draw gets a key of its own.
        drawn = {f"{ids[i]}#{k}": ids[i] for k, i in enumerate(idx)}
        return span_scores({key: gold[a] for key, a in drawn.items()}, {key: pred[a] for key, a in drawn.items()}).f1
    return EvalResult(
        task="persuasion-spans",
        split=split,
        metric="span_f1",
        value=scores.f1,
        n=scores.n_gold,
        per_label=[vars(r) for r in scores.per_label],
        extra={
            "precision": scores.precision,
            "recall": scores.recall,
            "predicted_spans": scores.n_pred,
            "gold_spans": scores.n_gold,
            "articles": len(articles),
            "span_f1_ignoring_technique": unlabelled.f1,
        },
        interval=bootstrap_interval(resampled, range(len(ids)), unit="article"),
    )
