"""Causal sentences on the Causal News Corpus V2: F1 of the causal class on subtask 1 (the official metric).

Extras: how well the tagger's cause and effect spans match subtask 2's gold relations on the same split
(mean word-overlap F1 against the best-matching relation, over the causal sentences).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..components.claims import TAGS, Claims, token_features
from ..datasets import cnc
from ..metrics import accuracy, per_label_scores, positive_f1
from . import EvalResult
from .sentence_tasks import encoded_documents, sentence_scores

# CNC test has no labels: dev is the only gold, held out from training.
SPLITS = ("dev",)


def evaluate(data: Path, split: str) -> EvalResult:
    """Score the bundled causal head on subtask 1 of ``split`` and its spans on subtask 2."""
    from ..train.causal import span_scores

    sentences = cnc.subtask1(data, split)
    scores, threshold = sentence_scores([s.text for s in sentences], head="causal")
    gold = [bool(s.causal) for s in sentences]
    pred = [bool(p >= threshold) for p in scores]
    span_sents = [s for s in cnc.subtask2(data, split) if s.relations]
    claims = Claims()
    probs, offsets = [], []
    for doc in encoded_documents([s.text for s in span_sents]):
        enc = doc.cache["encoder"]["paragraphs"][0]
        assert claims.tagger_ is not None
        probs.append(claims.tagger_.scores(token_features(enc.states)) if enc.n_tokens else np.zeros((0, len(TAGS))))
        offsets.append(enc.offsets)
        doc.cache.clear()
    spans = span_scores(span_sents, probs, offsets)
    return EvalResult(
        task="causal",
        split=split,
        metric="positive_f1",
        value=positive_f1(gold, pred),
        n=len(sentences),
        per_label=[
            vars(r)
            for r in per_label_scores(["causal" if g else "not causal" for g in gold], ["causal" if p else "not causal" for p in pred])
        ],
        extra={"accuracy": accuracy(gold, pred), "threshold": threshold, **spans},
    )
