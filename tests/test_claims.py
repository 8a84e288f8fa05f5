"""The claims component on hand-made documents: tiny hand-set heads over hand-made encoder outputs.

The heads read surface cues only (a digit makes a sentence check-worthy, a modal verb makes it
causal) and the tagger reads two state dimensions (cause, effect), so every outcome is set by the test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from conftest import check_report
from spinscope.components.claims import CUE_NAMES, TAGS, Claims, decode_span, sentence_features
from spinscope.document import Document, Link, Paragraph, Source, Span
from spinscope.encoder import Encoded
from spinscope.heads import LinearHead, WordPieceBag

H = 8
N_CUES = len(CUE_NAMES)


def _head(label: str, weights: np.ndarray, bias: float) -> LinearHead:
    n = len(weights)
    return LinearHead([label], weights[None, :].astype(np.float32), np.array([bias], np.float32), np.zeros(n), np.ones(n), np.array([0.5]), True)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("models")
    cw, causal = root / "checkworthy", root / "causal"
    cw.mkdir()
    causal.mkdir()
    w = np.zeros(N_CUES)
    w[CUE_NAMES.index("digit")] = 10.0
    _head("checkworthy", w, -5.0).save(cw / "head.npz")
    (cw / "meta.json").write_text(json.dumps({"name": "test-checkworthy", "version": "0", "parts": ["cues"]}))
    w = np.zeros(N_CUES + 3 * (len(TAGS) - 1))
    w[CUE_NAMES.index("modal")] = 10.0
    _head("causal", w, -5.0).save(causal / "head.npz")
    tag_w = np.zeros((len(TAGS), 2 * H), np.float32)
    tag_w[1, 0] = tag_w[2, 1] = 10.0
    tag_b = np.array([0.0, -5.0, -5.0, -10.0], np.float32)
    LinearHead(list(TAGS), tag_w, tag_b, np.zeros(2 * H), np.ones(2 * H), np.zeros(4), False).save(causal / "tagger.npz")
    (causal / "meta.json").write_text(json.dumps({"name": "test-causal", "version": "0", "parts": ["cues"], "tagger": True}))
    return cw, causal


@pytest.fixture(scope="module")
def claims(models: tuple[Path, Path]) -> Claims:
    return Claims(models[0], causal_path=models[1])


def encode(doc: Document, *, cause: list[str] = (), effect: list[str] = ()) -> Document:  # type: ignore[assignment]
    """Fake encoder output: one token per word; dimension 0 marks ``cause`` words, 1 ``effect`` words."""
    paragraphs = []
    for p in doc.paragraphs:
        words = [(m.start() + p.start, m.end() + p.start) for m in re.finditer(r"\w+|[^\w\s]", doc.text[p.start : p.end])]
        states = np.zeros((len(words), H), np.float32)
        for k, (a, b) in enumerate(words):
            w = doc.text[a:b]
            states[k, 0] = w in cause
            states[k, 1] = w in effect
        paragraphs.append(
            Encoded(states, np.array(words, np.int32).reshape(-1, 2), np.zeros(H, np.float32), np.zeros(H, np.float32))
        )
    doc.cache["encoder"] = {"paragraphs": paragraphs, "article": np.zeros(H), "model": "test/0"}
    return doc


def make(paragraphs: list[list[str]], **kwargs: object) -> Document:
    """A document of paragraphs (blank line between), each a list of sentences (one space between)."""
    text, paras, sents = "", [], []
    for sentences in paragraphs:
        if text:
            text += "\n\n"
        start = len(text)
        for k, s in enumerate(sentences):
            if k:
                text += " "
            sents.append(Span(len(text), len(text) + len(s)))
            text += s
        paras.append(Paragraph(start, len(text)))
    return Document(text, paragraphs=paras, sentences=sents, **kwargs)  # type: ignore[arg-type]


def run(claims: Claims, doc: Document) -> list:
    preds = claims.predict([doc])
    claims.set_annotations([doc], preds)
    check_report(doc)
    return [f for f in doc.findings if f.task == "claim"]


def test_no_sentences_no_claims(claims: Claims) -> None:
    doc = encode(Document("Some text without sentences.", paragraphs=[Paragraph(0, 28)]))
    assert run(claims, doc) == []
    empty = Document("")
    assert claims.predict([empty]) == [[]]
    assert claims.predict([]) == []


def test_checkworthy_sentences_with_sources_and_kinds(claims: Claims) -> None:
    doc = encode(
        make(
            [
                ["Analysts believe that 40 per cent of the budget was wasted.", "It was a sunny and pleasant day."],
                ["According to the World Health Organization, cases rose by 12 per cent in May."],
                ["I think the tax cost 3 billion euros last year."],
            ]
        )
    )
    found = run(claims, doc)
    assert [doc.span_text(f)[:20] for f in found] == ["Analysts believe tha", "According to the Wor", "I think the tax cost"]
    first, who, author = found
    assert first.label == "checkworthy" and first.attrs["kind"] == "factual"
    assert (first.attrs["source"], first.attrs["source_kind"]) == ("Analysts", "vague")
    assert first.attrs["unsourced"] is True
    span = first.attrs["source_span"]
    assert doc.text[span["start"] : span["end"]] == "Analysts"
    assert (who.attrs["source"], who.attrs["source_kind"], who.attrs["unsourced"]) == ("the World Health Organization", "named", False)
    assert (author.attrs["source"], author.attrs["source_kind"], author.attrs["unsourced"]) == (None, "author", True)
    assert 0.5 <= first.attrs["checkworthy"] <= 1.0 and first.score == first.attrs["checkworthy"]
    assert doc.models["claim"].name == "test-checkworthy" and doc.models["causal"].name == "test-causal"


def test_links_in_or_right_after_a_sentence_are_its_evidence(claims: Claims) -> None:
    doc = make([["Experts say 70 per cent of rivers are polluted.", "They said 5 lakes had dried up (report)."]])
    s1, s2 = doc.sentences
    polluted = doc.text.index("polluted")
    doc.links = [
        Link(polluted, polluted + 8, "https://example.org/rivers"),
        Link(s2.end - 8, s2.end - 2, "https://example.org/lakes"),
    ]
    found = run(claims, encode(doc))
    assert [f.attrs["evidence"] for f in found] == [["https://example.org/rivers"], ["https://example.org/lakes"]]
    assert [f.attrs["unsourced"] for f in found] == [False, False]


def test_headlines_bylines_lists_questions_and_verbless_lines_are_not_claims(claims: Claims) -> None:
    doc = make(
        [
            ["Inflation Hits 9 Per Cent as Prices Soar"],
            ["By Jane Doe, 12 May 2024"],
            ["- 40 per cent of schools lack heating."],
            ["1. Prices rose 9 per cent last year."],
            ["Did prices really rise 9 per cent last year?"],
            ["Figures for 2023: 9 per cent, 12 per cent."],
            ["Prices rose 9 per cent last year."],
        ],
        source=Source(title="Inflation Hits 9 Per Cent as Prices Soar"),
    )
    found = run(claims, encode(doc))
    assert [doc.span_text(f) for f in found] == ["Prices rose 9 per cent last year."]


def test_causal_sentence_gets_cause_and_effect(claims: Claims) -> None:
    text = "Cutting the subsidy would raise food prices."
    doc = encode(make([[text]]), cause=["Cutting", "the", "subsidy"], effect=["raise", "food", "prices"])
    (f,) = run(claims, doc)
    assert f.label == "causal" and f.attrs["kind"] == "causal"
    assert doc.text[f.attrs["cause"]["start"] : f.attrs["cause"]["end"]] == "Cutting the subsidy"
    assert doc.text[f.attrs["effect"]["start"] : f.attrs["effect"]["end"]] == "raise food prices"
    assert f.attrs["unsourced"] is False  # causal, but not check-worthy: no digit



def test_token_features_append_the_neighbours_states_with_zeros_past_the_edges() -> None:
    from spinscope.components.claims import token_features

    states = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
    assert token_features(states).shape == (3, 4)
    x = token_features(states, 1)  # [state | sentence mean | left | right]
    np.testing.assert_allclose(x[1], [3, 4, 3, 4, 1, 2, 5, 6])
    np.testing.assert_allclose(x[0, 4:], [0, 0, 3, 4])
    np.testing.assert_allclose(x[2, 4:], [3, 4, 0, 0])


def test_the_span_tagger_marks_the_words_and_the_plain_tagger_feeds_the_sentence_head(models: tuple[Path, Path], tmp_path: Path) -> None:
    causal = tmp_path / "causal"
    causal.mkdir()
    for name in ("head.npz", "tagger.npz"):
        (causal / name).write_bytes((models[1] / name).read_bytes())
    # Window 1: [state | mean | left | right]. The span tagger calls a word "cause" when the word to its
    # *right* is a cause word, so its cause span starts one word early; "effect" as the plain tagger.
    n = 4 * H
    w = np.zeros((len(TAGS), n), np.float32)
    w[1, 3 * H] = w[2, 1] = 10.0
    LinearHead(list(TAGS), w, np.array([0.0, -5.0, -5.0, -10.0], np.float32), np.zeros(n), np.ones(n), np.zeros(4), False).save(causal / "spans.npz")
    meta = json.loads((models[1] / "meta.json").read_text()) | {"span_window": 1}
    (causal / "meta.json").write_text(json.dumps(meta))
    with_spans = Claims(models[0], causal_path=causal)
    text = "Cutting the subsidy would raise food prices."
    (f,) = run(with_spans, encode(make([[text]]), cause=["subsidy"], effect=["prices"]))
    assert text[f.attrs["cause"]["start"] : f.attrs["cause"]["end"]] == "the"
    assert text[f.attrs["effect"]["start"] : f.attrs["effect"]["end"]] == "prices"
    (g,) = run(Claims(models[0], causal_path=models[1]), encode(make([[text]]), cause=["subsidy"], effect=["prices"]))
    assert text[g.attrs["cause"]["start"] : g.attrs["cause"]["end"]] == "subsidy"
    assert f.attrs["causal"] == g.attrs["causal"]  # the sentence score reads the plain tagger either way

def test_decode_span_bridges_one_token_gaps() -> None:
    probs = np.array([[0.9, 0.1, 0, 0], [0.1, 0.9, 0, 0], [0.6, 0.4, 0, 0], [0.1, 0.9, 0, 0], [0.9, 0.1, 0, 0]])
    offsets = np.array([[0, 3], [4, 7], [8, 10], [11, 15], [16, 20]])
    assert decode_span(probs, offsets, 1) == (4, 15)
    assert decode_span(probs, offsets, 2) is None
    assert decode_span(np.zeros((0, 4)), np.zeros((0, 2)), 1) is None


def test_span_decoding_widens_a_found_span_and_picks_the_heaviest_run() -> None:
    from spinscope.components.claims import SpanDecoding

    # Tokens: a b c d e f g. The cause is found (b is its argmax); a and c carry some of it, d and e none.
    probs = np.array([
        [0.7, 0.3, 0, 0], [0.2, 0.8, 0, 0], [0.8, 0.2, 0, 0], [0.95, 0.05, 0, 0], [0.95, 0.05, 0, 0],
        [0.6, 0.4, 0, 0], [0.6, 0.4, 0, 0],
    ])  # fmt: skip
    offsets = np.array([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10, 11], [12, 13]])
    assert decode_span(probs, offsets, 1) == (2, 3)  # the v1 rule: argmax tokens only
    wide = SpanDecoding(min_prob=0.15, gap=1, choose="mass")
    assert decode_span(probs, offsets, 1, wide) == (0, 5)  # a b c (1.3) outweighs f g (0.8)
    assert decode_span(probs, offsets, 1, SpanDecoding(min_prob=0.15, gap=1, choose="longest")) == (0, 5)
    assert decode_span(probs, offsets, 1, SpanDecoding(min_prob=0.15, gap=2)) == (0, 13)  # d e bridged
    assert decode_span(probs, offsets, 2, wide) is None  # no effect found: decoding cannot invent one
    assert SpanDecoding.from_meta({"span_decoding": {"min_prob": 0.15, "gap": 1, "choose": "mass"}}) == wide
    assert SpanDecoding.from_meta(None) == SpanDecoding()


def test_exclusive_decoding_keeps_cause_and_effect_apart() -> None:
    from spinscope.components.claims import SpanDecoding

    # Tokens: a b c d e. a b are the cause, d e the effect; c leans to the effect but carries some
    # cause, and every token carries enough of both tags to pass a low min_prob.
    probs = np.array([
        [0.1, 0.7, 0.2, 0], [0.1, 0.6, 0.3, 0], [0.1, 0.3, 0.6, 0], [0.1, 0.2, 0.7, 0], [0.1, 0.3, 0.6, 0],
    ])  # fmt: skip
    offsets = np.array([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]])
    loose = SpanDecoding(min_prob=0.15, gap=3, choose="mass")
    cause, effect = decode_span(probs, offsets, 1, loose), decode_span(probs, offsets, 2, loose)
    assert cause == effect == (0, 9)  # each span swallows the other: "X causes X"
    strict = SpanDecoding(min_prob=0.15, gap=3, choose="mass", exclusive=True)
    assert decode_span(probs, offsets, 1, strict) == (0, 3)
    assert decode_span(probs, offsets, 2, strict) == (4, 9)
    # A gap is not bridged across the other tag's words: a cause word on each side of the effect.
    split = np.array([[0.1, 0.8, 0.1, 0], [0.1, 0.1, 0.8, 0], [0.1, 0.8, 0.1, 0]])
    assert decode_span(split, offsets[:3], 1, strict) == (0, 1)
    assert decode_span(split, offsets[:3], 1, loose) == (0, 5)
    # A word that is most likely neither but passes min_prob for both goes to the tag it leans to.
    shared = np.array([[0.1, 0.8, 0.1, 0], [0.5, 0.2, 0.3, 0], [0.1, 0.1, 0.8, 0]])
    assert decode_span(shared, offsets[:3], 1, strict) == (0, 1)
    assert decode_span(shared, offsets[:3], 2, strict) == (2, 5)


def test_sentence_features_pool_only_the_span() -> None:
    states = np.arange(12, dtype=np.float32).reshape(4, 3)
    enc = Encoded(states, np.array([[0, 2], [3, 5], [6, 8], [9, 11]], np.int32), np.zeros(3), np.zeros(3))
    text = "ab cd ef gh"
    row = sentence_features(enc, 3, 8, text)
    assert row[:3].tolist() == [4.5, 5.5, 6.5] and row[3:6].tolist() == [6, 7, 8]
    assert sentence_features(enc, 11, 11, text)[:6].tolist() == [0] * 6


def test_a_head_trained_on_another_encoder_is_reported(models: tuple[Path, Path], tmp_path: Path) -> None:
    from spinscope.components.encoder import EncoderComponent

    if not EncoderComponent.available():
        pytest.skip("the bundled encoder is not installed")
    stale = tmp_path / "checkworthy"
    stale.mkdir()
    (stale / "head.npz").write_bytes((models[0] / "head.npz").read_bytes())
    meta = json.loads((models[0] / "meta.json").read_text())
    (stale / "meta.json").write_text(json.dumps({**meta, "encoder_fingerprint": "0000000000000000"}))
    component = Claims(stale, causal_path=tmp_path / "none")
    doc = encode(make([["Prices rose 9 per cent last year."]]))
    run(component, doc)
    assert [w.code for w in doc.warnings] == ["model-mismatch"]
    assert "causal" not in doc.models


def test_causal_sentence_without_cause_and_effect_joins_only_if_checkworthy(claims: Claims) -> None:
    doc = encode(make([["Cutting the subsidy would raise food prices.", "Cutting it would cost 3 billion euros."]]))
    (f,) = run(claims, doc)  # no words tagged: only the check-worthy one stays, as a factual claim
    assert doc.span_text(f).startswith("Cutting it") and f.attrs["kind"] == "factual" and f.label == "checkworthy"
    assert f.attrs["causal"] > 0.5 and "cause" not in f.attrs and "effect" not in f.attrs


def test_articles_use_the_meta_article_threshold_and_an_explicit_one_overrides_it(models: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil

    cw = tmp_path / "checkworthy"
    shutil.copytree(models[0], cw)
    meta = json.loads((cw / "meta.json").read_text())
    sentences = [["The tax raised 3 billion euros last year.", "The minister spoke to the press on the day."]]

    def listed(claims: Claims) -> list[str]:
        doc = encode(make(sentences))
        return [doc.span_text(f)[:12] for f in run(claims, doc)]

    # The head's own threshold (0.5): only the sentence with a figure (score 0.993; the other 0.007).
    assert Claims(cw, causal_path=models[1]).threshold_ == 0.5
    assert listed(Claims(cw, causal_path=models[1])) == ["The tax rais"]
    (cw / "meta.json").write_text(json.dumps({**meta, "article_threshold": 0.999}))
    assert listed(Claims(cw, causal_path=models[1])) == []
    low = Claims(cw, causal_path=models[1], threshold=0.001)
    assert listed(low) == ["The tax rais", "The minister"]
    # "unsourced" marks check-worthy claims by the same threshold
    doc = encode(make(sentences))
    assert all(f.attrs["unsourced"] for f in run(low, doc))


def _with_ids(doc: Document, vocab: dict[str, int]) -> Document:
    """Give the fake encoder output one vocabulary id per word (unknown words: id 0)."""
    for enc in doc.cache["encoder"]["paragraphs"]:
        enc.ids = np.array([vocab.get(doc.text[a:b], 0) for a, b in enc.offsets], np.int32)
    return doc


def test_the_bag_of_pieces_logit_is_a_column_of_the_checkworthy_head(tmp_path: Path) -> None:
    cw = tmp_path / "checkworthy"
    cw.mkdir()
    # The head reads only the bag's logit: check-worthy iff the sentence holds the piece "tariffs".
    _head("checkworthy", np.r_[np.zeros(N_CUES), 10.0], -5.0).save(cw / "head.npz")
    weights = np.zeros((16, 1), np.float32)
    weights[7] = 2.0
    WordPieceBag(np.ones(16, np.float32), weights, np.zeros(1, np.float32)).save(cw / "pieces.npz")
    (cw / "meta.json").write_text(json.dumps({"name": "t", "version": "0", "parts": ["cues"], "pieces": True}))
    component = Claims(cw, causal_path=tmp_path / "none")
    doc = make([["The tariffs hit every farm in the region.", "The weather hit every farm in the region."]])
    (f,) = run(component, _with_ids(encode(doc), {"tariffs": 7}))
    assert doc.span_text(f).startswith("The tariffs")
    with pytest.raises(ValueError, match="word-piece ids"):
        component.predict([encode(make([["The tariffs hit every farm in the region."]]))])


def test_word_piece_bag_is_sklearns_tfidf_and_logistic_regression(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    from spinscope.train.sentence_heads import fit_piece_bag, piece_bag_logits

    rng = np.random.default_rng(0)
    docs = [rng.integers(0, 40, size=rng.integers(0, 12)) for _ in range(200)]
    y = np.array([int(5 in d or 9 in d) for d in docs])
    counts = sparse.csr_matrix([np.bincount(d, minlength=50) for d in docs], dtype=np.float64)
    bag = fit_piece_bag(counts, y, c=1.0)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    expected = LogisticRegression(C=1.0, max_iter=3000).fit(tfidf.transform(counts), y).decision_function(tfidf.transform(counts))
    np.testing.assert_allclose(piece_bag_logits(bag, counts)[:, 0], expected, atol=1e-4)
    bag.save(tmp_path / "bag.npz")
    loaded = WordPieceBag.load(tmp_path / "bag.npz")
    np.testing.assert_allclose([loaded.logits(d)[0] for d in docs], expected, atol=1e-4)
    assert loaded.logits(np.array([], np.int32)).tolist() == pytest.approx(bag.bias.tolist())
    # Three classes: one logit per class, as the multinomial regression gives them.
    y3 = np.array([0 if 5 in d else 1 if 9 in d else 2 for d in docs])
    bag3 = fit_piece_bag(counts, y3, c=1.0)
    expected3 = LogisticRegression(C=1.0, max_iter=3000).fit(tfidf.transform(counts), y3).decision_function(tfidf.transform(counts))
    np.testing.assert_allclose(piece_bag_logits(bag3, counts), expected3, atol=1e-4)
    np.testing.assert_allclose(np.stack([bag3.logits(d) for d in docs]), expected3, atol=1e-4)


def test_each_head_reads_the_encoder_pass_its_meta_names(models: tuple[Path, Path], tmp_path: Path) -> None:
    causal = tmp_path / "causal"
    causal.mkdir()
    for name in ("head.npz", "tagger.npz"):
        (causal / name).write_bytes((models[1] / name).read_bytes())
    meta = json.loads((models[1] / "meta.json").read_text())
    (causal / "meta.json").write_text(json.dumps({**meta, "encoder": "encoder-multitask"}))
    component = Claims(models[0], causal_path=causal)
    assert (component.encoder_key_, component.causal_key_) == ("encoder", "encoder-multitask")
    text = "Cutting the subsidy would raise food prices."
    doc = encode(make([[text]]))  # the check-worthiness pass: no word tagged
    tagged = encode(make([[text]]), cause=["subsidy"], effect=["prices"])
    doc.cache["encoder-multitask"] = tagged.cache["encoder"]
    (f,) = run(component, doc)
    assert f.attrs["kind"] == "causal" and doc.text[f.attrs["cause"]["start"] : f.attrs["cause"]["end"]] == "subsidy"
    del doc.cache["encoder-multitask"]
    with pytest.raises(KeyError, match="spinscope.encoder-multitask.v1"):
        component.predict([doc])


def test_cause_and_effect_are_whole_words_and_never_share_one() -> None:
    from spinscope.components.claims import _clip, _clip_pair
    from spinscope.document import Span

    text = "The prosecutor general's office said confiscation would undermine trust in the well-known euro."
    sent = Span(0, len(text))

    def words(span: tuple[int, int] | None) -> str | None:
        return text[span[0] : span[1]] if span else None

    at = text.index
    # The taggers read word pieces: a span that starts or ends inside a word is widened to the word.
    assert words(_clip((at("s office"), at(" said")), sent, text)) == "general's office"
    assert words(_clip((at("well-kn"), at("well-kn") + 7), sent, text)) == "well-known"
    # A word split between cause and effect goes to the side that held more of it.
    fiscation, con = (at("fiscation"), at(" euro") + 5), (at("confiscation"), at("fiscation"))
    assert [words(s) for s in _clip_pair(fiscation, con, sent, text)] == ["confiscation would undermine trust in the well-known euro", None]
    # Two spans that both hold a word whole (the decoder never does this): the cause keeps it.
    assert [words(s) for s in _clip_pair((at("trust"), at(" the")), (at("in the"), at(" euro")), sent, text)] == ["trust in", "the well-known"]
