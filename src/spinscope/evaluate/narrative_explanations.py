"""Narrative explanations (SemEval-2025 Task 10 subtask 3), English: word-overlap F1 against the gold.

Subtask 3 gives the dominant narrative and asks why the article pushes it. Our explanation is
extractive (the title, then the evidence sentences closest to the label, ≤ 50 words in all). The score is a bag-of-words
F1 (lower-cased word tokens, multiset overlap) per article, averaged; the official task scored with
BERTScore, which is not available offline. Word overlap rewards picking the sentences an annotator
paraphrased; it cannot credit a good explanation in other words, and it does not check that the
explanation is correct, only that it shares vocabulary with the gold. Two reference points are
scored the same way: the article's first words ("lead": 80, the budget until 2026-12-06, and as many
as the explanation may have), and the explanation the component gives for its own dominant narrative
(empty, scoring 0, when it predicts Other).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..components.narratives import MAX_EXPLANATION_WORDS
from ..metrics import bootstrap_interval
from . import EvalResult
from .narratives import predict

SPLITS = ("dev",)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def overlap_f1(gold: str, pred: str) -> float:
    """Bag-of-words F1 between two texts (lower-cased word tokens, counted with multiplicity)."""
    g, p = Counter(_TOKEN.findall(gold.lower())), Counter(_TOKEN.findall(pred.lower()))
    common = sum((g & p).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def evaluate(data: Path, split: str) -> EvalResult:
    """Explain each subtask-3 article's gold dominant narrative and score it against the gold explanation."""
    from ..pipeline import build

    articles, docs = predict(data, split)
    component = build(["spinscope.narratives.v1"]).components[0]
    given, lead, lead_budget, own, words = [], [], [], [], []
    for article, doc in zip(articles, docs, strict=True):
        if article.dominant is None or not article.dominant.explanation:
            continue
        gold = article.dominant.explanation
        sub = article.dominant.subnarrative if article.dominant.subnarrative != "none" else None
        text = component.explain_for(doc, article.dominant.narrative, sub)
        given.append(overlap_f1(gold, text))
        words.append(len(text.split()))
        lead.append(overlap_f1(gold, " ".join(doc.text.split()[:80])))
        lead_budget.append(overlap_f1(gold, " ".join(doc.text.split()[:MAX_EXPLANATION_WORDS])))
        mine = next((f.attrs["explanation"] for f in doc.findings if f.task == "narrative" and "explanation" in f.attrs), "")
        own.append(overlap_f1(gold, mine))
    n = max(1, len(given))
    return EvalResult(
        task="narrative-explanations",
        split=split,
        metric="word_overlap_f1",
        value=sum(given) / n,
        n=len(given),
        extra={
            "lead_80_words_f1": sum(lead) / n,
            f"lead_{MAX_EXPLANATION_WORDS}_words_f1": sum(lead_budget) / n,
            "own_dominant_f1": sum(own) / n,
            "mean_words": sum(words) / n,
            "max_words": max(words, default=0),
        },
        interval=bootstrap_interval(lambda idx: sum(given[i] for i in idx) / max(1, len(idx)), range(len(given)), unit="article"),
    )
