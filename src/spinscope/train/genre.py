"""Train the genre head (opinion / reporting / satire) on SemEval-2023 Task 3 subtask-1 train.

v2 reads no encoder vectors: English train is 90 % opinion with 3 satire articles while real news (and
English dev) is mostly reporting, and heads on the MiniLM article vector learned the English topics and
prior. The head is a class-balanced logistic regression over :func:`~spinscope.features.genre_cues`
(layout, punctuation and small multilingual lexicons), trained on all six train languages. Each
language's cues are standardised on that language's own train articles, so the head reads "more quotes
than usual for this language"; at run time the English statistics are used (folded into the head).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from ..datasets import semeval2023
from ..datasets.semeval2023 import article_document
from ..features import GENRE_CUE_NAMES, genre_cues
from ..heads import LinearHead
from .article_heads import standardise, write_model

LANGS = ("en", "fr", "ge", "it", "po", "ru")
RUNTIME_LANG = "en"
C_GRID = (0.001, 0.003, 0.01, 0.03, 0.1)
SEEDS = (0, 1, 2)
# The weight of each non-English train article against an English one, chosen with C.
OTHER_WEIGHTS = (1.0, 0.5, 2.0)


def _balanced_f1(gold: np.ndarray, pred: np.ndarray, labels: list[int]) -> float:
    """Macro-F1 over ``labels`` with every gold class weighted to the same total (equal priors)."""
    weight = np.array([1.0 / np.sum(gold == g) for g in gold])
    return float(f1_score(gold, pred, labels=labels, average="macro", sample_weight=weight, zero_division=0))


def per_language_standardise(x: np.ndarray, lang: np.ndarray) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """``x`` with each language's rows standardised on that language's statistics, and the statistics."""
    z = np.empty_like(x, dtype=np.float64)
    stats = {}
    for code in np.unique(lang):
        rows = lang == code
        stats[str(code)] = standardise(x[rows])
        z[rows] = (x[rows] - stats[str(code)][0]) / stats[str(code)][1]
    return z, stats


def language_weights(lang: np.ndarray, other_weight: float) -> np.ndarray:
    """Each article's sample weight: 1 for an English one, ``other_weight`` for the other languages'."""
    return np.where(lang == RUNTIME_LANG, 1.0, other_weight)


def _fit(c: float, x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y, sample_weight=weight)


def criterion(z: np.ndarray, y: np.ndarray, lang: np.ndarray, c: float, other_weight: float = 1.0) -> dict[str, float]:
    """Train-only selection scores of C and the other languages' weight: see the card. ``z`` is already
    standardised per language."""
    w = language_weights(lang, other_weight)
    strata = np.array([f"{a}:{b}" for a, b in zip(lang, y, strict=True)])
    en = lang == RUNTIME_LANG
    en_or, en_all = [], []
    for seed in SEEDS:
        # English satire has 3 train articles, fewer than the folds: sklearn warns, the folds are still fine.
        warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
        pred = np.zeros(len(y), dtype=int)
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(z, strata):
            pred[te] = _fit(c, z[tr], y[tr], w[tr]).predict(z[te])
        en_or.append(_balanced_f1(y[en], pred[en], [0, 1]))  # opinion, reporting (en satire: 3 articles)
        en_all.append(_balanced_f1(y[en], pred[en], [0, 1, 2]))
    lolo = {}  # training on five languages, scoring the sixth
    for code in np.unique(lang):
        held = lang == code
        lolo[str(code)] = _balanced_f1(y[held], _fit(c, z[~held], y[~held], w[~held]).predict(z[held]), [0, 1, 2])
    scores = {"en_folds_or": float(np.mean(en_or)), "en_folds": float(np.mean(en_all)), "lolo": float(np.mean(list(lolo.values())))}
    scores |= {f"lolo_{k}": v for k, v in lolo.items()}
    scores["selection"] = (scores["en_folds_or"] + scores["lolo"]) / 2
    return scores


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Fit the v2 head on all languages' train articles; choose C by the train-only criterion of the card."""
    del seed  # the folds use fixed seeds (SEEDS); kept for the shared ``train`` signature
    articles = [a for lang in LANGS for a in semeval2023.articles(data, lang, "train", subtask=1, for_training=True)]
    labels = sorted({a.genre for a in articles})
    y = np.array([labels.index(a.genre) for a in articles])
    lang = np.array([a.lang for a in articles])
    x = np.stack([genre_cues(article_document(a.text)) for a in articles]).astype(np.float64)
    z, stats = per_language_standardise(x, lang)

    cv = {(w, c): criterion(z, y, lang, c, w) for w in OTHER_WEIGHTS for c in C_GRID}
    best_w, best_c = max(cv, key=lambda k: cv[k]["selection"])
    # The per-language z-scores pool to mean 0, scale 1 (up to constant columns); fold any remainder and
    # the English statistics into one mean/scale so that run time standardises raw English cues.
    pooled_mean, pooled_scale = standardise(z)
    clf = _fit(best_c, (z - pooled_mean) / pooled_scale, y, language_weights(lang, best_w))
    en_mean, en_scale = stats[RUNTIME_LANG]
    head = LinearHead(
        labels, clf.coef_, clf.intercept_, en_mean + pooled_mean * en_scale, en_scale * pooled_scale,
        np.zeros(len(labels)), multilabel=False,
    )  # fmt: skip
    counts = {code: {lab: int(((lang == code) & (y == i)).sum()) for i, lab in enumerate(labels)} for code in LANGS}
    card = CARD.format(
        n=len(articles), counts="; ".join(f"{k} " + "/".join(str(n) for n in v.values()) for k, v in counts.items()) + " opinion/reporting/satire", c=best_c,
        n_cues=len(GENRE_CUE_NAMES), cues=", ".join(GENRE_CUE_NAMES), w=best_w,
        cv="\n".join(
            f"  | {w:g} | {c} | {s['en_folds_or']:.3f} | {s['en_folds']:.3f} | {s['lolo']:.3f} | {s['lolo_en']:.3f} | {s['selection']:.3f} |"
            for (w, c), s in cv.items()
        ),
    )  # fmt: skip
    meta = {
        "name": "spinscope-genre", "version": "2", "features": "genre_cues", "style": False, "langs": list(LANGS),
        "C": best_c, "other_weight": best_w, "cv": cv[(best_w, best_c)],
    }  # fmt: skip
    return write_model(out, head, meta, card)


CARD = """\
# spinscope genre head (v2)

Article genre: **opinion**, **reporting** or **satire** (SemEval-2023 Task 3 subtask 1).

- **Model**: multinomial logistic regression (class-balanced) over {n_cues} cues computed from the text
  and its paragraphs only ({cues}): shares of paragraphs with quotation marks, attribution, digits or
  questions, paragraph- and sentence-length statistics, rates of first/second-person pronouns and
  punctuation, and title/lead-paragraph cues. Lexicons (attribution verbs, pronouns) hold the six
  training languages' words in one list. No encoder vectors: heads on the MiniLM article vector
  learned English train's topics and its 90 % opinion prior (v1: 0.265 macro-F1 on en dev).
  Each language's cues are standardised on its own train articles; at run time the English statistics
  are used. Stored as plain numpy arrays (`head.npz`); about 5 ms per article, numpy and `re` only.
- **Data**: SemEval-2023 Task 3 subtask-1 **train**, all six languages: {n} articles ({counts}), after
  dropping the articles that also appear in a dev split (`spinscope.datasets.semeval2023.contaminated_ids`).
  Dev is never read in training.
- **Terms**: SemEval-2023 Task 3 data may be used only for scientific research within the shared
  task's terms and may not be redistributed; this model inherits that restriction (research use only).
- **Selection** (train only): C = {c} and the other languages' articles at weight {w} each against an
  English one, the best of the grid on the mean of (a) macro-F1 over opinion and
  reporting on the English held-out folds with equal class priors (sample weights 1/class count; 5 folds
  stratified on language x genre, training folds hold every language, 3 seeds) and (b) leave-one-language-out
  macro-F1 with equal priors, averaged over the six languages. Both reward a head that holds up when
  the label mix shifts; English satire (3 train articles) is left out of (a) as too few to score.
  No thresholds: the label is the argmax (equal priors; the deployment prior is unknown).

  | other languages' weight | C | (a) en folds, opinion+reporting | en folds, 3 classes | (b) leave-one-language-out | held-out en | selection |
  |---|---|---|---|---|---|---|
{cv}

  Tried before this design, on the same criterion (one-off experiments): the MiniLM article vector
  (English only ≈ 0.32 en-folds 3-class; all languages ≈ 0.31, leave-one-language-out ≈ 0.25-0.31,
  with or without the cues), gradient boosting on the cues (≈ 0.26 / 0.36), and the cues without
  per-language standardisation (selection ≈ 0.50).
- **Train**: `spinscope train genre --data ../shared/data --out src/spinscope/models/genre`
- **Evaluate**: `spinscope eval genre --data ../shared/data --split dev` (results in the README).
"""
