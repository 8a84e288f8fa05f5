"""Train the actors' kind head: which capitalised runs name a person, organisation, place or group.

The labels are silver: spaCy's ``en_core_web_sm`` NER run over English news train articles
(SemEval-2023 Task 3 en train, SemEval-2025 Task 10 EN train). The head distils it into a linear layer
over the shared encoder's token states plus a few cues, so that at run time finding actors costs a
matrix product instead of a second neural network over the text (spaCy's NER alone took about as long
as the whole rest of the pipeline). C is chosen on a fifth of the articles held out by article ID.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from .. import actors as A
from ..components.actors import NER_ONLY
from ..components.encoder import cached
from ..datasets import semeval2023, semeval2025
from ..heads import LinearHead
from ..nlp import load_spacy
from ..pipeline import build
from .article_heads import standardise
from .mention_data import cache_dir

C_GRID = (0.03, 0.1, 0.3, 1.0)


def _texts(data: Path) -> list[tuple[str, str]]:
    items = [(f"se23-{a.id}", a.text) for a in semeval2023.articles(data, "en", "train", subtask=3, for_training=True)]
    items += [(f"se25-{a.id}", a.text) for a in semeval2025.articles(data, "EN", "train", for_training=True)]
    seen, out = set(), []
    for key, text in items:
        if text not in seen:
            seen.add(text)
            out.append((key, text))
    return out


def _spacy_mentions(nlp, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    shouted = [A.shouting(text[a:b]) for a, b in spans]
    calm = " ".join(text[a:b] for (a, b), s in zip(spans, shouted, strict=True) if not s)
    names = A.capitalised_words(calm) if any(shouted) else set()
    views = [A.case_restored(text[a:b], names) if s else text[a:b] for (a, b), s in zip(spans, shouted, strict=True)]
    out = []
    for (a, _), sdoc in zip(spans, nlp.pipe(views, batch_size=64), strict=True):
        for ent in sdoc.ents:
            s, e = A.trim_span(text, a + ent.start_char, a + ent.end_char)
            s, e = A.split_inner_possessive(text, s, e)
            s, e = A.trim_span(text, s, e)
            if e > s:
                out.append((s, e, ent.label_ if ent.label_ in A.KINDS else "NONE"))
    return out


def features(data: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, list, str]:  # type: ignore[type-arg]
    """(rows, silver labels, article index per row, spaCy mentions per article, encoder fingerprint)."""
    texts = _texts(data)
    pipe = build(["spinscope.sentences.v1", "spinscope.encoder.v1"])
    fp = pipe.components[1].encoder_.fingerprint
    key = hashlib.sha1("\0".join(t for _, t in texts).encode()).hexdigest()[:20]
    path = cache_dir(fp) / f"actors-{key}.npz"
    if path.is_file():
        z = np.load(path, allow_pickle=False)
        gold = json.loads(str(z["gold"]))
        return z["x"], z["y"], z["article"], gold, fp
    nlp = load_spacy(exclude=NER_ONLY)
    labels = list(A.NER_LABELS)
    rows, ys, arts, gold = [], [], [], []
    docs = pipe.pipe(semeval2023.article_document(t) for _, t in texts)
    for n, ((_, text), doc) in enumerate(zip(texts, docs, strict=True)):
        spans = [(p.start, p.end) for p in doc.paragraphs]
        ents = _spacy_mentions(nlp, text, spans)
        gold.append([list(e) for e in ents if e[2] != "NONE"])
        shouted = [A.shouting(text[a:b]) for a, b in spans]
        calm = " ".join(text[a:b] for (a, b), s in zip(spans, shouted, strict=True) if not s)
        lower = A.lowercase_vocabulary(calm)
        names = A.capitalised_words(calm) if any(shouted) else set()
        for (a, b), enc, shout in zip(spans, cached(doc)["paragraphs"], shouted, strict=True):
            view = text[:a] + A.case_restored(text[a:b], names) + text[b:] if shout else text
            for c in A.candidates(view, a, b, lowercase_words=lower):
                row = A.candidate_features(enc, view, c)
                if row is None:
                    continue
                best, label = 0, "NONE"
                for s, e, lab in ents:
                    overlap = min(e, c.end) - max(s, c.start)
                    if overlap > best:
                        best, label = overlap, lab
                if best < 0.5 * (c.end - c.start):
                    label = "NONE"
                rows.append(row)
                ys.append(labels.index(label))
                arts.append(n)
        doc.cache.clear()
    x, y, art = np.stack(rows), np.array(ys), np.array(arts)
    np.savez_compressed(path, x=x, y=y, article=art, gold=np.array(json.dumps(gold)))
    return x, y, art, gold, fp


def train(data: Path, out: Path, *, seed: int = 0) -> Path:
    """Fit the kind head on silver labels; pick C on the held-out fifth of articles; refit on all."""
    x, y, art, gold, fp = features(data)
    labels = list(A.NER_LABELS)
    held = np.array([hashlib.sha1(str(a).encode()).digest()[0] % 5 == 0 for a in art])
    mean, scale = standardise(x[~held])
    scores = {}
    for c in C_GRID:
        clf = LogisticRegression(C=c, max_iter=2000).fit((x[~held] - mean) / scale, y[~held])
        pred = clf.predict((x[held] - mean) / scale)
        scores[c] = _agreement(y[held], pred, labels)
        print(c, scores[c], flush=True)
    best = max(scores, key=lambda c: scores[c]["f1"])
    mean, scale = standardise(x)
    clf = LogisticRegression(C=best, max_iter=2000).fit((x - mean) / scale, y)
    w = np.zeros((len(labels), x.shape[1]), dtype=np.float32)
    b = np.full(len(labels), -30.0, dtype=np.float32)
    w[clf.classes_], b[clf.classes_] = clf.coef_, clf.intercept_
    head = LinearHead(labels, w, b, mean, scale, np.zeros(len(labels)), multilabel=False)
    out.mkdir(parents=True, exist_ok=True)
    head.save(out / "head.npz")
    # How many of spaCy's (cleaned) mentions the candidate rules can reach at all, on the held-out fifth.
    n_gold = sum(len(g) for i, g in enumerate(gold) if hashlib.sha1(str(i).encode()).digest()[0] % 5 == 0)
    meta = {
        "name": "spinscope-actors",
        "version": "1",
        "encoder_fingerprint": fp,
        "C": best,
        "heldout_agreement": scores[best],
        "selection": {str(c): v for c, v in scores.items()},
        "n_candidates": int(len(y)),
        "silver_counts": {labels[k]: int(v) for k, v in Counter(y.tolist()).items()},
        "heldout_spacy_mentions": n_gold,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out / "card.md").write_text(CARD.format(fp=fp, n=len(y), articles=len(gold), c=best, counts=meta["silver_counts"], **scores[best]), encoding="utf-8")
    return out


def _agreement(gold: np.ndarray, pred: np.ndarray, labels: list[str]) -> dict[str, float]:
    none = labels.index("NONE")
    tp = int(((gold == pred) & (gold != none)).sum())
    fp = int(((pred != none) & (gold != pred)).sum())
    fn = int(((gold != none) & (gold != pred)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    untyped_tp = int(((gold != none) & (pred != none)).sum())
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "untyped_recall": round(untyped_tp / max(1, int((gold != none).sum())), 4),
    }


CARD = """\
# spinscope actors kind head (v1)

Which capitalised runs of words name an actor, and what kind: **PERSON**, **ORG**, **GPE**
(countries, cities), **NORP** (nationalities, religious and political groups) or none.

- **Model**: rules propose candidates (runs of capitalised words, joined by "of", "de" …; a
  sentence-initial function word, a job title before a name and a possessive are cut off); a
  multinomial logistic regression labels each from the shared encoder's token states (mean over the
  candidate, 3 pieces either side; encoder fingerprint `{fp}`) and 16 cues (sentence-initial, all
  capitals, job title or honorific before it, in the country / organisation / metonym tables,
  demonym or organisation-word shape, "the" before it, possessive after it …). Stored as `head.npz`.
- **Why not spaCy's NER at run time**: on 30 SemEval-2023 en dev articles (808 words each) the NER
  of `en_core_web_sm` alone (its own CNN, nothing else of the pipeline) cost about 90–110 ms of CPU
  per article, as much as the rest of the pipeline; the head costs a matrix product over states the
  encoder already computed. The component can still run spaCy's NER (`ner="spacy"`).
- **Data (silver)**: spaCy `en_core_web_sm` 3.8 NER over the English train articles of SemEval-2023
  Task 3 and SemEval-2025 Task 10 ({articles} articles, {n} candidates, labels {counts}). No dev or
  test article is read. **Terms**: both datasets are research-use only and may not be redistributed;
  the head inherits that (it holds no text).
- **Selection**: C = {c}, chosen on the fifth of the articles held out by a hash of their index
  (typed agreement with spaCy over candidates). On that fifth, against spaCy's labels of the same
  candidates: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}; share of spaCy-labelled
  candidates kept with any kind: {untyped_recall:.3f}. This measures agreement with spaCy, not with
  human annotation; spaCy's own mistakes (surnames tagged ORG or GPE, all-capital text) are in the
  labels, and the grouping step corrects many of them (`spinscope.actors.Group.kind`).
- **Train**: `spinscope train actors --data ../shared/data --out src/spinscope/models/actors`
"""
