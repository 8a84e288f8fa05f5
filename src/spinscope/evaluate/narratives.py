"""Narratives on SemEval-2025 Task 10 subtask 2, English: samples-F1 on subnarratives and on narratives.

Mirrors the official scorer: each article's gold and predicted label sets over the class list
(``Other`` included), F1 per article, averaged over articles (population std alongside). The
official headline is F1 on the fine labels (subnarratives); coarse F1 is reported with it.
"""

from __future__ import annotations

from pathlib import Path

from ..datasets import semeval2025
from ..datasets.semeval2023 import article_document
from ..document import Document
from ..metrics import multilabel_scores, paired_interval, samples_f1
from ..pipeline import build
from . import EvalResult

SPLITS = ("dev",)
LANG = "EN"


def predict(data: Path, split: str) -> tuple[list[semeval2025.Article], list[Document]]:
    """The gold articles of ``split`` and the documents the bundled pipeline annotated."""
    articles = [a for a in semeval2025.articles(data, LANG, split) if a.narratives is not None]
    nlp = build(["spinscope.sentences.v1", "spinscope.encoder.v1", "spinscope.narratives.v1"])
    docs = list(nlp.pipe([article_document(a.text) for a in articles]))
    return articles, docs


def evaluate(data: Path, split: str) -> EvalResult:
    """Score the bundled narrative component against the en gold of ``split``."""
    articles, docs = predict(data, split)
    coarse, fine = semeval2025.narrative_labels(data), semeval2025.subnarrative_labels(data)
    pred_n = [{lab.label for lab in doc.labels.get("narratives", [])} for doc in docs]
    pred_s = [{lab.label for lab in doc.labels.get("subnarratives", [])} for doc in docs]
    gold_n = [set(a.narratives or ()) for a in articles]
    gold_s = [set(a.subnarratives or ()) for a in articles]
    f_n = samples_f1(gold_n, pred_n, labels=coarse)
    f_s = samples_f1(gold_s, pred_s, labels=fine)
    per_label = multilabel_scores(gold_n, pred_n, labels=coarse).per_label
    domain = sum(
        {lab.split(":")[0] for lab in g} == {lab.split(":")[0] for lab in p} for g, p in zip(gold_n, pred_n, strict=True)
    )
    return EvalResult(
        task="narratives",
        split=split,
        metric="samples_f1_subnarratives",
        value=f_s.mean,
        n=len(articles),
        per_label=[vars(r) for r in per_label],
        extra={
            "samples_f1_subnarratives_std": f_s.std,
            "samples_f1_narratives": f_n.mean,
            "samples_f1_narratives_std": f_n.std,
            "domain_accuracy": domain / max(1, len(articles)),
            "gold_other": sum(g == {"Other"} for g in gold_n),
            "predicted_other": sum(p == {"Other"} for p in pred_n),
            "mean_narratives_per_article": sum(map(len, pred_n)) / max(1, len(pred_n)),
            "mean_subnarratives_per_article": sum(map(len, pred_s)) / max(1, len(pred_s)),
        },
        interval=paired_interval(lambda g, p: samples_f1(g, p, labels=fine).mean, gold_s, pred_s, unit="article"),
    )
