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
    or evaluation run chose with ``encoder.using``. An encoder fine-tuned above this one's bottom layers
    (a branch, :func:`share_trunks`) is computed in the same pass and stored under its own key.
    """

    name = "encoder"
    folder: Path | None = None  # None: encoder.default_dir()
    _shared = False  # set by share_trunks on a component whose outputs an earlier one computes

    def __init__(self, path: str | Path | None = None, *, batch_tokens: int | None = None) -> None:
        self.path = path
        self.batch_tokens = batch_tokens
        self.encoder_ = Encoder(path or self.folder, batch_tokens=batch_tokens)
        self.key_ = self.encoder_.path.name
        # Later encoder components whose encoder runs on this one's bottom layers: this component's pass
        # computes and stores their outputs too, and they find them in doc.cache (:func:`share_trunks`).
        self.branches_: list[EncoderComponent] = []

    @classmethod
    def available(cls) -> bool:
        """Whether this encoder's model is installed."""
        folder = cls.folder or default_dir()
        return (folder / "config.json").is_file() and (folder / "model.int8.onnx").is_file()

    def predict(self, docs: list[Document]) -> dict[str, list[list[Encoded]]] | None:
        """The Encoded paragraphs of each document (offsets into ``doc.text``), for this encoder and its branches.

        None when a component earlier in the pipeline has already stored this encoder's outputs.
        """
        if self._shared and docs and all(self.key_ in doc.cache for doc in docs):
            return None
        spans = [_spans(doc) for doc in docs]
        texts = [doc.text[a:b] for doc, doc_spans in zip(docs, spans, strict=True) for a, b in doc_spans]
        # One call for the whole batch of documents, but no ONNX batch mixes two documents, so a
        # document's output does not depend on which documents it was analysed with.
        groups = [i for i, doc_spans in enumerate(spans) for _ in doc_spans]
        components = [self, *self.branches_]
        preds = {}
        for owner, encoded in zip(components, self.encoder_.encode_shared(texts, groups=groups), strict=True):
            stream = iter(encoded)
            per_doc = []
            for doc_spans in spans:
                paragraphs = []
                for a, _ in doc_spans:
                    enc = next(stream)
                    enc.offsets += a  # shift from paragraph-relative to doc.text offsets
                    paragraphs.append(enc)
                per_doc.append(paragraphs)
            preds[owner.key_] = per_doc
        return preds

    def set_annotations(self, docs: list[Document], preds: dict[str, list[list[Encoded]]] | None) -> None:
        """Store each document's paragraphs and article vector on ``doc.cache[key]``, for every encoder computed."""
        if preds is None:
            return
        components = {c.key_: c for c in (self, *self.branches_)}
        for key, per_doc in preds.items():
            encoder = components[key].encoder_
            for doc, paragraphs in zip(docs, per_doc, strict=True):
                doc.cache[key] = {
                    "paragraphs": paragraphs if doc.paragraphs else [],
                    "article": article_vector(paragraphs, encoder.hidden_size),
                    "model": f"{encoder.name}/{encoder.version}",
                }


@component("spinscope.encoder-multitask.v1")
class MultitaskEncoderComponent(EncoderComponent):
    """The second pass, with the encoder the frames, causal and portrayal heads were fitted on (``doc.cache["encoder-multitask"]``)."""

    name = "encoder-multitask"
    folder = MULTITASK_DIR


def share_trunks(components: list[Any]) -> None:
    """Let an encoder component compute, in its own pass, the later encoders that run on its bottom layers.

    ``models/encoder-multitask`` is fine-tuned above ``models/encoder``'s frozen bottom layers, so in a
    pipeline with both the shared layers run once per paragraph (the pipeline calls this when it
    builds). Outputs are the same as each component's alone; only the time changes.
    """
    encoders = [c for c in components if isinstance(c, EncoderComponent)]
    for i, branch in enumerate(encoders):
        for trunk in encoders[:i]:
            if trunk.encoder_.share_trunk(branch.encoder_):
                trunk.branches_.append(branch)
                branch._shared = True
                break


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
