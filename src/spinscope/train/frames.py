"""Train the frames head (14 frames, multi-label) on SemEval-2023 Task 3 subtask-2 train."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from ..datasets import semeval2023
from ..datasets.semeval2023 import article_document
from ..encoder import default_dir
from ..heads import LinearHead
from ..metrics import micro_f1
from .article_heads import (
    cv_scores,
    encode,
    encoder_description,
    held_out_ids,
    held_out_scores,
    standardise,
    write_model,
)

LANGS = ("en",)
C_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
THRESHOLDS = np.round(np.arange(0.04, 0.71, 0.02), 2)


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """One logistic regression per frame; C and one shared threshold by micro-F1 on train (held-out or CV)."""
    frames = list(semeval2023.frames(data))
    articles = [a for lang in LANGS for a in semeval2023.articles(data, lang, "train", subtask=2, for_training=True)]
    y = np.array([[f in a.frames for f in frames] for a in articles], dtype=int)
    x = encode([article_document(a.text) for a in articles], style=False, desc="frames features")
    gold = [set(a.frames) for a in articles]
    strata = y.argmax(1)  # folds stratified on each article's first frame keep rare frames spread

    def fit_with(c: float):
        def fit(xs: np.ndarray, ys: np.ndarray) -> LogisticRegression:
            return LogisticRegression(C=c, max_iter=5000).fit(xs, ys)

        return fit

    def decode(p: np.ndarray, t: float) -> list[set[str]]:
        return [{f for f, s in zip(frames, row, strict=True) if s >= t} for row in p]

    # A fine-tuned encoder saw these articles' frames (as weak paragraph labels): choose C and the
    # threshold on the train articles it never saw; with the base encoder, by 5-fold CV on train.
    unseen = held_out_ids()
    held_out = np.array([a.id in unseen for a in articles])
    selection = "held-out" if held_out.any() else "cv"
    cv: dict[tuple[float, float], float] = {}
    for c in C_GRID:
        if held_out.any():
            scores = held_out_scores(x, y, fit=fit_with(c), held_out=held_out)
            scored = [g for g, h in zip(gold, held_out, strict=True) if h]
        else:
            scores, scored = cv_scores(x, y, fit=fit_with(c), strata=strata, seed=seed), gold
        for t in THRESHOLDS:
            cv[(c, float(t))] = micro_f1(scored, decode(scores, t), labels=frames)
    best_c, best_t = max(cv, key=cv.get)
    mean, scale = standardise(x)
    xs = (x - mean) / scale
    fits = [fit_with(best_c)(xs, y[:, j]) for j in range(len(frames))]
    head = LinearHead(
        frames,
        np.vstack([f.coef_ for f in fits]),
        np.concatenate([f.intercept_ for f in fits]),
        mean,
        scale,
        np.full(len(frames), best_t),
        multilabel=True,
    )
    how = (
        f"on the {int(held_out.sum())} train articles the fine-tuned encoder never saw (the head fitted on the "
        f"other {int((~held_out).sum())}; micro-F1 there {cv[(best_c, best_t)]:.3f}), because the encoder's fine-tuning "
        "used the other articles' frames, which makes cross-validation over them optimistic"
        if selection == "held-out"
        else f"by 5-fold cross-validation micro-F1 on train (CV micro-F1 {cv[(best_c, best_t)]:.3f})"
    )
    card = CARD.format(encoder=encoder_description(), version="2" if selection == "held-out" else "1", n=len(articles), langs=", ".join(LANGS), c=best_c, t=best_t, how=how)
    meta = {"name": "spinscope-frames", "version": "2" if selection == "held-out" else "1", "style": False,
            "langs": list(LANGS), "C": best_c, "threshold": best_t, "selection": selection,
            "selection_micro_f1": cv[(best_c, best_t)], "encoder": default_dir().name}
    return write_model(out, head, meta, card)


CARD = """\
# spinscope frames head (v{version})

The frames an article looks through: the 14 frames of SemEval-2023 Task 3 subtask 2 (Economic,
Morality, Security and defense, Political, …), multi-label, article level.

- **Model**: one logistic regression per frame over the article embedding (token-weighted mean of
  the paragraph vectors, unit length) of {encoder}. Plain numpy arrays (`head.npz`).
- **Data**: SemEval-2023 Task 3 subtask-2 **train**, languages {langs}: {n} articles, after dropping
  the articles that also appear in a dev split. Dev is never read in training.
- **Terms**: SemEval-2023 Task 3 data may be used only for scientific research within the shared
  task's terms and may not be redistributed; this model inherits that restriction (research use only).
- **Selection**: C = {c} and one threshold shared by all frames, t = {t}, chosen together {how}.
  The shipped head is then fitted on all {n} articles.
- **Train**: `spinscope train frames --data ../shared/data --out src/spinscope/models/frames`
- **Evaluate**: `spinscope eval frames --data ../shared/data --split dev` (results in the README).
"""
