"""The persuasion component's decoding: hand-made heads and encoder outputs, no model files needed."""

from __future__ import annotations

import numpy as np
import pytest

from spinscope.components.persuasion import (
    Heads,
    ParagraphResult,
    Persuasion,
    decode,
    strongest_run,
    token_runs,
    word_span,
)
from spinscope.document import Document, Paragraph
from spinscope.encoder import Encoded

TEXT = "These so-called experts are traitors, and everyone knows it."
WORDS = ["These", "so", "-", "called", "experts", "are", "traitors", ",", "and", "everyone", "knows", "it", "."]


def _encoded(text: str, words: list[str], hot: dict[str, float]) -> Encoded:
    """One token per word; dimension 0 of each state carries the word's 'technique signal'."""
    offsets, pos = [], 0
    for w in words:
        pos = text.index(w, pos)
        offsets.append((pos, pos + len(w)))
        pos += len(w)
    states = np.zeros((len(words), 4), dtype=np.float32)
    for i, w in enumerate(words):
        states[i, 0] = hot.get(w, -1.0)
    vector = states.mean(axis=0)
    return Encoded(states, np.array(offsets, dtype=np.int32), vector, vector)


def _heads(*, threshold: float = 0.5, span_threshold: float = 0.5, mix: float = 0.0) -> Heads:
    # Technique 0 fires on dimension 0; technique 1 never fires.
    w = np.zeros((2, 4), dtype=np.float32)
    w[0, 0] = 10.0
    b = np.array([0.0, -10.0], dtype=np.float32)
    return Heads(["Name_Calling-Labeling", "Doubt"], w, b, w, b, np.full(2, threshold, np.float32),
                 np.full(2, span_threshold, np.float32), mix)


def test_token_runs_bridge_one_token_gaps_only() -> None:
    scores = np.array([0.9, 0.1, 0.8, 0.1, 0.1, 0.7])
    assert token_runs(scores, 0.5) == [(0, 3), (5, 6)]
    assert token_runs(np.zeros(3), 0.5) == []


def test_strongest_run_grows_while_neighbours_score_half_as_much() -> None:
    assert strongest_run(np.array([0.1, 0.3, 0.5, 0.2])) == (1, 3)


def test_word_span_widens_to_whole_words() -> None:
    assert word_span("so-called experts", 4, 7) == (3, 9)


def test_labelled_paragraph_shows_the_words_that_triggered_it() -> None:
    enc = _encoded(TEXT, WORDS, {"so": 0.3, "called": 0.3, "traitors": 1.0})
    result = decode(_heads(), enc, TEXT)
    assert [lab.label for lab in result.labels] == ["Name_Calling-Labeling"]
    # "so" and "called" make one run across the hyphen; "traitors" is its own run.
    spans = [TEXT[f.start : f.end] for f in result.spans]
    assert spans == ["so-called", "traitors"]
    finding = result.spans[1]
    assert finding.task == "persuasion" and 0 < finding.score <= 1
    assert finding.attrs["family"] == "attack on reputation"
    assert finding.attrs["reason"] and finding.attrs["trigger"] == ["traitors"]


def test_a_label_without_a_passing_token_still_gets_its_strongest_run() -> None:
    enc = _encoded(TEXT, WORDS, {"traitors": 0.2})
    # The paragraph passes its (low) threshold; no token passes the span threshold.
    result = decode(_heads(threshold=0.5, span_threshold=0.99), enc, TEXT)
    assert [TEXT[f.start : f.end] for f in result.spans] == ["traitors"]


def test_no_label_means_no_span() -> None:
    enc = _encoded(TEXT, WORDS, {})
    result = decode(_heads(), enc, TEXT)
    assert result.labels == [] and result.spans == []


def test_paragraph_score_mixes_paragraph_and_token_heads() -> None:
    enc = _encoded(TEXT, WORDS, {"traitors": 1.0})
    par_only, _ = _heads(mix=1.0).scores(enc)
    tok_only, tokens = _heads(mix=0.0).scores(enc)
    half, _ = _heads(mix=0.5).scores(enc)
    assert tok_only[0] == pytest.approx(tokens[:, 0].max())
    assert half[0] == pytest.approx((par_only[0] + tok_only[0]) / 2)


def test_a_paragraph_in_another_language_gets_a_warning_not_labels() -> None:
    component = Persuasion.__new__(Persuasion)  # no model files needed for the annotation step
    component.meta_, component.card_ = {"name": "spinscope-persuasion", "version": "test"}, "card.md"
    text = "Die Regierung hat heute beschlossen, dass die neuen Regeln ab dem ersten Januar für alle gelten werden."
    doc = Document(text, paragraphs=[Paragraph(0, len(text))])
    component.set_annotations([doc], [[ParagraphResult([], [], foreign=True)]])
    assert [w.code for w in doc.warnings] == ["persuasion-language"]
    assert doc.paragraphs[0].labels == {} and doc.findings == []
