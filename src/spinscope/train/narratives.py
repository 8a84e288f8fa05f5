"""Train the narrative heads (SemEval-2025 Task 10 subtask 2) on the English train release.

Only English: the bundled encoder has an English word-piece vocabulary, so Bulgarian, Hindi and
Russian text (Cyrillic, Devanagari) falls to unknown pieces and Portuguese to fragments. Dev is
held out and never read here; C, class weights and the three decoding thresholds are chosen by
5-fold cross-validation on train, scored with the official measure (samples-F1).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from tqdm import tqdm

from ..components.narratives import DOMAINS, OTHER, decode, domain_of, english_rows, features
from ..datasets import semeval2025
from ..datasets.semeval2023 import article_document
from ..heads import LinearHead
from ..metrics import samples_f1
from ..pipeline import build
from .article_heads import standardise, write_model

LANGS = ("EN",)
FEATURES_VERSION = "2"
C_GRID = (0.003, 0.01, 0.03, 0.1)
WEIGHTS = (None, "balanced")
T_OTHER = np.round(np.arange(0.30, 0.71, 0.05), 2)
T_NARR = np.round(np.arange(0.10, 0.71, 0.05), 2)
T_SUB = np.round(np.arange(0.10, 0.71, 0.05), 2)
MIN_POSITIVES = 2


def description(label: str) -> str:
    """The text a label is embedded as: its own taxonomy name(s), with the domain spelled out."""
    topic = {"URW": "The war in Ukraine", "CC": "Climate change"}[domain_of(label)]
    parts = label.split(": ")[1:]
    return f"{topic}: {'. '.join(parts)}."


def described(narratives: list[str], subnarratives: list[str]) -> list[str]:
    """The labels that get a description vector (every label but Other and ``<narrative>: Other``)."""
    return [lab for lab in [*narratives, *subnarratives] if lab != OTHER and not lab.endswith(f": {OTHER}")]


def paragraph_rows(texts: list[str], *, desc: str = "narrative features") -> list[tuple[np.ndarray, np.ndarray]]:
    """(unit vectors, weights) of each article's English paragraphs, cached per text and encoder."""
    encoder = build(["spinscope.encoder.v1"])
    version = encoder.components[0].encoder_.fingerprint
    root = Path(os.environ.get("SPINSCOPE_CACHE", Path.home() / ".cache" / "spinscope"))
    cache_dir = root / "narrative-features" / f"{version[:16]}-{FEATURES_VERSION}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    paths = [cache_dir / f"{hashlib.sha1(t.encode()).hexdigest()}.npz" for t in texts]
    todo = [article_document(t) for t, p in zip(texts, paths, strict=True) if not p.is_file()]
    done = {}
    for doc in tqdm(encoder.pipe(todo, batch_size=8), total=len(todo), desc=desc, unit="article"):
        units, weights, _ = english_rows(doc)
        done[doc.text] = (units, weights)
        doc.cache.clear()
    out = []
    for text, path in zip(texts, paths, strict=True):
        if text in done:
            np.savez(path, units=done[text][0], weights=done[text][1])
        with np.load(path) as z:
            out.append((z["units"], z["weights"]))
    return out


def embed(texts: list[str]) -> np.ndarray:
    """Unit sentence vectors of ``texts`` from the bundled encoder."""
    encoder = build(["spinscope.encoder.v1"]).components[0].encoder_
    return np.stack([e.unit for e in encoder.encode(texts)]).astype(np.float32)


def _fit(x: np.ndarray, y: np.ndarray, c: float, weight: str | None) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight=weight).fit(x, y)


def _multi_scores(xs: np.ndarray, y: np.ndarray, xt: np.ndarray, c: float, weight: str | None, fitted: np.ndarray) -> np.ndarray:
    out = np.zeros((len(xt), y.shape[1]))
    for j in np.flatnonzero(fitted):
        if 0 < y[:, j].sum() < len(y):  # a rare label may have all its articles in the held-out fold
            out[:, j] = _fit(xs, y[:, j], c, weight).predict_proba(xt)[:, 1]
    return out


def _head(x: np.ndarray, y: np.ndarray, labels: list[str], c: float, weight: str | None, *, multilabel: bool, fitted: np.ndarray | None = None) -> LinearHead:
    mean, scale = standardise(x)
    xs = (x - mean) / scale
    if not multilabel:
        fit = _fit(xs, y, c, weight)
        order = [list(fit.classes_).index(lab) for lab in range(len(labels))]
        return LinearHead(labels, fit.coef_[order], fit.intercept_[order], mean, scale, np.zeros(len(labels)), multilabel=False)
    weights = np.zeros((len(labels), x.shape[1]))
    bias = np.full(len(labels), -20.0)  # labels too rare to fit are never predicted
    for j in np.flatnonzero(fitted):
        fit = _fit(xs, y[:, j], c, weight)
        weights[j], bias[j] = fit.coef_[0], fit.intercept_[0]
    return LinearHead(labels, weights, bias, mean, scale, np.zeros(len(labels)), multilabel=True)


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Fit the domain, narrative and subnarrative heads; pick C and thresholds by CV samples-F1."""
    all_narr = list(semeval2025.narrative_labels(data))
    all_sub = list(semeval2025.subnarrative_labels(data))
    narratives = [lab for lab in all_narr if lab != OTHER]
    subnarratives = [lab for lab in all_sub if lab != OTHER and not lab.endswith(f": {OTHER}")]
    arts = [a for lang in LANGS for a in semeval2025.articles(data, lang, "train", for_training=True)]
    gold_narr = [set(a.narratives) for a in arts]
    gold_sub = [set(a.subnarratives) for a in arts]

    desc_labels = described(narratives, subnarratives)
    desc = embed([description(lab) for lab in desc_labels])
    rows = paragraph_rows([a.text for a in arts])
    x = np.stack([features(u, w, desc) for u, w in rows])

    def dom(a: semeval2025.Article) -> int:
        doms = [domain_of(n) for n in a.narratives]
        return DOMAINS.index(max(set(doms), key=doms.count))

    y_dom = np.array([dom(a) for a in arts])
    y_narr = np.array([[lab in g for lab in narratives] for g in gold_narr], dtype=int)
    y_sub = np.array([[lab in g for lab in subnarratives] for g in gold_sub], dtype=int)
    fit_narr = y_narr.sum(0) >= MIN_POSITIVES
    fit_sub = y_sub.sum(0) >= MIN_POSITIVES
    known = frozenset(all_sub)

    folds = list(StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y_dom))

    def oof(c: float, weight: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pd, pn, ps = np.zeros((len(x), 3)), np.zeros(y_narr.shape), np.zeros(y_sub.shape)
        for tr, te in folds:
            mean, scale = standardise(x[tr])
            xs, xt = (x[tr] - mean) / scale, (x[te] - mean) / scale
            pd[te] = _fit(xs, y_dom[tr], c, weight).predict_proba(xt)
            pn[te] = _multi_scores(xs, y_narr[tr], xt, c, weight, fit_narr)
            ps[te] = _multi_scores(xs, y_sub[tr], xt, c, weight, fit_sub)
        return pd, pn, ps

    def score(pd: np.ndarray, pn: np.ndarray, ps: np.ndarray, t_other: float, t_narr: float, t_sub: float) -> tuple[float, float]:
        decoded = [
            decode(pd[i], pn[i], ps[i], narratives=narratives, subnarratives=subnarratives, known_subs=known,
                   t_other=t_other, t_narr=t_narr, t_sub=t_sub)
            for i in range(len(x))
        ]
        f_n = samples_f1(gold_narr, [{lab.label for lab in d.narratives} for d in decoded], labels=all_narr).mean
        f_s = samples_f1(gold_sub, [{lab.label for lab in d.subnarratives} for d in decoded], labels=all_sub).mean
        return f_n, f_s

    results: dict[tuple, tuple[float, float]] = {}
    for c, weight in tqdm(list(itertools.product(C_GRID, WEIGHTS)), desc="narrative CV", unit="setting"):
        pd, pn, ps = oof(c, weight)
        # The thresholds are searched one level at a time (domain and narratives first, then subnarratives).
        best_on = max(
            ((t_o, t_n) for t_o in T_OTHER for t_n in T_NARR),
            key=lambda t: score(pd, pn, ps, t[0], t[1], 0.5)[0],
        )
        for t_s in T_SUB:
            results[(c, weight, float(best_on[0]), float(best_on[1]), float(t_s))] = score(pd, pn, ps, *best_on, t_s)
    best = max(results, key=lambda k: sum(results[k]))
    c, weight, t_other, t_narr, t_sub = best
    f_n, f_s = results[best]

    domain_head = _head(x, y_dom, list(DOMAINS), c, weight, multilabel=False)
    narr_head = _head(x, y_narr, narratives, c, weight, multilabel=True, fitted=fit_narr)
    sub_head = _head(x, y_sub, subnarratives, c, weight, multilabel=True, fitted=fit_sub)
    narr_head.thresholds[:] = t_narr
    sub_head.thresholds[:] = t_sub
    out.mkdir(parents=True, exist_ok=True)
    domain_head.save(out / "domain.npz")
    sub_head.save(out / "subnarratives.npz")
    np.savez_compressed(out / "descriptions.npz", labels=np.array(desc_labels), vectors=desc)
    meta = {
        "name": "spinscope-narratives", "version": "1", "langs": list(LANGS), "C": c, "class_weight": weight,
        "t_other": t_other, "t_narr": t_narr, "t_sub": t_sub,
        "cv_samples_f1_narratives": round(f_n, 4), "cv_samples_f1_subnarratives": round(f_s, 4),
        "n_articles": len(arts), "fitted_narratives": int(fit_narr.sum()), "fitted_subnarratives": int(fit_sub.sum()),
        "subnarrative_labels": all_sub, "narrative_labels": all_narr,
    }
    card = CARD.format(n=len(arts), c=c, weight=weight, t_other=t_other, t_narr=t_narr, t_sub=t_sub, f_n=f_n, f_s=f_s,
                       n_narr=int(fit_narr.sum()), n_sub=int(fit_sub.sum()), min_pos=MIN_POSITIVES,
                       n_desc=len(desc_labels))
    (out / "cv.json").write_text(
        json.dumps([{"C": k[0], "class_weight": k[1], "t_other": k[2], "t_narr": k[3], "t_sub": k[4],
                     "narratives": round(v[0], 4), "subnarratives": round(v[1], 4)} for k, v in results.items()], indent=1) + "\n",
        encoding="utf-8",
    )
    return _finish(out, narr_head, meta, card)


def _finish(out: Path, narr_head: LinearHead, meta: dict, card: str) -> Path:
    path = write_model(out, narr_head, meta, card)
    (out / "head.npz").rename(out / "narratives.npz")
    return path


CARD = """\
# spinscope narratives (v1)

Which known narratives an article pushes: SemEval-2025 Task 10 subtask 2 (two-level taxonomy of
the Ukraine–Russia war (URW) and climate change (CC) narratives), article level, multi-label, with
the paragraphs that carry each narrative as evidence and an extractive explanation (subtask 3) for
the dominant one.

- **Model**: three heads of plain numpy arrays over the shared encoder's paragraph vectors (no
  second encoder pass). Features: the article vector (token-weighted mean of the English paragraphs'
  unit vectors) and, for each of the {n_desc} labels with a name in the taxonomy, the best cosine
  between a paragraph and the label's name embedded by the same encoder ("The war in Ukraine:
  Discrediting Ukraine. Ukraine is a puppet of the West."; `descriptions.npz`). A softmax domain
  head (URW / CC / Other) gates; per-label logistic regressions score the {n_narr} narratives and
  {n_sub} subnarratives that have at least {min_pos} English train articles (rarer ones are never
  predicted). Decoding: Other if P(Other) ≥ {t_other}; else, within the more likely domain, every
  narrative ≥ {t_narr} (at least the best one); under each, every subnarrative ≥ {t_sub}, else
  `<narrative>: Other`. A subnarrative is only ever predicted under its narrative.
- **Domain named** (a rule of the component, not a head): a narrative is given only if the article
  names its domain (`DOMAIN_WORDS` in `components/narratives.py`), else Other with a
  `narratives-off-topic` warning: the heads never saw an article about neither domain.
- **Evidence**: each paragraph scored by the narrative head on its own features; the up to 3 best
  within half of the best paragraph's score. **Explanation**: the article's first paragraph (its
  title, as a rule) when it fits, then, from the evidence paragraphs' sentences, the ones whose pooled
  token states are closest to the narrative's (and its subnarratives') name vectors, in text order,
  at most 50 words in all (chosen on the English train explanations; README). Nothing is generated.
- **Data**: SemEval-2025 Task 10 English train release (`target_4_December_release/EN`),
  {n} articles. Dev (`cleaned_dev_10_january_2025`) is held out: never read in training or
  selection. Other languages were not used: the encoder's vocabulary is English.
- **Terms**: the SemEval-2025 Task 10 data may be used only within the shared task and for
  scientific research, and may not be redistributed; this model inherits that restriction
  (research use only). No text from the data is shipped; the arrays are fitted weights and the
  embedded taxonomy names.
- **Selection**: C = {c}, class weight {weight}, thresholds t_other = {t_other}, t_narr = {t_narr},
  t_sub = {t_sub}, chosen by 5-fold cross-validation on train (folds stratified on the domain),
  maximising the sum of the two official measures (samples-F1 on narratives and on
  subnarratives); domain and narrative thresholds first, then the subnarrative one. CV samples-F1:
  narratives {f_n:.3f}, subnarratives {f_s:.3f} (all settings in `cv.json`).
- **Non-English paragraphs** (≥ 12 words, < 12 % English stop words) are left out of the features
  and the evidence; an article with none left gets no narrative labels.
- **Train**: `spinscope train narratives --data ../shared/data --out src/spinscope/models/narratives`
- **Evaluate**: `spinscope eval narratives --split dev` and `spinscope eval narrative-explanations --split dev`
  (numbers below).
"""
