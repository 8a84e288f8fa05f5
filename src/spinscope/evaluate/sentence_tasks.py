"""Shared evaluation of the sentence heads: dataset sentences read alone, or in pseudo-paragraphs.

The scores come from the same code the claims component runs (features pooled from the encoder's
paragraph pass), minus the structural filters, which would drop dataset sentences such as questions.
``context=True`` reads each sentence among three others (the seeded shuffle training uses), the way
the component reads a sentence inside its paragraph.
"""

from __future__ import annotations

import numpy as np

from ..components.claims import Claims
from ..components.encoder import cached
from ..document import Document, Paragraph, Span
from ..encoder import using
from ..pipeline import build


def encoded_documents(texts: list[str]) -> list[Document]:
    """One document per text, one paragraph and one sentence spanning it, after the encoder has run."""
    docs = [Document(t, paragraphs=[Paragraph(0, len(t))], sentences=[Span(0, len(t))]) for t in texts]
    return list(build(["spinscope.encoder.v1"]).pipe(docs, batch_size=64))


def context_documents(texts: list[str], *, group: int = 4, seed: int = 0) -> tuple[list[Document], list[list[int]]]:
    """Pseudo-paragraphs of ``group`` shuffled texts (one document each) and which text each sentence is."""
    order = np.random.default_rng(seed).permutation(len(texts))
    docs, which = [], []
    for a in range(0, len(order), group):
        ids = [int(i) for i in order[a : a + group]]
        text, spans = "", []
        for i in ids:
            if text:
                text += " "
            spans.append(Span(len(text), len(text) + len(texts[i])))
            text += texts[i]
        docs.append(Document(text, paragraphs=[Paragraph(0, len(text))], sentences=spans))
        which.append(ids)
    return list(build(["spinscope.encoder.v1"]).pipe(docs, batch_size=16)), which


def sentence_scores(texts: list[str], *, head: str, context: bool = False) -> tuple[np.ndarray, float]:
    """(score per text, threshold) of the bundled ``head``: "checkworthy" or "causal"."""
    claims = Claims()
    key = claims.encoder_key_ if head == "checkworthy" else claims.causal_key_
    with using(key):  # the encoder pass the head reads in the claims component
        if context:
            docs, which = context_documents(texts)
        else:
            docs, which = encoded_documents(texts), [[i] for i in range(len(texts))]
    scores = np.zeros(len(texts))
    for doc, ids in zip(docs, which, strict=True):
        enc = cached(doc, key)["paragraphs"][0]
        doc.cache.clear()  # token states are large; the feature rows are all that is kept
        for i, sent in zip(ids, doc.sentences, strict=True):
            scores[i] = _score(claims, enc, sent, doc.text, head)
    head_obj = claims.head_ if head == "checkworthy" else claims.causal_head_
    assert head_obj is not None
    return scores, float(head_obj.thresholds[0])


def _score(claims: Claims, enc: object, sent: Span, text: str, head: str) -> float:
    from ..encoder import Encoded

    assert isinstance(enc, Encoded)
    if head == "checkworthy":
        return float(claims.score_sentences([(sent, enc)], text)[0][0])
    if claims.causal_head_ is None:
        from ..errors import ModelNotFound

        raise ModelNotFound("the causal head is not bundled; train it with `spinscope train causal`")
    causal = claims.score_sentences([(sent, enc)], text)[1]
    assert causal is not None
    return float(causal[0])
