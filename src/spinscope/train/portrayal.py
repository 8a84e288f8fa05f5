"""Train the portrayal head (sentiment toward a mention: negative / neutral / positive) on NewsMTSC train.

Selection uses only the authors' dev halves (dev-rw, dev-mt); the test halves are never read here.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..encoder import default_dir
from ..heads import LinearHead
from ..metrics import f1m
from .article_heads import encoder_description, standardise, write_model
from .mention_data import newsmtsc_features

LABELS = ["negative", "neutral", "positive"]
LINEAR_C = (0.0001, 0.0003, 0.001, 0.003)
# A one-hidden-layer MLP (alpha 0.01, 0.1) was tried: 0.70 mean dev F1m against 0.72 linear (see the card).


def _linear(c: float, balanced: bool):  # type: ignore[no-untyped-def]
    return LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=3000)


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Fit logistic-regression heads on train; keep the best by mean dev F1m."""
    x, gold, fp = newsmtsc_features(data, "train", for_training=True)
    dev = {split: newsmtsc_features(data, split, for_training=True)[:2] for split in ("dev-rw", "dev-mt")}
    y = np.array([LABELS.index(g) for g in gold])
    mean, scale = standardise(x)
    xs = (x - mean) / scale
    results: dict[str, dict[str, float]] = {}
    fitted = {}
    candidates = [(f"linear C={c}{' balanced' if b else ''}", lambda c=c, b=b: _linear(c, b)) for c in LINEAR_C for b in (False, True)]
    for name, make in candidates:
        t0 = time.time()
        clf = make().fit(xs, y)
        scores = {
            split: f1m(g, [LABELS[i] for i in clf.predict((xd - mean) / scale)]) for split, (xd, g) in dev.items()
        }
        scores["mean"] = float(np.mean(list(scores.values())))
        results[name] = {k: round(v, 4) for k, v in scores.items()}
        fitted[name] = clf
        print(f"{name}: {results[name]} ({time.time() - t0:.0f}s)", flush=True)
    best = max(results, key=lambda k: results[k]["mean"])
    clf = fitted[best]
    classes = [LABELS[i] for i in clf.classes_]
    head = LinearHead(classes, clf.coef_, clf.intercept_, mean, scale, np.zeros(len(classes)), multilabel=False)
    counts = {lab: int((y == i).sum()) for i, lab in enumerate(LABELS)}
    meta = {
        "name": "spinscope-portrayal",
        "version": "1",
        "head": best,
        "encoder_fingerprint": fp,
        "encoder": default_dir().name,
        "dev_f1m": results[best],
        "selection": results,
        "features": "mention mean | sentence mean | sentence-without-mention mean | 6-piece left and right windows | position, lengths",
    }
    return write_model(out, head, meta, _card(len(y), counts, best, results, fp))


def _card(n: int, counts: dict[str, int], best: str, results: dict[str, dict[str, float]], fp: str) -> str:
    rows = "\n".join(f"| {name} | {r['dev-rw']:.3f} | {r['dev-mt']:.3f} | {r['mean']:.3f} |" for name, r in results.items())
    return CARD.format(n=n, counts=counts, best=best, rows=rows, fp=fp, encoder=encoder_description())


CARD = """\
# spinscope portrayal head (v1)

How a sentence portrays an actor it mentions: **negative**, **neutral** or **positive**
(target-dependent sentiment, NewsMTSC). The actors component applies it to every mention of an actor
and averages the probabilities over the actor's mentions; the sentences where a mention is judged most
clearly positive or negative are kept as `attrs.sentences`. One rule of the component overrides the
label, not the probabilities: an actor the casting gate casts as Innocent is shown positive (a victim
the reader is asked to sympathise with), since this head reads harm done to an actor as negative.

- **Model**: {best}, over features read from the token states of {encoder} (fingerprint `{fp}`): the mean state of the mention's word pieces, of its sentence, of the sentence without the
  mention, of the 6 pieces either side of it, and three numbers (relative position, log sentence and
  mention lengths). No second encoder pass and no target markers: the target is marked by pooling its
  tokens. Stored as plain numpy arrays (`head.npz`).
- **Data**: NewsMTSC (Hamborg & Donnay, EACL 2021) `train.jsonl`: {n} targets {counts}. Each
  sentence is encoded on its own; at run time a mention is encoded with its whole paragraph, a mild
  shift the evaluation below does not measure.
- **Terms**: the NewsMTSC repository's licence is MIT "for newly developed files"; the dataset readme
  states no licence of its own and asks for the paper to be cited. The sentence texts stay the
  publishers' copyright; this head contains no text.
- **Selection** (only on the authors' dev halves, dev-rw and dev-mt; the test halves are never read in
  training): the candidate with the best mean dev F1m was kept. No thresholds: the label is the argmax.

| candidate | dev-rw F1m | dev-mt F1m | mean |
|---|---|---|---|
{rows}

- **Train**: `spinscope train portrayal --data ../shared/data --out src/spinscope/models/portrayal`
- **Evaluate**: `spinscope eval portrayal --split test-rw` and `--split test-mt` (F1m, the NewsMTSC
  metric: macro-F1 over the three polarities); results in the README.
"""
