"""Sentence boundaries: spaCy's recogniser, kept inside paragraphs, not split by abbreviations or quotes."""

from __future__ import annotations

from spinscope.components.sentences import Sentences, merge_inside_quotes
from spinscope.document import Document, Paragraph


def _sentences(*paragraphs: str) -> list[str]:
    text = "\n\n".join(paragraphs)
    spans, start = [], 0
    for p in paragraphs:
        spans.append(Paragraph(start, start + len(p)))
        start += len(p) + 2
    doc = Document(text, paragraphs=spans)
    component = Sentences()
    component.set_annotations([doc], component.predict([doc]))
    return [doc.span_text(s) for s in doc.sentences]


def test_abbreviations_do_not_split() -> None:
    assert _sentences("The U.S. said on Monday it would stay. Officials in Washington agreed.") == [
        "The U.S. said on Monday it would stay.",
        "Officials in Washington agreed.",
    ]


def test_a_quotation_stays_inside_its_sentence() -> None:
    sents = _sentences("“We will not back down. Never,” the minister said. Her deputy left early.")
    assert sents == ["“We will not back down. Never,” the minister said.", "Her deputy left early."]


def test_sentences_never_cross_paragraphs() -> None:
    sents = _sentences("A short paragraph without a full stop", "Another one follows here.")
    assert sents == ["A short paragraph without a full stop", "Another one follows here."]


def test_straight_quotes_left_open_merge_the_next_sentence() -> None:
    text = 'He said "it is over. Done." Then he left.'
    merged = merge_inside_quotes(text, [(0, 21), (21, 28), (28, len(text))])
    assert [text[a:b] for a, b in merged] == ['He said "it is over. Done."', "Then he left."]


def test_a_paragraph_without_inner_sentence_end_is_one_sentence() -> None:
    assert _sentences("  Europe Cannot Afford Another Winter of Half-Measures  ", "*********************") == [
        "Europe Cannot Afford Another Winter of Half-Measures",
        "*********************",
    ]
