"""The shared encoder: windows, offsets, pooling, determinism, the component, and no torch at run time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinscope.document import Document, Paragraph
from spinscope.encoder import Encoded, Encoder
from spinscope.errors import ModelNotFound
from spinscope.runtime import load_session, load_tokenizer

FIXTURES = Path(__file__).parent / "fixtures"

SENTENCES = [
    "The council voted on Monday to close the old library on Harbour Street.",
    "Residents who had used it for decades said they felt betrayed by the decision.",
    "A spokesperson for the mayor insisted that the savings would fund three new reading rooms.",
    "Critics pointed out that none of the promised rooms had a site, a budget or a date.",
    "Teachers worried about pupils without internet at home, who relied on its computers.",
    "The building, designed in 1911, is listed, so it cannot simply be sold to developers.",
    "Opposition councillors demanded an independent review of the figures before any closure.",
]


def long_text(n_sentences: int = 60) -> str:
    """A paragraph of well over 600 word pieces, built from hand-written sentences."""
    return " ".join(SENTENCES[i % len(SENTENCES)] for i in range(n_sentences))


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def test_short_text_states_and_offsets(encoder: Encoder) -> None:
    text = "The mayor's plan failed spectacularly."
    (enc,) = encoder.encode([text])
    pieces = [text[a:b] for a, b in enc.offsets]
    assert pieces == ["The", "mayor", "'", "s", "plan", "failed", "spectacular", "ly", "."]
    assert enc.states.shape == (len(pieces), 384)
    assert enc.states.dtype == np.float32
    assert enc.n_windows == 1


def test_offsets_follow_accents_and_unknown_characters(encoder: Encoder) -> None:
    text = "Café owners in Zürich 😀 protested."
    (enc,) = encoder.encode([text])
    words = [text[a:b] for a, b in enc.offsets]
    assert "Café" in words and "Zürich" in words and "😀" in words
    assert words[-1] == "."


def test_long_paragraph_is_windowed_not_truncated(encoder: Encoder) -> None:
    text = long_text()
    (enc,) = encoder.encode([text])
    n_pieces = len(encoder.tokenizer_.encode(text, add_special_tokens=False).ids)
    assert n_pieces > 600
    assert enc.n_tokens == n_pieces
    assert enc.n_windows == len(encoder.windows(n_pieces)) > 2
    assert np.isfinite(enc.states).all()
    starts, ends = enc.offsets[:, 0], enc.offsets[:, 1]
    assert (starts >= 0).all() and (ends <= len(text)).all() and (starts < ends).all()
    assert (np.diff(starts) > 0).all()
    # The last word pieces are the end of the text: nothing was cut off.
    assert text[starts[-1] :] == "."
    assert text[starts[-2] : ends[-2]] == text[:-1].split()[-1] == "date"
    # Every piece's vocabulary id is kept, across the windows, for the bag-of-pieces heads.
    assert enc.ids is not None and enc.ids.tolist() == encoder.tokenizer_.encode(text, add_special_tokens=False).ids


def test_overlapping_windows_are_averaged() -> None:
    enc = Encoder(max_tokens=64, overlap=16, max_batch=1)
    text = long_text(12)
    (out,) = enc.encode([text])
    ids = np.asarray(enc.tokenizer_.encode(text, add_special_tokens=False).ids, dtype=np.int64)
    windows = enc.windows(len(ids))
    assert len(windows) > 2
    total = np.zeros((len(ids), 384), dtype=np.float32)
    count = np.zeros((len(ids), 1), dtype=np.float32)
    for a, b in windows:
        total[a:b] += enc._run([ids[a:b]])[0][0, 1:-1]
        count[a:b] += 1
    assert count.min() >= 1 and count.max() == 2
    np.testing.assert_allclose(out.states, total / count, rtol=1e-5, atol=1e-5)


def test_windowed_states_approximate_one_long_pass() -> None:
    # The default 256-token windows against one 512-token pass over the same ~400 word pieces.
    text = long_text(25)
    windowed = Encoder().encode([text])[0]
    whole = Encoder(max_tokens=512, overlap=0).encode([text])[0]
    assert windowed.n_windows == 2 and whole.n_windows == 1
    np.testing.assert_array_equal(windowed.offsets, whole.offsets)
    cos = (windowed.states * whole.states).sum(1) / (
        np.linalg.norm(windowed.states, axis=1) * np.linalg.norm(whole.states, axis=1)
    )
    assert cos.mean() > 0.9
    assert float(windowed.unit @ whole.unit) > 0.93


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 3000), size=st.integers(8, 512), data=st.data())
def test_windows_cover_every_token(n: int, size: int, data: st.DataObject) -> None:
    enc = Encoder.__new__(Encoder)  # windows() needs only the two sizes, not the model
    enc.max_tokens, enc.overlap = size, data.draw(st.integers(0, size - 3))
    windows = enc.windows(n)
    assert windows[0][0] == 0 and windows[-1][1] == n
    for (_, b), (c, _) in zip(windows, windows[1:], strict=False):
        assert c <= b  # no gap
        assert b - c >= enc.overlap  # at least the promised overlap
    assert all(0 <= b - a <= size - 2 for a, b in windows)


@settings(max_examples=150, deadline=None)
@given(lengths=st.lists(st.integers(2, 256), min_size=0, max_size=9), call=st.integers(0, 64))
def test_batches_minimise_padding_plus_calls(lengths: list[int], call: int) -> None:
    import itertools

    enc = Encoder.__new__(Encoder)
    enc.batch_tokens, enc.max_batch, enc.call_tokens = 600, 4, call
    lengths = sorted(lengths)
    spans = enc._split(lengths)

    def cost(cuts: list[tuple[int, int]]) -> int:
        return sum(call + (b - a) * lengths[b - 1] for a, b in cuts)

    def ok(a: int, b: int) -> bool:
        return b - a <= 4 and (b - a == 1 or (b - a) * lengths[b - 1] <= 600)

    assert [i for a, b in spans for i in range(a, b)] == list(range(len(lengths)))
    assert all(ok(a, b) for a, b in spans)
    # Brute force over every way to cut the sorted list into consecutive batches.
    best = None
    for mask in itertools.product([0, 1], repeat=max(0, len(lengths) - 1)):
        edges = [0] + [i + 1 for i, m in enumerate(mask) if m] + [len(lengths)]
        cuts = list(itertools.pairwise(edges)) if lengths else []
        if all(ok(a, b) for a, b in cuts):
            best = cost(cuts) if best is None else min(best, cost(cuts))
    assert cost(spans) == (best or 0)


def test_pooled_vector_stays_close_to_the_base_sentence_embedding(encoder: Encoder) -> None:
    # Reference: the base all-MiniLM-L6-v2 through sentence-transformers (torch fp32) on a sentence
    # written for this test. The bundled encoder is fine-tuned for persuasion with a distillation loss
    # that keeps its pooled vectors near the base model's (0.95 here; the base int8 export gave 0.99).
    ref = json.loads((FIXTURES / "encoder_reference.json").read_text(encoding="utf-8"))
    (enc,) = encoder.encode([ref["text"]])
    unit = np.asarray(ref["unit"], dtype=np.float32)
    assert abs(float(np.linalg.norm(enc.unit)) - 1.0) < 1e-5
    np.testing.assert_allclose(enc.unit, enc.vector / np.linalg.norm(enc.vector), rtol=1e-5)
    assert float(enc.unit @ unit) > 0.9


def test_deterministic_and_batch_order_independent_within_groups(encoder: Encoder) -> None:
    texts = [SENTENCES[0], long_text(30), "", SENTENCES[3]]
    first = encoder.encode(texts, groups=[0, 1, 2, 3])
    again = encoder.encode(texts, groups=[0, 1, 2, 3])
    alone = [encoder.encode([t])[0] for t in texts]
    for a, b, c in zip(first, again, alone, strict=True):
        np.testing.assert_array_equal(a.states, b.states)
        np.testing.assert_array_equal(a.vector, b.vector)
        # One group per text: each text is its own batch, exactly as when encoded alone.
        np.testing.assert_array_equal(a.vector, c.vector)


def test_empty_text_and_empty_list(encoder: Encoder) -> None:
    assert encoder.encode([]) == []
    (enc,) = encoder.encode([""])
    assert enc.n_tokens == 0 and enc.states.shape == (0, 384) and enc.offsets.shape == (0, 2)
    assert np.isfinite(enc.vector).all()


def test_pool_over_a_character_span(encoder: Encoder) -> None:
    text = "Prices rose sharply. The minister blamed the weather."
    (enc,) = encoder.encode([text])
    start = text.index("The minister")
    i, j = enc.token_range(start, len(text))
    assert text[enc.offsets[i][0] : enc.offsets[j - 1][1]] == "The minister blamed the weather."
    pooled = enc.pool(start, len(text))
    assert pooled is not None and pooled.shape == (384,)
    assert enc.pool(len(text), len(text)) is None


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_span_sums_match_direct_reductions(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 40))
    states = np.random.default_rng(n).normal(size=(n, 8)).astype(np.float32)
    enc = Encoded(states, np.zeros((n, 2), dtype=np.int32), states.mean(0), states.mean(0))
    i = data.draw(st.integers(0, n))
    j = data.draw(st.integers(0, n))
    expected = states[i:j].mean(axis=0) if j > i else np.zeros(8, dtype=np.float32)
    assert enc.span_mean(i, j).dtype == np.float32
    np.testing.assert_allclose(enc.span_mean(i, j), expected, atol=1e-5)
    np.testing.assert_allclose(enc.span_sum(i, j), states[i:j].sum(axis=0) if j > i else 0.0, atol=1e-4)


def test_component_caches_paragraphs_with_doc_offsets() -> None:
    from spinscope.components.encoder import EncoderComponent, cached

    text = SENTENCES[0] + "\n\n" + long_text(40) + "\n\n" + SENTENCES[2]
    spans, pos = [], 0
    for block in text.split("\n\n"):
        spans.append(Paragraph(pos, pos + len(block)))
        pos += len(block) + 2
    doc = Document(text=text, paragraphs=spans)
    other = Document(text=SENTENCES[4], paragraphs=[Paragraph(0, len(SENTENCES[4]))])
    component = EncoderComponent()
    component.set_annotations([doc, other], component.predict([doc, other]))
    out = cached(doc)
    assert len(out["paragraphs"]) == 3
    for para, enc in zip(doc.paragraphs, out["paragraphs"], strict=True):
        assert isinstance(enc, Encoded)
        assert enc.offsets[0][0] == para.start and enc.offsets[-1][1] == para.end
    assert text[slice(*out["paragraphs"][1].offsets[0])] == "The"
    weights = np.array([e.n_tokens + 2 for e in out["paragraphs"]], dtype=np.float32)
    expected = (weights[:, None] * np.stack([e.unit for e in out["paragraphs"]])).sum(0) / weights.sum()
    np.testing.assert_allclose(out["article"], expected / np.linalg.norm(expected), rtol=1e-5)
    # The same document analysed alone gives the same numbers as in a batch of two.
    alone = Document(text=text, paragraphs=list(spans))
    component.set_annotations([alone], component.predict([alone]))
    np.testing.assert_array_equal(cached(alone)["article"], out["article"])


def test_component_is_registered() -> None:
    from spinscope import registry

    assert "spinscope.encoder.v1" in registry.names()
    assert registry.get("spinscope.encoder.v1").available()


def test_missing_model_files_raise_model_not_found(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match=str(tmp_path)):
        load_session(tmp_path / "nope.onnx")
    with pytest.raises(ModelNotFound, match=str(tmp_path)):
        load_tokenizer(tmp_path / "tokenizer.json")
    with pytest.raises(ModelNotFound):
        Encoder(tmp_path)


def test_running_the_encoder_does_not_import_torch() -> None:
    code = (
        "import sys\n"
        "from spinscope.encoder import Encoder\n"
        "assert Encoder().encode(['No torch here.'])[0].n_tokens == 4\n"
        "bad = sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_encoder_component_works_without_torch_installed() -> None:
    # spaCy (thinc) imports torch whenever it is installed, so the whole package cannot be checked by
    # looking at sys.modules; instead make torch unimportable, as in an install without [train].
    code = (
        "import sys\n"
        "sys.modules['torch'] = None\n"
        "import spinscope\n"
        "from spinscope.components.encoder import EncoderComponent\n"
        "from spinscope.document import Document, Paragraph\n"
        "doc = Document(text='No torch here.', paragraphs=[Paragraph(0, 14)])\n"
        "c = EncoderComponent(); c.set_annotations([doc], c.predict([doc]))\n"
        "assert doc.cache['encoder']['paragraphs'][0].n_tokens == 4\n"
        "assert 'transformers' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_fingerprint_changes_with_settings_that_change_outputs(encoder: Encoder) -> None:
    assert encoder.fingerprint == Encoder().fingerprint
    assert encoder.fingerprint != Encoder(overlap=32).fingerprint


def test_a_folder_fingerprint_needs_no_session_and_matches_the_encoders(tmp_path: Path) -> None:
    from spinscope.encoder import ENCODER_DIR, MULTITASK_DIR, fingerprint

    assert fingerprint(ENCODER_DIR) == Encoder(ENCODER_DIR).fingerprint
    assert fingerprint(MULTITASK_DIR) == Encoder(MULTITASK_DIR).fingerprint != fingerprint(ENCODER_DIR)
    # A model file that is not ONNX at all still fingerprints (no session is built), and a re-written
    # file in the same process is hashed again.
    config = json.loads((ENCODER_DIR / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps(config))
    model = tmp_path / config.get("model", "model.int8.onnx")
    model.write_bytes(b"not a model")
    first = fingerprint(tmp_path)
    model.write_bytes(b"another file, another size")
    assert fingerprint(tmp_path) != first


def test_using_makes_another_bundled_encoder_the_default_within_a_block() -> None:
    from spinscope.components.encoder import cached
    from spinscope.encoder import ENCODER_DIR, MULTITASK_DIR, default_dir, head_encoder, using

    assert default_dir() == ENCODER_DIR
    with using("encoder-multitask") as folder:
        assert folder == default_dir() == MULTITASK_DIR
        with using(None):
            assert default_dir() == MULTITASK_DIR
    assert default_dir() == ENCODER_DIR
    with pytest.raises(ValueError, match="encoder-multitask"), using("nope"):
        pass
    assert head_encoder(None) == head_encoder({}) == "encoder"
    assert head_encoder({"encoder": "encoder-multitask"}) == "encoder-multitask"
    doc = Document("x")
    doc.cache["encoder-multitask"] = {"article": 1}
    with using("encoder-multitask"):
        assert cached(doc) == {"article": 1}
    with pytest.raises(KeyError, match="'spinscope.encoder.v1'"):
        cached(doc)


def test_both_encoders_are_registered_and_write_their_own_cache_entries() -> None:
    from spinscope import registry

    multitask = registry.get("spinscope.encoder-multitask.v1")
    if not multitask.available():
        pytest.skip("the multi-task encoder is not installed")
    text = "Kyiv said the strike hit a power plant."
    doc = Document(text=text, paragraphs=[Paragraph(0, len(text))])
    for name in ("spinscope.encoder.v1", "spinscope.encoder-multitask.v1"):
        component = registry.get(name)()
        component.set_annotations([doc], component.predict([doc]))
    first, second = doc.cache["encoder"]["paragraphs"][0], doc.cache["encoder-multitask"]["paragraphs"][0]
    np.testing.assert_array_equal(first.offsets, second.offsets)  # one tokenizer: the same word pieces
    assert not np.allclose(first.states, second.states)


@pytest.mark.parametrize(
    ("setting", "saturating_cpu", "expected"),
    [(None, True, "1"), (None, False, "0"), ("0", True, "0"), ("1", False, "1")],
)
def test_sessions_ask_for_exact_int8_kernels_only_where_the_fast_ones_saturate(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, saturating_cpu: bool, expected: str
) -> None:
    # Without VNNI the fast kernels saturate int8 dot products and the heads score lower; with VNNI they
    # are exact already and the option only doubles the encoder's time.
    from spinscope import runtime

    monkeypatch.setattr(runtime, "int8_dot_products_saturate", lambda: saturating_cpu)
    if setting is None:
        monkeypatch.delenv("SPINSCOPE_EXACT_INT8", raising=False)
    else:
        monkeypatch.setenv("SPINSCOPE_EXACT_INT8", setting)
    runtime._session.cache_clear()
    try:
        options = load_session(runtime.MODELS_DIR / "repair" / "model.int8.onnx").get_session_options()
        assert options.get_session_config_entry("session.x64quantprecision") == expected
    finally:
        runtime._session.cache_clear()


def test_only_x86_cpus_without_vnni_count_as_saturating() -> None:
    from spinscope.runtime import saturates

    assert saturates("x86_64", {"sse4_2", "avx2", "fma"})
    assert saturates("x86_64", {"avx2", "avx512f", "avx512bw"})  # AVX-512 without VNNI
    assert not saturates("x86_64", {"avx2", "avx512f", "avx512_vnni"})
    assert not saturates("AMD64", {"avx2", "avx_vnni"})
    assert not saturates("aarch64", {"fp", "asimd"})
    assert saturates("x86_64", None)  # flags unknown: stay exact


def test_features_from_the_fast_int8_kernels_are_cached_apart(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from spinscope import runtime

    monkeypatch.setenv("SPINSCOPE_CACHE", str(tmp_path))
    monkeypatch.setenv("SPINSCOPE_EXACT_INT8", "1")
    exact = runtime.feature_cache("features", "0123456789abcdef0123")
    monkeypatch.setenv("SPINSCOPE_EXACT_INT8", "0")
    monkeypatch.setattr(runtime, "int8_dot_products_saturate", lambda: True)
    fast = runtime.feature_cache("features", "0123456789abcdef0123")
    assert exact == tmp_path / "features" / "0123456789abcdef" and exact.is_dir()
    assert fast != exact and fast.is_dir() and fast.parent == exact.parent
    # Where the fast kernels are exact (VNNI), their features are the exact ones: one folder.
    monkeypatch.setattr(runtime, "int8_dot_products_saturate", lambda: False)
    assert runtime.feature_cache("features", "0123456789abcdef0123") == exact


def _trunk_encoder(folder: Path, trunk: int) -> Path:
    """An encoder folder whose graph is the bundled base encoder's layers above ``trunk``, reading the base's states."""
    onnx = pytest.importorskip("onnx")
    from spinscope.encoder import ENCODER_DIR, fingerprint
    from spinscope.train.onnx_graph import MASK_INDEX, layer_output, top_layers

    folder.mkdir()
    config = json.loads((ENCODER_DIR / "config.json").read_text())
    config["trunk"] = {"encoder": "encoder", "fingerprint": fingerprint(ENCODER_DIR), "layers": trunk,
                       "states": layer_output(trunk - 1), "mask_index": MASK_INDEX}
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "tokenizer.json").write_bytes((ENCODER_DIR / "tokenizer.json").read_bytes())
    onnx.save(top_layers(onnx.load(str(ENCODER_DIR / "model.int8.onnx")), trunk), str(folder / "model.int8.onnx"))
    return folder


def test_an_encoder_on_a_trunk_computes_what_the_whole_graph_does_alone_and_shared(tmp_path: Path) -> None:
    # The base encoder's own top layers over its bottom ones are the base encoder: the cut and both
    # ways of running it (alone, or as a branch of the base encoder's pass) must give its states exactly.
    from spinscope.encoder import ENCODER_DIR

    top = Encoder(_trunk_encoder(tmp_path / "top", 3))
    base = Encoder(ENCODER_DIR)
    texts = [*SENTENCES, " ".join(SENTENCES * 12)]  # a long text too: several windows
    groups = [0, 0, 0, 1, 1, 1, 1, 2]
    whole = base.encode(texts, groups=groups)
    alone = top.encode(texts, groups=groups)
    assert base.share_trunk(top)
    ours, shared = base.encode_shared(texts, groups=groups)
    for a, b, c, d in zip(whole, alone, ours, shared, strict=True):
        assert np.array_equal(a.states, b.states) and np.array_equal(a.states, d.states) and np.array_equal(a.states, c.states)
    assert top.fingerprint != base.fingerprint


def test_an_encoder_cut_after_a_layer_gives_that_layers_states(tmp_path: Path) -> None:
    # A top over a trunk of 2, cut to 5 layers (``spinscope train multitask --export-layers 5``), computes
    # what the whole base graph computes at its layer 4, bit for bit.
    from spinscope.encoder import ENCODER_DIR
    from spinscope.train.multitask import cut_export
    from spinscope.train.onnx_graph import layer_output

    folder = _trunk_encoder(tmp_path / "top", 2)
    cut_export(folder, 5)
    assert json.loads((folder / "config.json").read_text())["export_layers"] == 5
    base = Encoder(ENCODER_DIR)
    assert base.share_trunk(cut := Encoder(folder))
    text = SENTENCES[0]
    ids = base.tokenizer_.encode(text).ids  # with [CLS] and [SEP], as one batch of one
    feeds = {"input_ids": np.asarray([ids], dtype=np.int64), "attention_mask": np.ones((1, len(ids)), dtype=np.int64)}
    (layer4,) = base.session_.run([layer_output(4)], feeds)
    for encoded in (cut.encode([text])[0], base.encode_shared([text])[1][0]):
        assert np.array_equal(encoded.states, layer4[0, 1:-1])
    with pytest.raises(ValueError, match="trunk"):
        cut_export(folder, 2)


def test_the_pipeline_runs_a_branch_encoder_in_its_trunks_pass(tmp_path: Path) -> None:
    from spinscope.components.encoder import EncoderComponent, share_trunks

    base = EncoderComponent()
    branch = EncoderComponent(_trunk_encoder(tmp_path / "top", 2))
    share_trunks([base, branch])
    assert base.branches_ == [branch]
    docs = [Document(text=t, paragraphs=[Paragraph(0, len(t))]) for t in SENTENCES[:3]]
    base.set_annotations(docs, base.predict(docs))
    assert all({"encoder", "top"} <= set(doc.cache) for doc in docs)
    assert branch.predict(docs) is None  # already computed: the second component does nothing
    alone = EncoderComponent(tmp_path / "top").predict(docs)["top"]
    for doc, paragraphs in zip(docs, alone, strict=True):
        assert np.array_equal(doc.cache["top"]["paragraphs"][0].states, paragraphs[0].states)


def test_an_encoder_refuses_a_trunk_that_changed_since_it_was_exported(tmp_path: Path) -> None:
    folder = _trunk_encoder(tmp_path / "top", 3)
    config = json.loads((folder / "config.json").read_text())
    config["trunk"]["fingerprint"] = "0123456789abcdef"
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelNotFound, match="re-export"):
        Encoder(folder)
