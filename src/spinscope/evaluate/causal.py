"""Causal sentences on the Causal News Corpus V2: F1 of the causal class on subtask 1 (the official metric).

Extras: how well the tagger's cause and effect spans match subtask 2's gold relations on the same split
(mean word-overlap F1 against the best-matching relation, over the causal sentences).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..causal_patterns import explicit_relation
from ..components.claims import TAGS, V1_DECODING, Claims, SpanDecoding, decode_span
from ..components.encoder import cached
from ..datasets import cnc
from ..encoder import using
from ..metrics import accuracy, paired_interval, per_label_scores, positive_f1
from . import EvalResult
from .sentence_tasks import encoded_documents, sentence_scores

# CNC test has no labels: dev is the only gold, held out from training.
SPLITS = ("dev",)
_WORD = re.compile(r"\w+")


def word_f1(gold: tuple[int, int], pred: tuple[int, int] | None, text: str) -> float:
    """F1 of the words of ``pred`` against the words of ``gold`` (character spans into ``text``)."""
    if pred is None:
        return 0.0
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]

    def inside(span: tuple[int, int]) -> set[int]:
        return {i for i, (a, b) in enumerate(words) if a < span[1] and b > span[0]}

    g, p = inside(gold), inside(pred)
    return 2 * len(g & p) / (len(g) + len(p)) if g or p else 0.0


def span_scores(
    sentences: list[cnc.SpanSentence],
    probs: list[np.ndarray],
    offsets: list[np.ndarray],
    decoding: SpanDecoding = V1_DECODING,
    *,
    patterns: bool = False,
) -> dict[str, float]:
    """Mean word-overlap F1 of the decoded cause and effect against the best-matching gold relation.

    With ``patterns``, a sentence an explicit connective links takes its spans from it, as the claims
    component does (:mod:`spinscope.causal_patterns`); training chooses its decoding without them.
    """
    cause, effect, found, overlapping = [], [], 0, 0
    for s, p, o in zip(sentences, probs, offsets, strict=True):
        if not s.relations:
            continue
        explicit = explicit_relation(s.text) if patterns else None
        if explicit is not None:
            pc, pe = explicit
        else:
            pc, pe = decode_span(p, o, TAGS.index("cause"), decoding), decode_span(p, o, TAGS.index("effect"), decoding)
        found += pc is not None and pe is not None
        overlapping += pc is not None and pe is not None and pc[0] < pe[1] and pe[0] < pc[1]
        pairs = [(word_f1(r.cause, pc, s.text), word_f1(r.effect, pe, s.text)) for r in s.relations]
        best = max(pairs, key=sum)
        cause.append(best[0])
        effect.append(best[1])
    n = max(1, len(cause))
    return {
        "cause_word_f1": float(np.mean(cause)) if cause else 0.0,
        "effect_word_f1": float(np.mean(effect)) if effect else 0.0,
        "both_found": found / n,
        "overlapping": overlapping / max(1, found),  # of the sentences with both: cause and effect share words
        "n_causal": len(cause),
    }


def evaluate(data: Path, split: str) -> EvalResult:
    """Score the bundled causal head on subtask 1 of ``split`` and its spans on subtask 2."""
    sentences = cnc.subtask1(data, split)
    scores, threshold = sentence_scores([s.text for s in sentences], head="causal")
    gold = [bool(s.causal) for s in sentences]
    pred = [bool(p >= threshold) for p in scores]
    span_sents = [s for s in cnc.subtask2(data, split) if s.relations]
    claims = Claims()
    probs, offsets = [], []
    with using(claims.causal_key_):  # the encoder pass the causal head reads
        span_docs = encoded_documents([s.text for s in span_sents])
    for doc in span_docs:
        enc = cached(doc, claims.causal_key_)["paragraphs"][0]
        probs.append(claims.span_probabilities(enc.states))
        offsets.append(enc.offsets)
        doc.cache.clear()
    spans = span_scores(span_sents, probs, offsets, claims.decoding_, patterns=True)
    tagger_only = span_scores(span_sents, probs, offsets, claims.decoding_)
    v1 = span_scores(span_sents, probs, offsets)
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
        extra={"accuracy": accuracy(gold, pred), "threshold": threshold, **spans,
               "span_decoding": vars(claims.decoding_), "v1_cause_word_f1": v1["cause_word_f1"], "v1_effect_word_f1": v1["effect_word_f1"],
               "tagger_only_cause_word_f1": tagger_only["cause_word_f1"], "tagger_only_effect_word_f1": tagger_only["effect_word_f1"]},
        interval=paired_interval(positive_f1, gold, pred, unit="sentence"),
    )
