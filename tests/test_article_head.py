"""The article-level heads (genre, frames) read the encoder pass their meta.json names."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from spinscope.components.frames import Frames
from spinscope.document import Document, Paragraph
from spinscope.runtime import MODELS_DIR


def _frames_model(tmp_path: Path, **meta_changes: object) -> Path:
    folder = tmp_path / "frames"
    folder.mkdir()
    (folder / "head.npz").write_bytes((MODELS_DIR / "frames" / "head.npz").read_bytes())
    meta = json.loads((MODELS_DIR / "frames" / "meta.json").read_text())
    meta.update(meta_changes)
    meta = {k: v for k, v in meta.items() if v is not None}
    (folder / "meta.json").write_text(json.dumps(meta))
    return folder


def _doc(**articles: np.ndarray) -> Document:
    text = "The court ruled on the sanctions."
    doc = Document(text=text, paragraphs=[Paragraph(0, len(text))])
    for key, vec in articles.items():
        doc.cache[key] = {"paragraphs": [], "article": vec, "model": key}
    return doc


def test_frames_reads_the_pass_its_meta_names(tmp_path: Path) -> None:
    head = Frames(_frames_model(tmp_path, encoder="encoder-multitask"))
    assert head.encoder_key_ == "encoder-multitask"
    rng = np.random.default_rng(0)
    a, b = (v / np.linalg.norm(v) for v in rng.normal(size=(2, 384)).astype(np.float32))
    doc = _doc(encoder=a, **{"encoder-multitask": b})
    assert np.array_equal(head.features(doc), b)
    with pytest.raises(KeyError, match="spinscope.encoder-multitask.v1"):
        head.predict([_doc(encoder=a)])


def test_a_head_whose_meta_names_no_encoder_reads_models_encoder(tmp_path: Path) -> None:
    head = Frames(_frames_model(tmp_path, encoder=None))
    vec = np.full(384, 0.05, dtype=np.float32)
    assert head.encoder_key_ == "encoder" and np.array_equal(head.features(_doc(encoder=vec)), vec)


def test_bundled_frames_head_runs_in_the_default_pipeline() -> None:
    from spinscope.pipeline import build

    nlp = build(["spinscope.encoder.v1", "spinscope.encoder-multitask.v1", "spinscope.frames.v1"])
    text = "Parliament voted on the sanctions bill.\n\nThe court will rule on its legality next week."
    doc = nlp(Document(text=text, paragraphs=[Paragraph(0, 39), Paragraph(41, len(text))]))
    assert doc.models["frames"].name == "spinscope-frames"
    assert all(0.0 <= lab.score <= 1.0 for lab in doc.labels.get("frames", []))


def test_a_text_too_short_for_article_labels_gets_one_warning_and_no_article_labels() -> None:
    import spinscope
    from spinscope.components.article_head import MIN_ARTICLE_WORDS

    short = spinscope.analyze("The minister said prices rose because of the war in Ukraine.")
    assert not {"genre", "frames", "narratives"} & set(short.labels)
    assert [w.code for w in short.warnings].count("too-short") == 1
    assert any(f.task == "claim" for f in short.findings)  # sentence-level findings stay
    words = ("Parliament voted on the sanctions bill today, and the court will rule on its legality next week. " * 4).split()
    assert len(words) >= MIN_ARTICLE_WORDS
    long_enough = spinscope.analyze(" ".join(words))
    assert "genre" in long_enough.labels and not any(w.code == "too-short" for w in long_enough.warnings)
