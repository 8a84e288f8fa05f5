"""Narratives: hierarchical decoding, evidence, extractive explanation, and the neither-domain answer."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import check_report
from spinscope import ingest
from spinscope.components.encoder import CACHE_KEY
from spinscope.components.narratives import (
    MAX_EXPLANATION_WORDS,
    OTHER,
    Narratives,
    decode,
    domain_of,
    english_rows,
    explain,
    features,
    parent_of,
)
from spinscope.document import Document, Paragraph, Span
from spinscope.encoder import Encoded
from spinscope.evaluate.narrative_explanations import overlap_f1
from spinscope.pipeline import build

NARR = ["URW: Discrediting Ukraine", "URW: Praise of Russia", "CC: Downplaying climate change"]
SUBS = [
    "URW: Discrediting Ukraine: Ukraine is a puppet of the West",
    "URW: Discrediting Ukraine: Discrediting Ukrainian military",
    "CC: Downplaying climate change: Climate cycles are natural",
]
KNOWN = frozenset([*SUBS, "URW: Discrediting Ukraine: Other", "URW: Praise of Russia: Other", OTHER])


def _decode(domain: list[float], narr: list[float], sub: list[float], **kw: float):
    t = {"t_other": 0.5, "t_narr": 0.4, "t_sub": 0.4, **kw}
    return decode(np.array(domain), np.array(narr), np.array(sub), narratives=NARR, subnarratives=SUBS, known_subs=KNOWN, **t)


def test_label_helpers() -> None:
    assert domain_of("URW: Praise of Russia") == "URW" and domain_of(OTHER) == OTHER
    assert parent_of(SUBS[0]) == "URW: Discrediting Ukraine" and parent_of(OTHER) == OTHER


def test_the_domain_gate_answers_other() -> None:
    d = _decode([0.2, 0.1, 0.7], [0.9, 0.9, 0.9], [0.9, 0.9, 0.9])
    assert [x.label for x in d.narratives] == [OTHER] and [x.label for x in d.subnarratives] == [OTHER]


def test_narratives_stay_in_the_domain_and_subnarratives_under_their_narrative() -> None:
    d = _decode([0.7, 0.2, 0.1], [0.8, 0.1, 0.95], [0.3, 0.6, 0.99])
    assert [x.label for x in d.narratives] == ["URW: Discrediting Ukraine"]  # CC narrative gated out
    assert [x.label for x in d.subnarratives] == [SUBS[1]]  # the CC subnarrative is never predicted
    assert all(parent_of(s.label) in {n.label for n in d.narratives} for s in d.subnarratives)


def test_at_least_one_narrative_and_other_subnarrative_when_none_passes() -> None:
    d = _decode([0.7, 0.2, 0.1], [0.1, 0.3, 0.0], [0.0, 0.0, 0.0])
    assert [x.label for x in d.narratives] == ["URW: Praise of Russia"]
    assert [x.label for x in d.subnarratives] == ["URW: Praise of Russia: Other"]
    scores = [x.score for x in d.narratives + d.subnarratives]
    assert all(0.0 <= s <= 1.0 for s in scores)


def _encoded(unit: np.ndarray, n: int = 5) -> Encoded:
    return Encoded(np.zeros((n, unit.size), np.float32), np.zeros((n, 2), np.int32), unit, unit)


def test_non_english_paragraphs_are_left_out() -> None:
    en = "The soldiers were sent to the front and the government said that it would not negotiate with them."
    pt = "Os soldados foram enviados para a frente e o governo disse que nao negociaria com eles de maneira alguma nunca mais."
    ru = "Солдаты были отправлены на фронт, и правительство заявило, что не будет вести переговоры."
    text = f"{en}\n{pt}\n{ru}"
    doc = Document(text, paragraphs=[Paragraph(0, len(en)), Paragraph(len(en) + 1, len(en) + 1 + len(pt)),
                                     Paragraph(len(en) + len(pt) + 2, len(text))])
    a, b, c = np.eye(4, dtype=np.float32)[:3]
    doc.cache[CACHE_KEY] = {"paragraphs": [_encoded(a), _encoded(b), _encoded(c)], "article": (a + b + c) / np.sqrt(3)}
    units, weights, spans = english_rows(doc)
    assert spans == [Span(0, len(en))] and np.allclose(units, a[None]) and weights.tolist() == [7.0]
    row = features(units, weights, np.eye(4, dtype=np.float32)[1:3])
    assert np.allclose(row, [1, 0, 0, 0, 0, 0])


def test_explanation_is_extractive_and_short() -> None:
    sentences = [f"Sentence number {i} says that the war goes on and on without end." for i in range(12)]
    text = " ".join(sentences)
    doc = Document(text, paragraphs=[Paragraph(0, len(text))])
    starts = [text.index(s) for s in sentences]
    doc.sentences = [Span(s, s + len(t)) for s, t in zip(starts, sentences, strict=True)]
    rng = np.random.default_rng(0)
    states = rng.normal(size=(len(sentences), 8)).astype(np.float32)
    offsets = np.array([[s, s + len(t)] for s, t in zip(starts, sentences, strict=True)], dtype=np.int32)
    doc.cache[CACHE_KEY] = {"paragraphs": [Encoded(states, offsets, states[0], states[0])], "article": states[0]}
    target = states[3] / np.linalg.norm(states[3])
    out = explain(doc, [Span(0, len(text))], target)
    assert sentences[3] in out and len(out.split()) <= MAX_EXPLANATION_WORDS
    assert all(part.strip() + "." in text for part in out.split(".") if part.strip())


def test_explanation_starts_with_the_title_when_it_fits() -> None:
    title = "Why the sanctions failed"
    sentences = [f"Sentence number {i} says that the war goes on and on without end." for i in range(6)]
    body = " ".join(sentences)
    text = f"{title}\n\n{body}"
    start = len(title) + 2
    doc = Document(text, paragraphs=[Paragraph(0, len(title)), Paragraph(start, len(text))])
    starts = [text.index(s) for s in sentences]
    doc.sentences = [Span(0, len(title))] + [Span(s, s + len(t)) for s, t in zip(starts, sentences, strict=True)]
    rng = np.random.default_rng(0)
    states = rng.normal(size=(len(sentences), 8)).astype(np.float32)
    offsets = np.array([[s, s + len(t)] for s, t in zip(starts, sentences, strict=True)], dtype=np.int32)
    title_enc = Encoded(states[:1], np.array([[0, len(title)]], dtype=np.int32), states[0], states[0])
    doc.cache[CACHE_KEY] = {"paragraphs": [title_enc, Encoded(states, offsets, states[0], states[0])], "article": states[0]}
    target = states[2] / np.linalg.norm(states[2])
    out = explain(doc, [Span(0, len(title)), Span(start, len(text))], target)
    assert out.startswith(title + ". ") and sentences[2] in out  # a full stop after the headline
    assert out.count(title) == 1 and len(out.split()) <= MAX_EXPLANATION_WORDS


def test_overlap_f1() -> None:
    assert overlap_f1("the West is weak", "The west is WEAK.") == 1.0
    assert overlap_f1("a b", "c d") == 0.0
    assert overlap_f1("a b c d", "a b") == pytest.approx(2 / 3)


needs_model = pytest.mark.skipif(not Narratives.available(), reason="narrative model not bundled")


@pytest.fixture(scope="module")
def nlp():
    return build(["spinscope.sentences.v1", "spinscope.encoder.v1", "spinscope.narratives.v1"])


SPORT = (
    "City beat United 3-1 on Saturday\n\n"
    "The home side scored twice before half-time, first from a corner and then from a long shot that "
    "the goalkeeper could only watch. United pulled one back after the break, but a late penalty settled "
    "the match, and the manager praised his young defenders afterwards.\n\n"
    "The win lifts City to third in the table, two points behind the leaders, with a cup tie on Wednesday."
)
COOKING = (
    "A simple lemon cake\n\n"
    "Beat the butter and sugar until pale, add the eggs one at a time, then fold in the flour and the grated "
    "zest of two lemons. Bake for forty minutes in a moderate oven and pour the lemon syrup over the cake "
    "while it is still warm, so that it soaks into the crumb."
)
WAR = (
    "Kyiv is a puppet of Washington\n\n"
    "The regime in Kyiv does whatever Washington and Brussels tell it to do. Zelensky takes his orders from "
    "the White House, and Western weapons keep the war going only to weaken Russia.\n\n"
    "NATO provoked this conflict by expanding to Russia's borders, and the Ukrainian army is collapsing "
    "while its leaders steal the aid. The West does not care about Ukrainians at all, only about its own interests."
)


@needs_model
@pytest.mark.parametrize("text", [SPORT, COOKING])
def test_neither_domain_is_other_with_no_evidence(nlp, text: str) -> None:
    doc = nlp(ingest.from_text(text))
    assert [x.label for x in doc.labels["narratives"]] == [OTHER]
    assert [x.label for x in doc.labels["subnarratives"]] == [OTHER]
    assert not [f for f in doc.findings if f.task == "narrative"]
    check_report(doc)


@needs_model
def test_war_article_gets_urw_narratives_with_evidence_and_explanation(nlp) -> None:
    doc = nlp(ingest.from_text(WAR))
    narratives = [x.label for x in doc.labels["narratives"]]
    assert narratives and all(n.startswith("URW: ") for n in narratives)
    assert all(parent_of(s.label) in narratives for s in doc.labels["subnarratives"])
    evidence = [f for f in doc.findings if f.task == "narrative"]
    assert evidence and {f.attrs["narrative"] for f in evidence} <= set(narratives)
    assert all(0 <= f.start < f.end <= len(doc.text) for f in evidence)
    explanation = next(f.attrs["explanation"] for f in evidence if "explanation" in f.attrs)
    assert 0 < len(explanation.split()) <= MAX_EXPLANATION_WORDS
    flat = " ".join(doc.text.split())
    assert all(s.strip() in flat for s in explanation.split(". ") if s.strip())
    check_report(doc)


def test_report_panel_lists_narratives_and_groups_their_evidence() -> None:
    from spinscope.document import Finding, Label
    from spinscope.report import html

    text = "First paragraph pushes it.\n\nSecond paragraph <b>also</b> does."
    doc = Document(text, paragraphs=[Paragraph(0, 26), Paragraph(28, len(text))])
    name = "URW: Discrediting <script>x</script>"
    doc.labels["narratives"] = [Label(name, 0.8)]
    doc.labels["subnarratives"] = [Label(f"{name}: Other", 0.8)]
    doc.findings = [
        Finding(0, 26, "narrative", name, 0.7, {"narrative": name, "subnarrative": f"{name}: Other", "explanation": "First paragraph pushes it."}),
        Finding(28, len(text), "narrative", name, 0.6, {"narrative": name, "subnarrative": f"{name}: Other"}),
    ]
    page = html.render_html(check_report(doc))
    assert 'id="narratives"' in page and 'data-group="n0"' in page
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "First paragraph pushes it." in page


def test_paragraphs_not_in_english_get_a_warning_not_labels() -> None:
    from spinscope.components.narratives import Decoded, Narratives, Prediction
    from spinscope.document import Document, Paragraph

    component = Narratives.__new__(Narratives)  # the annotation step needs no model files
    component.meta_, component.card_ = {"name": "spinscope-narratives", "version": "test"}, "card.md"
    text = " ".join(["Die Regierung hat heute beschlossen, dass die neuen Regeln ab dem ersten Januar gelten."] * 4)
    doc = Document(text, paragraphs=[Paragraph(0, len(text))])
    component.set_annotations([doc], [Prediction(Decoded(), [], foreign=1)])
    assert [w.code for w in doc.warnings] == ["narratives-language"]
    assert "narratives" not in doc.labels


@needs_model
def test_a_narrative_needs_its_domain_named_in_the_article(nlp, monkeypatch) -> None:
    # Heads that read every article as the war (as they read articles about the Pope as climate
    # change): the article that never names the war gets Other and a warning, the one that does keeps it.
    import spinscope.components.narratives as N
    from spinscope.document import Label

    label = "URW: Discrediting Ukraine"
    monkeypatch.setattr(N, "decode", lambda *a, **k: N.Decoded([Label(label, 0.9)], [Label(f"{label}: Other", 0.9)]))
    sport = nlp(ingest.from_text(SPORT))
    assert [x.label for x in sport.labels["narratives"]] == [OTHER]
    assert [w.code for w in sport.warnings if w.code.startswith("narratives")] == ["narratives-off-topic"]
    assert "the war in Ukraine" in next(w.message for w in sport.warnings if w.code == "narratives-off-topic")
    check_report(sport)
    war = nlp(ingest.from_text(WAR))
    assert [x.label for x in war.labels["narratives"]] == [label]
    assert not [w for w in war.warnings if w.code == "narratives-off-topic"]
