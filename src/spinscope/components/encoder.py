"""The encoder component: one pass per paragraph, results kept on ``doc.cache["encoder"]`` for every head."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..document import Document
from ..encoder import ENCODER_DIR, Encoded, Encoder
from ..registry import component

CACHE_KEY = "encoder"


@component("spinscope.encoder.v1")
class EncoderComponent:
    """Encodes every paragraph of a batch of documents in one call.

    Sets ``doc.cache["encoder"] = {"paragraphs": [Encoded, ...], "article": vector, "model": name}``:
    one Encoded per ``doc.paragraphs`` entry, in order, with offsets into ``doc.text`` (not the paragraph);
    ``article`` is the unit-length, token-weighted mean of the unit paragraph vectors. Heads read from there and
    never tokenise again. A document without paragraphs is encoded as one paragraph spanning its text,
    but ``paragraphs`` stays aligned with ``doc.paragraphs`` (empty); only ``article`` is set.
    """

    name = "encoder"

    def __init__(self, path: str | Path | None = None, *, batch_tokens: int | None = None) -> None:
        self.path = path
        self.batch_tokens = batch_tokens
        self.encoder_ = Encoder(path, batch_tokens=batch_tokens)

    @staticmethod
    def available() -> bool:
        """Whether the bundled encoder model is installed."""
        return (ENCODER_DIR / "config.json").is_file() and (ENCODER_DIR / "model.int8.onnx").is_file()

    def predict(self, docs: list[Document]) -> list[list[Encoded]]:
        """The Encoded paragraphs of each document (offsets into ``doc.text``)."""
        spans = [_spans(doc) for doc in docs]
        texts = [doc.text[a:b] for doc, doc_spans in zip(docs, spans, strict=True) for a, b in doc_spans]
        # One call for the whole batch of documents, but no ONNX batch mixes two documents, so a
        # document's output does not depend on which documents it was analysed with.
        groups = [i for i, doc_spans in enumerate(spans) for _ in doc_spans]
        encoded = iter(self.encoder_.encode(texts, groups=groups))
        preds = []
        for doc_spans in spans:
            paragraphs = []
            for a, _ in doc_spans:
                enc = next(encoded)
                enc.offsets += a  # shift from paragraph-relative to doc.text offsets
                paragraphs.append(enc)
            preds.append(paragraphs)
        return preds

    def set_annotations(self, docs: list[Document], preds: list[list[Encoded]]) -> None:
        """Store each document's paragraphs and article vector on ``doc.cache["encoder"]``."""
        for doc, paragraphs in zip(docs, preds, strict=True):
            doc.cache[CACHE_KEY] = {
                "paragraphs": paragraphs if doc.paragraphs else [],
                "article": article_vector(paragraphs, self.encoder_.hidden_size),
                "model": f"{self.encoder_.name}/{self.encoder_.version}",
            }


def _spans(doc: Document) -> list[tuple[int, int]]:
    if doc.paragraphs:
        return [(p.start, p.end) for p in doc.paragraphs]
    return [(0, len(doc.text))]


def article_vector(paragraphs: list[Encoded], hidden_size: int) -> np.ndarray:
    """Unit-length mean of the unit paragraph vectors, weighted by token counts (zeros for no tokens).

    This is the article embedding every article-level head reads, computed once per document.
    """
    if not paragraphs:
        return np.zeros(hidden_size, dtype=np.float32)
    weights = np.array([p.n_tokens + 2 for p in paragraphs], dtype=np.float32)
    vec = (weights[:, None] * np.stack([p.unit for p in paragraphs])).sum(axis=0) / weights.sum()
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else vec


def cached(doc: Document) -> dict[str, Any]:
    """The encoder's output for ``doc``; raises KeyError naming the component if it has not run."""
    try:
        return doc.cache[CACHE_KEY]
    except KeyError:
        raise KeyError(
            "doc.cache has no encoder output: put 'spinscope.encoder.v1' before this component"
        ) from None
