"""Shared machinery of the article-level heads (genre, frames): encoder vectors in, ``doc.labels[task]`` out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..document import Document, Label, ModelInfo
from ..encoder import head_encoder
from ..features import article_features, genre_cues
from ..heads import LinearHead
from ..runtime import MODELS_DIR

# Under this many words an article-level label (genre, frames, narratives) is a guess, so none is given:
# the shortest SemEval-2023 article those heads learned from or are scored on has 112 (en train) and
# 67 (en dev) words.
MIN_ARTICLE_WORDS = 50


def too_short(doc: Document) -> bool:
    """Whether ``doc`` has words but fewer than ``MIN_ARTICLE_WORDS`` (an empty one has nothing to label)."""
    return 0 < len(doc.text.split()) < MIN_ARTICLE_WORDS


def warn_too_short(doc: Document) -> None:
    """Say once per document that the article-level labels were left out, and why."""
    if not any(w.code == "too-short" for w in doc.warnings):
        doc.warn(
            "too-short",
            f"the text has {len(doc.text.split())} words; genre, frames and narratives are given from "
            f"{MIN_ARTICLE_WORDS} words on (the articles their models learned from have 67 and more)",
        )


class ArticleHead:
    """A linear head over the article embedding (and style cues); subclasses name the task."""

    name = ""
    task = ""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = path
        model_dir = Path(path) if path else MODELS_DIR / self.task
        self.meta_: dict[str, Any] = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        self.head_ = LinearHead.load(model_dir / "head.npz")
        self.encoder_key_ = head_encoder(self.meta_)  # the encoder pass it reads (``doc.cache`` key)
        self.card_ = str(Path("models") / self.task / "card.md")

    @classmethod
    def available(cls) -> bool:
        """Whether this head's model files are bundled."""
        return (MODELS_DIR / cls.task / "head.npz").is_file()

    def predict(self, docs: list[Document]) -> list[list[Label]]:
        """The labels of each document that pass their thresholds, highest first."""
        if not docs:
            return []
        x = np.stack([self.features(doc) for doc in docs])
        return [
            self.head_.decide(row) if doc.text.strip() and not too_short(doc) else []
            for doc, row in zip(docs, self.head_.scores(x), strict=True)
        ]

    def features(self, doc: Document) -> np.ndarray:
        """The feature row the head was trained on: the genre cues (v2 genre) or the article vector (+ style)."""
        if self.meta_.get("features") == "genre_cues":
            return genre_cues(doc)
        return article_features(doc, style=self.meta_["style"], key=self.encoder_key_)

    def set_annotations(self, docs: list[Document], preds: list[list[Label]]) -> None:
        """Store the labels under ``doc.labels[task]`` and record which model made them."""
        for doc, labels in zip(docs, preds, strict=True):
            if labels:
                doc.labels[self.task] = labels
            elif too_short(doc):
                warn_too_short(doc)
            doc.models[self.task] = ModelInfo(self.meta_["name"], self.meta_["version"], self.card_)
