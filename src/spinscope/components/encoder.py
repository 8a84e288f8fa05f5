"""The encoder components: one pass per paragraph, results kept on ``doc.cache`` for every head.

Two encoders are bundled, the same base fine-tuned two ways: ``models/encoder`` (persuasion,
narratives, check-worthiness, actor kinds, roles) and ``models/encoder-multitask`` (the frames, causal
and portrayal heads). Each writes
``doc.cache[<its folder name>]``; a head reads the entry its ``meta.json`` names (``encoder`` when it
names none).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..document import Document
from ..encoder import ENCODER_DIR, MULTITASK_DIR, Encoded, Encoder, default_dir
from ..registry import component

CACHE_KEY = ENCODER_DIR.name


@component("spinscope.encoder.v1")
class EncoderComponent:
    """Encodes every paragraph of a batch of documents in one call.

    Sets ``doc.cache[key_] = {"paragraphs": [Encoded, ...], "article": vector, "model": name}``:
    one Encoded per ``doc.paragraphs`` entry, in order, with offsets into ``doc.text`` (not the paragraph);
    ``article`` is the unit-length, token-weighted mean of the unit paragraph vectors. Heads read from there and
    never tokenise again. A document without paragraphs is encoded as one paragraph spanning its text,
    but ``paragraphs`` stays aligned with ``doc.paragraphs`` (empty); only ``article`` is set. ``key_``
    is the model folder's name (``encoder`` for the bundled one).

    Without ``path`` it loads ``encoder.default_dir()``: ``models/encoder``, or the encoder a training
    or evaluation run chose with ``encoder.using``.
    """

    name = "encoder"
    folder: Path | None = None  # None: encoder.default_dir()

    def __init__(self, path: str | Path | None = None, *, batch_tokens: int | None = None) -> None:
        self.path = path
        self.batch_tokens = batch_tokens
        self.encoder_ = Encoder(path or self.folder, batch_tokens=batch_tokens)
        self.key_ = self.encoder_.path.name

    @classmethod
    def available(cls) -> bool:
        """Whether this encoder's model is installed."""
        folder = cls.folder or default_dir()
        return (folder / "config.json").is_file() and (folder / "model.int8.onnx").is_file()

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
        """Store each document's paragraphs and article vector on ``doc.cache[key_]``."""
        for doc, paragraphs in zip(docs, preds, strict=True):
            doc.cache[self.key_] = {
                "paragraphs": paragraphs if doc.paragraphs else [],
                "article": article_vector(paragraphs, self.encoder_.hidden_size),
                "model": f"{self.encoder_.name}/{self.encoder_.version}",
            }


@component("spinscope.encoder-multitask.v1")
class MultitaskEncoderComponent(EncoderComponent):
    """The second pass, with the encoder the frames, causal and portrayal heads were fitted on (``doc.cache["encoder-multitask"]``)."""

    name = "encoder-multitask"
    folder = MULTITASK_DIR


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


def cached(doc: Document, key: str | None = None) -> dict[str, Any]:
    """Encoder ``key``'s output for ``doc`` (default: that of ``encoder.default_dir()``).

    Raises KeyError naming the component to add if it has not run.
    """
    key = key or default_dir().name
    try:
        return doc.cache[key]
    except KeyError:
        needed = "spinscope.encoder.v1" if key == CACHE_KEY else f"spinscope.{key}.v1"
        raise KeyError(f"doc.cache has no {key!r} output: put {needed!r} before this component") from None
