"""Train the casting gate: which of the actors found in an article the story casts in a role.

The role heads label every actor the actors component finds (15.7 per SemEval-2025 English train
article), but annotators gave roles to 2.7 of them: the ones the story is about. This logistic
regression over :data:`spinscope.actors.CAST_FEATURE_NAMES` (how often, where and how evaluatively an
actor is mentioned, and how sure the role head is) scores each actor; the report shows roles only for
the actors it passes. Trained on SemEval-2025 Task 10 English **train** (dev is held out:
``for_training=True`` refuses it); C and the threshold are chosen on grouped 5-fold cross-validation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from ..actors import CAST_FEATURE_NAMES, decide_cast
from ..encoder import Encoder
from ..heads import LinearHead
from .article_heads import standardise, write_model
from .mention_data import semeval_entities

C_GRID = (0.01, 0.1, 1.0)
THRESHOLDS = np.round(np.arange(0.1, 0.81, 0.025), 3)


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Fit the gate on English train; C and threshold by F1 of the cast class on grouped CV."""
    x, y, groups, counts = semeval_entities(data, "train", for_training=True)
    folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(x, y, groups))
    cv = {}
    for c in C_GRID:
        p = np.zeros(len(y))
        for tr, te in folds:
            mean, scale = standardise(x[tr])
            clf = LogisticRegression(C=c, max_iter=3000).fit((x[tr] - mean) / scale, y[tr])
            p[te] = clf.predict_proba((x[te] - mean) / scale)[:, 1]
        t = float(max(THRESHOLDS, key=lambda t: f1_score(y, decide_cast(p, t, groups))))
        pred = decide_cast(p, t, groups)
        cv[c] = {"threshold": t, "f1": f1_score(y, pred), "precision": precision_score(y, pred),
                 "recall": recall_score(y, pred), "auc": roc_auc_score(y, p),
                 "f1_threshold_only": max(f1_score(y, p >= t) for t in THRESHOLDS)}  # fmt: skip
    best = max(cv, key=lambda c: (round(cv[c]["f1"], 4), cv[c]["auc"]))
    mean, scale = standardise(x)
    clf = LogisticRegression(C=best, max_iter=3000).fit((x - mean) / scale, y)
    threshold = cv[best]["threshold"]
    head = LinearHead(["cast"], clf.coef_, clf.intercept_, mean, scale, np.array([threshold]), multilabel=True)
    always = f1_score(y, np.ones_like(y))
    meta = {
        "name": "spinscope-cast", "version": "1", "features": list(CAST_FEATURE_NAMES), "C": best,
        "threshold": threshold, "encoder_fingerprint": Encoder().fingerprint,
        "cv": {k: round(float(v), 4) for k, v in cv[best].items()}, "always_cast_f1": round(float(always), 4),
        "train": {**counts, "actors": int(len(y)), "cast": int(y.sum())},
    }  # fmt: skip
    card = CARD.format(
        n=len(y), n_cast=int(y.sum()), **counts, c=best, t=threshold, always=always,
        cv="\n".join(f"| {c} | {s['threshold']:.3f} | {s['f1']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | {s['auc']:.3f} | {s['f1_threshold_only']:.3f} |"
                     for c, s in cv.items()),
        features=", ".join(CAST_FEATURE_NAMES),
        weights=", ".join(f"{n} {w:+.2f}" for n, w in sorted(zip(CAST_FEATURE_NAMES, clf.coef_[0], strict=True), key=lambda p: -abs(p[1]))[:6]),
    )  # fmt: skip
    print(meta["cv"], "always-cast F1", round(float(always), 4))
    return write_model(out, head, meta, card)


CARD = """\
# spinscope casting gate (v1)

Which of the actors in an article does the story cast in a role (hero, villain, victim)? The role
heads (`models/roles`) label every actor the actors component finds; this gate scores each one
(`entities[i].attrs.cast_score`, with `attrs.cast` true at or above the threshold) and the report shows a
role only for the actors it passes. The JSON keeps every actor's role.

- **Model**: logistic regression over {features} — mention count, spread over
  paragraphs, first position, title/lead, kind, the role heads' confidence, the portrayal mix, name
  length, aliases, pronouns. Largest standardised weights: {weights}. Plain numpy (`head.npz`),
  microseconds per actor.
- **Data**: SemEval-2025 Task 10 subtask 1 English **train** (`target_4_December_release/EN`):
  {articles} articles with role annotations, run through the pipeline up to the actors component
  (sentences, encoder, actors with their portrayal and role heads); {n} actors found, {n_cast} cast
  (an actor is cast when one of its mentions overlaps an annotated mention). The found actors cover
  {gold_mentions_covered} of the {gold_mentions} annotated mentions.
- **Terms**: SemEval-2025 Task 10 data may be used only within the shared task and for scientific
  research and may not be redistributed; this model inherits that: **research use only**.
- **Held out**: the official English dev gold is the test set (`spinscope eval cast --split dev`);
  never read in training or selection.
- **Selection**: 5-fold cross-validation on train, grouped by article, stratified on the label: C and
  the threshold by F1 of the cast class (AUC breaks ties). Chosen: C = {c}, threshold {t}. Marking
  every actor cast scores F1 {always:.3f}. Decision (`actors.decide_cast`): an actor is cast when it
  scores at least the threshold, and each article's best-scoring actor always is (every annotated
  article casts one; a short op-ed where no actor stands out would show no role at all). The last
  column is the best CV F1 without that rule.

| C | threshold | CV F1 | precision | recall | AUC | F1, threshold only |
|---|---|---|---|---|---|---|
{cv}

- **Train**: `spinscope train cast --data ../shared/data --out src/spinscope/models/cast` (after the
  roles and portrayal heads: the gate reads their outputs).
- **Evaluate**: `spinscope eval cast --split dev` (results in the README).
- **Limits**: what counts as cast is what the SemEval-2025 annotators chose to annotate, in news
  about Ukraine and climate change; English only.
"""
