"""Persuasion techniques (the 23 of SemEval-2023 Task 3 subtask 3): per paragraph and as exact spans.

Two heads over the shared (fine-tuned) encoder's output, no extra encoder pass:

- a token head on every word piece's state: one sigmoid per technique, since spans overlap;
- a paragraph head on the paragraph's mean-pooled vector.

A paragraph's score for a technique mixes the paragraph head with the token head's maximum over the
paragraph (``mix``); it is labelled when that passes the technique's threshold. Spans are only reported
for a paragraph's labels, so the two outputs agree: each labelled paragraph shows the runs of tokens
whose score passes the span threshold, or — when none does — the strongest run, so a reader always
sees the words behind a label. Thresholds and ``mix`` were chosen on a held-out split of train (card).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..document import Document, Finding, Label, ModelInfo
from ..encoder import Encoded
from ..ingest.language import paragraph_is_english
from ..registry import component
from ..report import labels as L
from ..runtime import MODELS_DIR
from .encoder import cached

MODEL_DIR = MODELS_DIR / "persuasion"


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@dataclass
class Heads:
    """The two linear heads and their decision settings, as plain numpy."""

    techniques: list[str]
    token_w: np.ndarray  # [n_tech, hidden]
    token_b: np.ndarray
    par_w: np.ndarray
    par_b: np.ndarray
    thresholds: np.ndarray  # [n_tech] paragraph-label thresholds
    span_thresholds: np.ndarray  # [n_tech] token thresholds for spans
    mix: float  # weight of the paragraph head in the paragraph score (the rest: token maximum)
    gaps: np.ndarray | None = None  # [n_tech] word pieces under the span threshold one span may bridge (default 1)

    @classmethod
    def load(cls, folder: Path) -> Heads:
        """Read ``heads.npz`` and ``meta.json`` from ``folder``."""
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        with np.load(folder / "heads.npz", allow_pickle=False) as z:
            techniques = [str(t) for t in z["techniques"]]
            return cls(
                techniques,
                z["token_weights"],
                z["token_bias"],
                z["paragraph_weights"],
                z["paragraph_bias"],
                np.array([meta["thresholds"][t] for t in techniques], dtype=np.float32),
                np.array([meta["span_thresholds"][t] for t in techniques], dtype=np.float32),
                float(meta["mix"]),
                np.array([meta["span_gaps"][t] for t in techniques], dtype=np.int64),
            )

    def scores(self, enc: Encoded) -> tuple[np.ndarray, np.ndarray]:
        """(paragraph scores [n_tech], token scores [n_tokens, n_tech]) for one encoded paragraph."""
        tokens = _sigmoid(enc.states @ self.token_w.T + self.token_b)
        par = _sigmoid(enc.vector @ self.par_w.T + self.par_b)
        token_max = tokens.max(axis=0) if len(tokens) else np.zeros_like(par)
        return self.mix * par + (1 - self.mix) * token_max, tokens


def token_runs(scores: np.ndarray, threshold: float, *, gap: int = 1) -> list[tuple[int, int]]:
    """Runs ``[i, j)`` of tokens scoring at least ``threshold``, bridging up to ``gap`` tokens below it."""
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(scores >= threshold):
        if runs and i - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], int(i) + 1)
        else:
            runs.append((int(i), int(i) + 1))
    return runs


def strongest_run(scores: np.ndarray) -> tuple[int, int]:
    """The run around the best token, grown while its neighbours score at least half as much."""
    best = int(np.argmax(scores))
    floor = scores[best] / 2
    i, j = best, best + 1
    while i > 0 and scores[i - 1] >= floor:
        i -= 1
    while j < len(scores) and scores[j] >= floor:
        j += 1
    return i, j


def word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words (word pieces can stop inside one)."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


@dataclass
class ParagraphResult:
    """What the heads found in one paragraph."""

    labels: list[Label]
    spans: list[Finding]
    foreign: bool = False


def decode(heads: Heads, enc: Encoded, text: str) -> ParagraphResult:
    """Labels and spans for one encoded paragraph; ``text`` is the document text (offsets are into it)."""
    par, tokens = heads.scores(enc)
    labels = [
        Label(heads.techniques[k], round(float(par[k]), 4))
        for k in np.flatnonzero(par >= heads.thresholds)
    ]
    labels.sort(key=lambda lab: -lab.score)
    spans = []
    if len(tokens):
        for lab in labels:
            k = heads.techniques.index(lab.label)
            column = tokens[:, k]
            gap = 1 if heads.gaps is None else int(heads.gaps[k])
            runs = token_runs(column, float(heads.span_thresholds[k]), gap=gap) or [strongest_run(column)]
            for i, j in runs:
                start, end = word_span(text, int(enc.offsets[i, 0]), int(enc.offsets[j - 1, 1]))
                spans.append(_finding(heads, lab.label, text, start, end, column[i:j], enc.offsets[i:j]))
    return ParagraphResult(labels, spans)


def _finding(heads: Heads, label: str, text: str, start: int, end: int, scores: np.ndarray, offsets: np.ndarray) -> Finding:
    family, reason = L.TECHNIQUES.get(label, ("", ""))
    # The trigger words: the (at most three) words inside the span the token head scored highest.
    top = sorted(np.argsort(-scores)[:3])
    trigger = []
    for t in top:
        w = text[slice(*word_span(text, int(offsets[t, 0]), int(offsets[t, 1])))]
        if w not in trigger:
            trigger.append(w)
    return Finding(
        start,
        end,
        "persuasion",
        label,
        round(float(scores.max()), 4),
        {"family": family, "reason": reason, "trigger": trigger},
    )


@component("spinscope.persuasion.v1")
class Persuasion:
    """Persuasion techniques per paragraph (``paragraphs[i].labels.persuasion``) and as span findings."""

    name = "persuasion"
    task = "persuasion"

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = path
        folder = Path(path) if path else MODEL_DIR
        self.meta_ = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.heads_ = Heads.load(folder)
        self.card_ = str(Path("models") / "persuasion" / "card.md")

    @staticmethod
    def available() -> bool:
        """Whether the persuasion heads are bundled."""
        return (MODEL_DIR / "heads.npz").is_file() and (MODEL_DIR / "meta.json").is_file()

    def predict(self, docs: list[Document]) -> list[list[ParagraphResult]]:
        """One result per paragraph of each document."""
        out = []
        for doc in docs:
            encoded = cached(doc)["paragraphs"]
            results = []
            for p, enc in zip(doc.paragraphs, encoded, strict=True):
                if not paragraph_is_english(doc.text[p.start : p.end]):  # the model read English only
                    results.append(ParagraphResult([], [], foreign=True))
                else:
                    results.append(decode(self.heads_, enc, doc.text))
            out.append(results)
        return out

    def set_annotations(self, docs: list[Document], preds: list[list[ParagraphResult]]) -> None:
        """Paragraph labels, span findings, and a warning for paragraphs the model cannot read."""
        for doc, results in zip(docs, preds, strict=True):
            for p, result in zip(doc.paragraphs, results, strict=True):
                if result.labels:
                    p.labels[self.task] = result.labels
                doc.findings.extend(result.spans)
                if result.foreign:
                    doc.warn(
                        "persuasion-language",
                        "this paragraph does not look like English; persuasion techniques were not looked for in it",
                        p.start,
                        p.end,
                    )
            doc.models[self.task] = ModelInfo(self.meta_["name"], self.meta_["version"], self.card_)
