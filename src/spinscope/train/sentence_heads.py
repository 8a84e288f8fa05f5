"""Shared machinery of the sentence heads (check-worthiness, causal): encode sentences, cache, fit, write.

Each training sentence is encoded alone by the bundled int8 ONNX encoder and pooled exactly as the
claims component pools a sentence span at run time (:func:`spinscope.components.claims.sentence_features`
over the sentence's token states). Feature rows are cached per dataset split under
``$SPINSCOPE_CACHE`` (default ``~/.cache/spinscope``), keyed on the encoder's fingerprint, so a new
encoder recomputes them and a retrain on the same encoder takes seconds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from tqdm import tqdm

from .. import __version__
from ..components.claims import CUE_NAMES, FEATURES_VERSION, sentence_features
from ..encoder import Encoded, Encoder
from ..heads import LinearHead, WordPieceBag
from ..runtime import feature_cache

# Sentences per encoder call: big enough to amortise the call, small enough to show progress.
_CHUNK = 512
# The bag-of-pieces model's inverse regularisation (one-off check: 1 and 4 scored alike on CNC train CV
# and CheckThat! dev; the smaller keeps fewer rare pieces).
PIECE_BAG_C = 1.0


def cache_dir(fingerprint: str) -> Path:
    """The feature cache folder for one encoder fingerprint."""
    return feature_cache("sentence-features", fingerprint)


def _key(texts: list[str], what: str) -> str:
    digest = hashlib.sha1(f"{what}\x00{FEATURES_VERSION}".encode())
    for t in texts:
        digest.update(t.encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:20]


def encode_texts(encoder: Encoder, texts: list[str], *, desc: str) -> list[Encoded]:
    """Each text encoded alone (no batch mixes in a second text's context), in input order."""
    out: list[Encoded] = []
    with tqdm(total=len(texts), desc=desc, unit="sentence") as bar:
        for a in range(0, len(texts), _CHUNK):
            chunk = texts[a : a + _CHUNK]
            out.extend(encoder.encode(chunk))
            bar.update(len(chunk))
    return out


def features(encoder: Encoder, texts: list[str], *, desc: str) -> np.ndarray:
    """Feature rows (as the claims component computes them) for whole-text sentences; cached on disk."""
    path = cache_dir(encoder.fingerprint) / f"{desc.replace(' ', '-')}-{_key(texts, 'features')}.npy"
    if path.is_file():
        return np.load(path)
    rows = np.stack(
        [sentence_features(enc, 0, len(t), t) for enc, t in zip(encode_texts(encoder, texts, desc=desc), texts, strict=True)]
    ).astype(np.float32)
    np.save(path, rows)
    return rows


def context_features(encoder: Encoder, texts: list[str], *, group: int = 4, seed: int = 0, desc: str) -> np.ndarray:
    """Feature rows for sentences read in context, as the claims component reads them at run time.

    At run time a sentence is pooled out of its paragraph's encoder pass, so its states carry its
    neighbours' context. The datasets give sentences alone; here each is placed among ``group - 1``
    others (a seeded shuffle, joined by spaces into one pseudo-paragraph) and pooled from that pass.
    Rows come back in input order.
    """
    path = cache_dir(encoder.fingerprint) / f"{desc.replace(' ', '-')}-{_key(texts, f'context{group}-{seed}')}.npy"
    if path.is_file():
        return np.load(path)
    order = np.random.default_rng(seed).permutation(len(texts))
    paragraphs, spans = [], []
    for a in range(0, len(order), group):
        parts, pos, where = [], 0, []
        for i in order[a : a + group]:
            where.append((int(i), pos, pos + len(texts[i])))
            parts.append(texts[i])
            pos += len(texts[i]) + 1
        paragraphs.append(" ".join(parts))
        spans.append(where)
    rows = np.zeros((len(texts), 2 * encoder.hidden_size + len(CUE_NAMES)), dtype=np.float32)
    for enc, para, where in zip(encode_texts(encoder, paragraphs, desc=desc), paragraphs, spans, strict=True):
        for i, start, end in where:
            rows[i] = sentence_features(enc, start, end, para)
    np.save(path, rows)
    return rows


def token_states(encoder: Encoder, texts: list[str], *, desc: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(states float16 [n, hidden], offsets [n, 2]) for each text; cached on disk (token tagging heads)."""
    path = cache_dir(encoder.fingerprint) / f"{desc.replace(' ', '-')}-{_key(texts, 'tokens')}.npz"
    if path.is_file():
        with np.load(path) as z:
            lengths = z["lengths"]
            states, offsets = z["states"], z["offsets"]
        cuts = np.concatenate([[0], np.cumsum(lengths)])
        return [(states[a:b], offsets[a:b]) for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
    encoded = encode_texts(encoder, texts, desc=desc)
    out = [(e.states.astype(np.float16), e.offsets.astype(np.int32)) for e in encoded]
    np.savez(
        path,
        lengths=np.array([len(s) for s, _ in out], dtype=np.int64),
        states=np.concatenate([s for s, _ in out]) if out else np.zeros((0, encoder.hidden_size), np.float16),
        offsets=np.concatenate([o for _, o in out]) if out else np.zeros((0, 2), np.int32),
    )
    return out


def piece_counts(encoder: Encoder, texts: list[str]) -> sparse.csr_matrix:
    """Word-piece counts [n_texts, vocab] of each text, from the encoder's tokenizer (its pass's ``ids``)."""
    ids = [e.ids for e in encoder.tokenizer_.encode_batch(list(texts), add_special_tokens=False)]
    rows = np.repeat(np.arange(len(ids)), [len(i) for i in ids])
    cols = np.fromiter((t for i in ids for t in i), dtype=np.int64)
    counts = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(ids), encoder.tokenizer_.get_vocab_size()))
    counts.sum_duplicates()
    return counts


def fit_piece_bag(counts: sparse.csr_matrix, y: np.ndarray, *, c: float = PIECE_BAG_C) -> WordPieceBag:
    """A :class:`WordPieceBag`: tf-idf of the counts, then a logistic regression (binary: one logit;
    more classes: one logit per class, multinomial)."""
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    clf = LogisticRegression(C=c, max_iter=3000).fit(tfidf.transform(counts), y)
    return WordPieceBag(tfidf.idf_.astype(np.float32), clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32))


def piece_bag_logits(bag: WordPieceBag, counts: sparse.csr_matrix) -> np.ndarray:
    """[n, n_outputs]: the bag's logits for each row of counts (what :meth:`WordPieceBag.logits` gives)."""
    tfidf = TfidfTransformer(sublinear_tf=True)
    tfidf.idf_ = bag.idf.astype(np.float64)
    return (np.asarray(tfidf.transform(counts) @ bag.weights.astype(np.float64)) + bag.bias[None, :]).astype(np.float32)


def oof_piece_logits(counts: sparse.csr_matrix, y: np.ndarray, *, seed: int, folds: int = 5) -> np.ndarray:
    """[n, n_outputs] out-of-fold bag logits: a stacked head never sees a bag fit on the same row."""
    out: np.ndarray | None = None
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        z = piece_bag_logits(fit_piece_bag(counts[tr], y[tr]), counts[te])
        if out is None:
            out = np.zeros((counts.shape[0], z.shape[1]), dtype=np.float32)
        out[te] = z
    assert out is not None
    return out


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale of the feature columns (scale never zero)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 1e-6, scale, 1.0)


def fit_logistic(x: np.ndarray, y: np.ndarray, *, c: float, balanced: bool) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    """A standardised binary logistic regression: (mean, scale, fitted model)."""
    mean, scale = standardise(x)
    clf = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=3000)
    clf.fit((x - mean) / scale, y)
    return mean, scale, clf


def oof_probabilities(x: np.ndarray, y: np.ndarray, *, fit: Callable[[np.ndarray, np.ndarray], Any], seed: int, folds: int = 5) -> np.ndarray:
    """Out-of-fold positive-class probabilities (stratified folds); ``fit`` returns (mean, scale, clf)."""
    out = np.zeros(len(x))
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        mean, scale, clf = fit(x[tr], y[tr])
        out[te] = clf.predict_proba((x[te] - mean) / scale)[:, 1]
    return out


def binary_head(label: str, mean: np.ndarray, scale: np.ndarray, clf: LogisticRegression, threshold: float) -> LinearHead:
    """A one-label sigmoid head from a fitted binary logistic regression."""
    return LinearHead(
        [label], clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32), mean, scale,
        np.array([threshold], dtype=np.float32), multilabel=True,
    )


def best_threshold(gold: np.ndarray, prob: np.ndarray, grid: np.ndarray) -> tuple[float, float]:
    """(threshold, positive-class F1) maximising F1 over ``grid``."""
    best = (0.5, -1.0)
    for t in grid:
        pred = prob >= t
        tp = int((pred & gold).sum())
        denom = int(pred.sum()) + int(gold.sum())
        f1 = 2 * tp / denom if denom else 0.0
        if f1 > best[1]:
            best = (float(t), f1)
    return best


def write_model(out: Path, files: dict[str, LinearHead | WordPieceBag], meta: dict[str, Any], card: str) -> Path:
    """Write the heads and bags (``<name>.npz``), ``meta.json`` (with the encoder fingerprint) and ``card.md``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, head in files.items():
        head.save(out / f"{name}.npz")
    meta = {**meta, "features_version": FEATURES_VERSION, "trained_with": __version__}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out / "card.md").write_text(card, encoding="utf-8")
    return out
