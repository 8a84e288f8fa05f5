"""Mention features for the portrayal (NewsMTSC) and role (SemEval-2025 subtask 1) heads.

Computed with the bundled encoder and :func:`spinscope.actors.mention_features`, exactly as the actors
component computes them at run time, and cached on disk keyed on the encoder's fingerprint. Training and
evaluation both read from here (this module needs no scikit-learn).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from .. import actors as A
from ..components.encoder import cached
from ..datasets import newsmtsc, semeval2025
from ..datasets.semeval2023 import article_document
from ..encoder import Encoder
from ..pipeline import build
from ..runtime import feature_cache


def cache_dir(fingerprint: str) -> Path:
    """Where features computed with the encoder ``fingerprint`` are kept."""
    return feature_cache("mentions", fingerprint)


def _key(*parts: str) -> str:
    digest = hashlib.sha1()
    for p in parts:
        digest.update(p.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def newsmtsc_features(data: Path, split: str, *, for_training: bool = False) -> tuple[np.ndarray, list[str], str]:
    """(features [n_targets, d], gold polarities, encoder fingerprint) for every target of ``split``.

    NewsMTSC gives single sentences, so each is encoded on its own and is its own sentence span; at run
    time a mention's tokens are encoded with the whole paragraph around it (see the model card).
    """
    sentences = newsmtsc.sentences(data, split, for_training=for_training)
    encoder = Encoder()
    fp = encoder.fingerprint
    gold = [t.polarity for s in sentences for t in s.targets]
    path = cache_dir(fp) / f"newsmtsc-{split}-{_key(*(s.text for s in sentences), str(A.WINDOW))}.npy"
    if path.is_file():
        return np.load(path), gold, fp
    encoded = encoder.encode([s.text for s in sentences])
    rows = []
    for s, enc in zip(sentences, encoded, strict=True):
        for t in s.targets:
            row = A.mention_features(enc, t.start, t.end, 0, len(s.text))
            if row is None:  # a target no word piece covers (never seen in the files; kept for safety)
                row = np.zeros(5 * encoder.hidden_size + 3, dtype=np.float32)
            rows.append(row)
    x = np.stack(rows)
    np.save(path, x)
    return x, gold, fp


def semeval_mentions(data: Path, split: str, *, for_training: bool = False) -> list[tuple[str, semeval2025.EntityMention]]:
    """(article id, mention) for every labelled English mention of ``split``."""
    return [
        (a.id, m)
        for a in semeval2025.articles(data, "EN", split, for_training=for_training)
        for m in a.mentions or ()
    ]


def semeval_features(data: Path, split: str, *, for_training: bool = False) -> tuple[np.ndarray, list[tuple[str, semeval2025.EntityMention]], str]:
    """(role features [n_mentions, d], (article id, mention) pairs, encoder fingerprint) for English ``split``.

    Each article becomes a Document with one paragraph per non-blank line, goes through the sentence
    splitter and the encoder as at run time, and each gold mention is pooled from its paragraph.
    """
    articles = [a for a in semeval2025.articles(data, "EN", split, for_training=for_training) if a.mentions]
    nlp = build(["spinscope.sentences.v1", "spinscope.encoder.v1"])
    fp = nlp.components[1].encoder_.fingerprint
    pairs = [(a.id, m) for a in articles for m in a.mentions or ()]
    path = cache_dir(fp) / f"semeval2025-en-{split}-{_key(*(a.text for a in articles), str(A.WINDOW))}.npy"
    if path.is_file():
        return np.load(path), pairs, fp
    rows = []
    for a, doc in zip(articles, nlp.pipe(article_document(a.text) for a in articles), strict=True):
        rows.extend(role_rows(doc, [(m.start, m.end) for m in a.mentions or ()]))
        doc.cache.clear()
    x = np.stack(rows)
    np.save(path, x)
    return x, pairs, fp


def role_rows(doc, spans: list[tuple[int, int]]) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    """Role feature rows for character spans of an encoded Document (zeros where no token covers one)."""
    from bisect import bisect_right

    enc_out = cached(doc)
    article = np.asarray(enc_out["article"], dtype=np.float32)
    sentences = [(s.start, s.end) for s in doc.sentences]
    starts = [p.start for p in doc.paragraphs]
    hidden = article.shape[0]
    rows = []
    for a, b in spans:
        k = bisect_right(starts, a) - 1
        row = None
        if k >= 0:
            p = doc.paragraphs[k]
            sent = A.sentence_of(sentences, a, (p.start, p.end))
            row = A.mention_features(enc_out["paragraphs"][k], a, min(b, p.end), *sent)
        if row is None:
            row = np.zeros(5 * hidden + 3, dtype=np.float32)
        rows.append(A.role_features(row, article))
    return rows


def semeval_entities(data: Path, split: str, *, for_training: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """(cast features, cast labels, article id per row, counts) for the actors found in English ``split``.

    Each article with gold mentions goes through the run-time pipeline up to the actors component; an
    actor counts as cast when one of its mentions overlaps a gold (role-annotated) mention. ``counts``
    says how many gold mentions some found actor covers, out of how many.
    """
    articles = [a for a in semeval2025.articles(data, "EN", split, for_training=for_training) if a.mentions]
    # Both encoder passes, as at run time: the kind head reads one, the portrayal and role heads the other.
    nlp = build(["spinscope.sentences.v1", "spinscope.encoder.v1", "spinscope.encoder-multitask.v1", "spinscope.actors.v1"])
    rows, labels, groups = [], [], []
    covered = total = 0
    for a, doc in zip(articles, nlp.pipe(article_document(a.text) for a in articles), strict=True):
        gold = [(m.start, m.end) for m in a.mentions or ()]
        starts = [p.start for p in doc.paragraphs]
        hit: set[int] = set()
        if doc.entities:
            rows.append(A.cast_features(doc.entities, starts, len(doc.text)))
        for e in doc.entities:
            mine = {i for i, (s, t) in enumerate(gold) for m in e.mentions if m.start < t and s < m.end}
            hit |= mine
            labels.append(bool(mine))
            groups.append(a.id)
        covered += len(hit)
        total += len(gold)
        doc.cache.clear()
    x = np.concatenate(rows) if rows else np.zeros((0, len(A.CAST_FEATURE_NAMES)), dtype=np.float32)
    counts = {"articles": len(articles), "gold_mentions": total, "gold_mentions_covered": covered}
    return x, np.array(labels, dtype=bool), np.array(groups), counts
