"""Narratives (SemEval-2025 Task 10 subtask 2): which known narratives an article pushes, where, and why.

Reads only the encoder's paragraph vectors (no second encoder pass). Features per article: the
article vector plus, for every narrative and subnarrative, the best cosine similarity between a
paragraph and the label's own taxonomy name (embedded once at training time and shipped as numpy).
Three heads decode hierarchically: the domain (Ukraine war / climate change / neither) gates
everything; within the domain, narratives pass a threshold (at least the best one is kept); within
each narrative, subnarratives pass theirs, else ``<narrative>: Other``. Evidence is the paragraphs
the narrative head scores highest on their own; the dominant narrative's explanation is extractive:
the article's title, then the evidence sentences closest to the label, at most 50 words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..document import Document, Finding, Label, ModelInfo, Span
from ..heads import LinearHead
from ..ingest.language import paragraph_is_english
from ..registry import component
from ..runtime import MODELS_DIR
from .article_head import too_short, warn_too_short
from .encoder import cached

TASK = "narratives"
OTHER = "Other"
# A narrative is only given to an article that names its domain. The domain head cannot tell an article
# about something else: SemEval-2025's Other articles are about the war or the climate without a known
# narrative, so it never saw one about neither (SemEval-2023 articles about US politics or the Pope got
# climate narratives: bench/narratives_off_topic.py). Of the English train articles with a narrative,
# 0 of 128 about the war and 2 of 103 about the climate name none of their domain's words.
DOMAIN_WORDS = {
    "URW": re.compile(r"ukrain|russia|putin|kremlin|zelensk|\bnato\b|\bkyiv\b|\bkiev\b", re.IGNORECASE),
    "CC": re.compile(r"climate|global warming|carbon|emission|greenhouse|fossil fuel", re.IGNORECASE),
}
DOMAINS = ("URW", "CC", OTHER)
DOMAIN_NAMES = {"URW": "the war in Ukraine", "CC": "climate change"}
# Chosen on the SemEval-2025 en train explanations (40, 50, 60 and 80 words tried; see the card).
MAX_EXPLANATION_WORDS = 50
MAX_EVIDENCE = 3
_WORD = re.compile(r"\S+")
_TERMINAL = re.compile(r"[.!?…:][\"'”’)\]]*$")


def domain_of(label: str) -> str:
    """``URW``, ``CC`` or ``Other`` from a label's prefix."""
    head = label.split(":", 1)[0]
    return head if head in DOMAINS[:2] else OTHER


def parent_of(subnarrative: str) -> str:
    """The narrative a subnarrative belongs to (``Other`` for ``Other``)."""
    parts = subnarrative.split(": ")
    return ": ".join(parts[:2]) if len(parts) >= 3 else OTHER


def english_rows(doc: Document) -> tuple[np.ndarray, np.ndarray, list[Span]]:
    """Unit vectors, token weights and spans of the paragraphs the narrative heads read.

    Non-English paragraphs are dropped; a document without paragraphs reads as one (its article vector).
    """
    enc = cached(doc)
    units, weights, spans = [], [], []
    for par, e in zip(doc.paragraphs, enc["paragraphs"], strict=True):
        if not paragraph_is_english(doc.text[par.start : par.end]):
            continue
        if e.n_tokens == 0:
            continue
        units.append(e.unit)
        weights.append(e.n_tokens + 2)
        spans.append(Span(par.start, par.end))
    if not doc.paragraphs and doc.text.strip():
        art = np.asarray(enc["article"], dtype=np.float32)
        if float(np.linalg.norm(art)) > 0:
            return art[None, :], np.ones(1, dtype=np.float32), [Span(0, len(doc.text))]
    if not units:
        return np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.float32), []
    return np.stack(units).astype(np.float32), np.array(weights, dtype=np.float32), spans


def features(units: np.ndarray, weights: np.ndarray, desc: np.ndarray) -> np.ndarray:
    """The article row: weighted-mean unit vector, then each label description's best paragraph cosine."""
    vec = weights @ units / weights.sum()
    norm = float(np.linalg.norm(vec))
    vec = vec / norm if norm > 0 else vec
    # A C-contiguous right operand keeps this a cheap single BLAS call (a transposed view was 10x slower).
    return np.concatenate([vec, (units @ np.ascontiguousarray(desc.T)).max(axis=0)]).astype(np.float32)


def paragraph_features(units: np.ndarray, desc: np.ndarray) -> np.ndarray:
    """One feature row per paragraph, as if each paragraph were an article of its own."""
    return np.concatenate([units, units @ np.ascontiguousarray(desc.T)], axis=1).astype(np.float32)


@dataclass
class Decoded:
    """One article's decoded labels (empty when there is nothing to read)."""

    narratives: list[Label] = field(default_factory=list)
    subnarratives: list[Label] = field(default_factory=list)


def decode(
    domain_p: np.ndarray,
    narr_p: np.ndarray,
    sub_p: np.ndarray,
    *,
    narratives: list[str],
    subnarratives: list[str],
    known_subs: frozenset[str],
    t_other: float,
    t_narr: float,
    t_sub: float,
) -> Decoded:
    """Hierarchical decoding: domain gate, then narratives in the domain, then their subnarratives."""
    p_other = float(domain_p[DOMAINS.index(OTHER)])
    if p_other >= t_other:
        return Decoded([Label(OTHER, _r(p_other))], [Label(OTHER, _r(p_other))])
    domain = DOMAINS[int(np.argmax(domain_p[:2]))]
    in_domain = [i for i, lab in enumerate(narratives) if domain_of(lab) == domain]
    if not in_domain:
        return Decoded([Label(OTHER, _r(p_other))], [Label(OTHER, _r(p_other))])
    chosen = [i for i in in_domain if narr_p[i] >= t_narr] or [max(in_domain, key=lambda i: narr_p[i])]
    narr_labels = sorted((Label(narratives[i], _r(narr_p[i])) for i in chosen), key=lambda lab: -lab.score)
    subs: list[Label] = []
    for lab in narr_labels:
        children = _children(tuple(subnarratives)).get(lab.label, [])
        passed = [j for j in children if sub_p[j] >= t_sub]
        if passed:
            subs += [Label(subnarratives[j], _r(sub_p[j])) for j in passed]
        elif f"{lab.label}: {OTHER}" in known_subs:
            subs.append(Label(f"{lab.label}: {OTHER}", lab.score))
        elif children:
            best = max(children, key=lambda j: sub_p[j])
            subs.append(Label(subnarratives[best], _r(sub_p[best])))
    return Decoded(narr_labels, sorted(subs, key=lambda lab: -lab.score))


@lru_cache(maxsize=8)
def _children(subnarratives: tuple[str, ...]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for j, s in enumerate(subnarratives):
        out.setdefault(parent_of(s), []).append(j)
    return out


def _r(x: float) -> float:
    return round(min(1.0, max(0.0, float(x))), 4)


@dataclass
class Prediction:
    """What ``predict`` returns for one document."""

    decoded: Decoded
    findings: list[Finding]
    foreign: int = 0  # paragraphs left out because they do not look like English
    unnamed_domain: str | None = None  # the heads' domain, turned down because the article never names it


@component("spinscope.narratives.v1")
class Narratives:
    """Narratives and subnarratives (SemEval-2025 Task 10 taxonomy) with paragraph evidence."""

    name = "narratives"
    task = TASK

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = path
        model_dir = Path(path) if path else MODELS_DIR / TASK
        self.meta_: dict[str, Any] = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        self.domain_ = LinearHead.load(model_dir / "domain.npz")
        self.narr_ = LinearHead.load(model_dir / "narratives.npz")
        self.sub_ = LinearHead.load(model_dir / "subnarratives.npz")
        with np.load(model_dir / "descriptions.npz", allow_pickle=False) as z:
            self.desc_labels_ = [str(s) for s in z["labels"]]
            self.desc_ = np.ascontiguousarray(z["vectors"], dtype=np.float32)
        self.desc_index_ = {lab: i for i, lab in enumerate(self.desc_labels_)}
        self.known_subs_ = frozenset(self.meta_["subnarrative_labels"])
        self.card_ = str(Path("models") / TASK / "card.md")

    @classmethod
    def available(cls) -> bool:
        """Whether the narrative model files are bundled."""
        return (MODELS_DIR / TASK / "narratives.npz").is_file()

    def predict(self, docs: list[Document]) -> list[Prediction]:
        """Labels and evidence findings for each document (pure)."""
        return [self._one(doc) for doc in docs]

    def _one(self, doc: Document) -> Prediction:
        if not doc.text.strip() or too_short(doc):
            return Prediction(Decoded(), [])
        units, weights, spans = english_rows(doc)
        # Only the paragraphs english_rows left out are checked again (most articles have none).
        kept = {span.start for span in spans}
        foreign = sum(not paragraph_is_english(doc.text[p.start : p.end]) for p in doc.paragraphs if p.start not in kept)
        if not spans:
            return Prediction(Decoded(), [], foreign)
        x = features(units, weights, self.desc_)[None, :]
        decoded = decode(
            self.domain_.scores(x)[0],
            self.narr_.scores(x)[0],
            self.sub_.scores(x)[0],
            narratives=self.narr_.labels,
            subnarratives=self.sub_.labels,
            known_subs=self.known_subs_,
            t_other=self.meta_["t_other"],
            t_narr=self.meta_["t_narr"],
            t_sub=self.meta_["t_sub"],
        )
        if decoded.narratives[0].label == OTHER:
            return Prediction(decoded, [], foreign)
        domain = domain_of(decoded.narratives[0].label)
        if not DOMAIN_WORDS[domain].search(doc.text):
            other = Label(OTHER, 1.0)
            return Prediction(Decoded([other], [other]), [], foreign, unnamed_domain=domain)
        findings = self._evidence(doc, units, spans, decoded)
        return Prediction(decoded, findings, foreign)

    def _evidence(self, doc: Document, units: np.ndarray, spans: list[Span], decoded: Decoded) -> list[Finding]:
        xp = paragraph_features(units, self.desc_)
        narr_p = self.narr_.scores(xp)  # [n_paragraphs, n_narratives]
        sub_p = self.sub_.scores(xp)
        findings: list[Finding] = []
        for rank, lab in enumerate(decoded.narratives):
            subs = [s.label for s in decoded.subnarratives if parent_of(s.label) == lab.label]
            picked = self._carriers(narr_p, sub_p, spans, lab.label, subs)
            if rank == 0 and picked:
                top = max(picked, key=lambda f: f.score)
                top.attrs["dominant"] = True
                top.attrs["explanation"] = explain(doc, [Span(f.start, f.end) for f in picked], self.label_vector(lab.label, subs))
            findings += picked
        return findings

    def _carriers(
        self, narr_p: np.ndarray, sub_p: np.ndarray, spans: list[Span], narrative: str, subs: list[str]
    ) -> list[Finding]:
        # A paragraph carries the narrative as far as the head would call it on its own; the best
        # ones are kept while they come within half of the best paragraph's score.
        col = narr_p[:, self.narr_.labels.index(narrative)]
        sub_cols = [self.sub_.labels.index(s) for s in subs if s in self.sub_.labels]
        order = [int(i) for i in np.argsort(-col)[:MAX_EVIDENCE] if col[i] >= 0.5 * col.max()]
        picked = []
        for i in sorted(order):
            sub = subs[0] if subs else None
            if sub_cols:
                sub = self.sub_.labels[max(sub_cols, key=lambda c: sub_p[i, c])]
            attrs = {"narrative": narrative, "subnarrative": sub}
            picked.append(Finding(spans[i].start, spans[i].end, "narrative", narrative, _r(col[i]), attrs))
        return picked

    def explain_for(self, doc: Document, narrative: str, subnarrative: str | None = None) -> str:
        """The extractive explanation for a given (e.g. gold dominant) narrative; '' if it cannot be read."""
        units, _, spans = english_rows(doc)
        if not spans or narrative not in self.narr_.labels:
            return ""
        xp = paragraph_features(units, self.desc_)
        subs = [subnarrative] if subnarrative and subnarrative in self.desc_index_ else []
        picked = self._carriers(self.narr_.scores(xp), self.sub_.scores(xp), spans, narrative, subs)
        return explain(doc, [Span(f.start, f.end) for f in picked], self.label_vector(narrative, subs))

    def label_vector(self, narrative: str, subnarratives: list[str]) -> np.ndarray:
        """The mean description vector of a narrative and its named subnarratives (unit length)."""
        rows = [self.desc_[self.desc_index_[lab]] for lab in [narrative, *subnarratives] if lab in self.desc_index_]
        vec = np.mean(rows, axis=0) if rows else np.zeros(self.desc_.shape[1], dtype=np.float32)
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm > 0 else vec

    def set_annotations(self, docs: list[Document], preds: list[Prediction]) -> None:
        """Store ``labels.narratives``/``labels.subnarratives`` and the evidence findings."""
        for doc, pred in zip(docs, preds, strict=True):
            if pred.decoded.narratives:
                doc.labels["narratives"] = pred.decoded.narratives
                doc.labels["subnarratives"] = pred.decoded.subnarratives
            doc.findings.extend(pred.findings)
            if too_short(doc):
                warn_too_short(doc)
            if pred.unnamed_domain:
                doc.warn(
                    "narratives-off-topic",
                    f"the narrative heads read this as {DOMAIN_NAMES[pred.unnamed_domain]}, but the article never names it "
                    "(no narrative is given: the taxonomy covers the war in Ukraine and climate change only)",
                )
            if pred.foreign:
                doc.warn(
                    "narratives-language",
                    f"{pred.foreign} paragraph(s) do not look like English; the narratives were read from the others only",
                )
            doc.models[TASK] = ModelInfo(self.meta_["name"], self.meta_["version"], self.card_)


def explain(doc: Document, evidence: list[Span], target: np.ndarray, *, max_words: int = MAX_EXPLANATION_WORDS) -> str:
    """An extractive explanation: the article's first paragraph (its title, as a rule) when it fits, then
    the evidence sentences closest to ``target``, in text order, ≤ ``max_words`` in all.

    The title states what the piece argues more often than any one sentence does: on the SemEval-2025
    en train explanations the title plus the closest evidence scored above either alone (card).
    """
    lead = ""
    first = doc.paragraphs[0] if doc.paragraphs else None
    if first is not None and 0 < len(_WORD.findall(doc.text[first.start : first.end])) <= max_words:
        lead = " ".join(doc.text[first.start : first.end].split())
        evidence = [span for span in evidence if span.start != first.start]
        max_words -= len(lead.split())
    if max_words <= 0:
        return lead
    body = _closest_sentences(doc, evidence, target, max_words)
    if lead and body and not _TERMINAL.search(lead):
        lead += "."  # a headline has no full stop; the sentences after it would run on from it
    return f"{lead} {body}".strip()


def _closest_sentences(doc: Document, evidence: list[Span], target: np.ndarray, max_words: int) -> str:
    """The evidence sentences closest to ``target``, in text order, ≤ ``max_words``."""
    enc = cached(doc)
    sentences: list[tuple[float, Span]] = []
    for span in evidence:
        inside = [s for s in doc.sentences if s.start >= span.start and s.end <= span.end] or [span]
        encoded = next(
            (e for p, e in zip(doc.paragraphs, enc["paragraphs"], strict=True) if p.start <= span.start < p.end), None
        )
        for s in inside:
            if not doc.text[s.start : s.end].strip():
                continue
            vec = encoded.pool(s.start, s.end) if encoded is not None else None
            if vec is None:
                score = 0.0
            else:
                norm = float(np.linalg.norm(vec))
                score = float(vec @ target) / norm if norm > 0 else 0.0
            sentences.append((score, s))
    chosen: list[Span] = []
    words = 0
    for _, s in sorted(sentences, key=lambda t: -t[0]):
        n = len(_WORD.findall(doc.text[s.start : s.end]))
        if words + n <= max_words:
            chosen.append(s)
            words += n
    if not chosen and sentences:  # one sentence longer than the limit: its first words
        s = max(sentences, key=lambda t: t[0])[1]
        return " ".join(_WORD.findall(doc.text[s.start : s.end])[:max_words])
    return " ".join(" ".join(doc.text[s.start : s.end].split()) for s in sorted(chosen, key=lambda s: s.start))
