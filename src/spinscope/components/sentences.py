"""Sentence boundaries from spaCy's statistical sentence recogniser, one paragraph at a time."""

from __future__ import annotations

from ..document import Document, Span
from ..ingest.repair import INNER_END as _INNER_END
from ..nlp import load_senter
from ..registry import component

# Quote characters that open/close a quotation; a sentence break inside an open quotation is undone
# so that "We will not back down. Never," he said. stays one sentence.
_OPEN = {"“": "”", "‘": "’", "«": "»"}
_CLOSE = {v: k for k, v in _OPEN.items()}
# _INNER_END: sentence-final punctuation followed by more text. A paragraph without it is one sentence:
# on 1,470 SemEval-2023 en train paragraphs the recogniser split only 14 of the 636 such paragraphs,
# mostly headlines and rows of asterisks, so it is not run there (about 40 % of news paragraphs).


@component("spinscope.sentences.v1")
class Sentences:
    """Splits each paragraph into sentences; never crosses a paragraph boundary."""

    name = "sentences"

    def __init__(self) -> None:
        self.nlp_ = load_senter()

    def predict(self, docs: list[Document]) -> list[list[Span]]:
        """Sentence spans per document."""
        # One list of sentences per paragraph, filled directly or by the recogniser.
        per_paragraph: list[list[list[Span]]] = [[[] for _ in doc.paragraphs] for doc in docs]
        jobs = []
        for i, doc in enumerate(docs):
            for j, p in enumerate(doc.paragraphs):
                text = doc.text[p.start : p.end]
                if _INNER_END.search(text):
                    jobs.append((i, j, p.start, text))
                elif text.strip():
                    lead = len(text) - len(text.lstrip())
                    per_paragraph[i][j] = [Span(p.start + lead, p.start + len(text.rstrip()))]
        for (i, j, offset, text), sdoc in zip(jobs, self.nlp_.pipe(t for *_, t in jobs), strict=True):
            spans = [(s.start_char, s.end_char) for s in sdoc.sents]
            per_paragraph[i][j] = [Span(offset + a, offset + b) for a, b in merge_inside_quotes(text, spans)]
        return [[s for sents in paragraphs for s in sents] for paragraphs in per_paragraph]

    def set_annotations(self, docs: list[Document], preds: list[list[Span]]) -> None:
        """Store the sentences on each document."""
        for doc, sents in zip(docs, preds, strict=True):
            doc.sentences = sents


def merge_inside_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge a sentence into the previous one while the previous ends inside an open quotation."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _quote_open(text[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    # Trailing whitespace is not part of a sentence.
    return [(s, s + len(text[s:e].rstrip())) for s, e in merged if text[s:e].strip()]


def _quote_open(sentence: str) -> bool:
    depth = 0
    for ch in sentence:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    # Straight double quotes do not say whether they open or close: an odd count means one is open.
    return depth > 0 or sentence.count('"') % 2 == 1
