"""Check-worthiness on CLEF-2024 CheckThat! task 1 English: F1 of the positive class (the official metric)."""

from __future__ import annotations

from pathlib import Path

from ..datasets import checkthat
from ..metrics import accuracy, paired_interval, per_label_scores, positive_f1
from . import EvalResult
from .sentence_tasks import sentence_scores

# dev is the selection split; dev-test and test are held out (test has the released gold).
SPLITS = ("test", "dev-test", "dev")


def evaluate(data: Path, split: str) -> EvalResult:
    """Score the bundled head on ``split``, each sentence read among three others as the component reads it.

    The extra ``alone_positive_f1`` reads each sentence on its own, as the shared task gives it.
    """
    sentences = checkthat.sentences(data, split)
    texts = [s.text for s in sentences]
    scores, threshold = sentence_scores(texts, head="checkworthy", context=True)
    alone, _ = sentence_scores(texts, head="checkworthy")
    gold = [s.checkworthy for s in sentences]
    pred = [bool(p >= threshold) for p in scores]
    return EvalResult(
        task="checkworthy",
        split=split,
        metric="positive_f1",
        value=positive_f1(gold, pred),
        n=len(sentences),
        per_label=[vars(r) for r in per_label_scores(["Yes" if g else "No" for g in gold], ["Yes" if p else "No" for p in pred])],
        extra={
            "accuracy": accuracy(gold, pred),
            "threshold": threshold,
            "predicted_yes": sum(pred),
            "gold_yes": sum(gold),
            "alone_positive_f1": positive_f1(gold, [bool(p >= threshold) for p in alone]),
        },
        interval=paired_interval(positive_f1, gold, pred, unit="sentence"),
    )
