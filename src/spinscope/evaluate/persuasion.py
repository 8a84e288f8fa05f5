"""Persuasion techniques per paragraph on SemEval-2023 Task 3 subtask 3, English: micro-F1 (official)."""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path

from ..datasets import semeval2023
from ..document import Document
from ..metrics import micro_f1, multilabel_scores, paired_interval
from ..pipeline import build
from . import EvalResult

SPLITS = ("dev",)


def annotate(data: Path, split: str) -> tuple[list[semeval2023.Article], list[Document]]:
    """The gold subtask-3 articles of ``split`` and the same texts run through encoder + persuasion.

    Each article's paragraphs are its non-blank lines, the unit the gold labels number.
    """
    articles = list(semeval2023.articles(data, "en", split, subtask=3))
    nlp = build(["spinscope.encoder.v1", "spinscope.persuasion.v1"])
    docs = list(nlp.pipe(semeval2023.article_document(a.text) for a in articles))
    return articles, docs


def evaluate(data: Path, split: str) -> EvalResult:
    """Paragraph-level micro-F1 (the official subtask-3 measure), macro-F1 and a per-technique table."""
    articles, docs = annotate(data, split)
    gold, pred, article_of = [], [], []
    for a, doc in zip(articles, docs, strict=True):
        for line, p in zip(a.paragraphs, doc.paragraphs, strict=True):
            gold.append(set((a.techniques or {}).get(line.number, ())))
            pred.append({lab.label for lab in p.labels.get("persuasion", [])})
            article_of.append(a.id)
    techniques = semeval2023.techniques(data)
    scores = multilabel_scores(gold, pred, labels=techniques)
    per_technique = Counter(t for labels in pred for t in labels)
    return EvalResult(
        task="persuasion",
        split=split,
        metric="micro_f1",
        value=scores.micro.f1,
        n=len(gold),
        per_label=[vars(r) for r in scores.per_label],
        extra={
            "micro_precision": scores.micro.precision,
            "micro_recall": scores.micro.recall,
            "macro_f1": scores.macro_f1,
            "articles": len(articles),
            "mean_labels_per_paragraph": sum(map(len, pred)) / max(1, len(pred)),
            "max_share_of_paragraphs": max(per_technique.values(), default=0) / max(1, len(pred)),
        },
        # Paragraphs of one article share its author and topic: whole articles are resampled.
        interval=paired_interval(partial(micro_f1, labels=techniques), gold, pred, unit="article", groups=article_of),
    )
