"""The genre head's v2 cues: paragraph shares and rates on small hand-written articles."""

from __future__ import annotations

import numpy as np
import pytest

from spinscope.document import Document, Paragraph
from spinscope.features import GENRE_CUE_NAMES, genre_cues


def _doc(*paragraphs: str) -> Document:
    text = "\n".join(paragraphs)
    spans, start = [], 0
    for p in paragraphs:
        spans.append(Paragraph(start, start + len(p)))
        start += len(p) + 1
    return Document(text, paragraphs=spans)


def _cue(doc: Document, name: str) -> float:
    return float(genre_cues(doc)[GENRE_CUE_NAMES.index(name)])


REPORT = _doc(
    "Harbour reopens after storms",
    "PORTSMOUTH (Reuters) - The harbour reopened on Monday, the port authority said.",
    "\u201cWe warned them in March,\u201d one fisherman told reporters. Losses reached 12 %.",
    "According to the mayor, an inquiry will start in 2024.",
)
OPINION = _doc(
    "Why I will never trust the port authority again",
    "I have lived here all my life. Do you really believe them? I don't!",
    "We deserve better; our town deserves better.",
)


def test_one_value_per_name_and_finite() -> None:
    for doc in (REPORT, OPINION):
        row = genre_cues(doc)
        assert row.shape == (len(GENRE_CUE_NAMES),) and row.dtype == np.float32
        assert np.isfinite(row).all()


def test_reporting_cues() -> None:
    assert _cue(REPORT, "attribution_paragraph_share") == pytest.approx(3 / 4)  # said, told, according to
    assert _cue(REPORT, "quote_paragraph_share") == pytest.approx(1 / 4)
    assert _cue(REPORT, "quote_start_paragraph_share") == pytest.approx(1 / 3)  # body paragraphs only
    assert _cue(REPORT, "dateline") == 1.0
    assert _cue(REPORT, "year_rate") > 0 and _cue(REPORT, "percent_rate") > 0
    assert _cue(REPORT, "lead_attribution") == 1.0
    assert _cue(OPINION, "dateline") == 0.0 and _cue(OPINION, "attribution_rate") == 0.0


def test_opinion_cues() -> None:
    assert _cue(OPINION, "first_singular_rate") > _cue(REPORT, "first_singular_rate")
    assert _cue(OPINION, "first_plural_rate") > 0 and _cue(OPINION, "second_person_rate") > 0
    assert _cue(OPINION, "question_paragraph_share") == pytest.approx(1 / 3)
    assert _cue(OPINION, "exclamation_rate") > 0 and _cue(OPINION, "semicolon_rate") > 0


def test_other_languages_lexicons() -> None:
    fr = _doc("Titre", "Selon le ministre, la réforme a déclaré des gagnants.", "Je pense que nous avons tort.")
    ru = _doc("Заголовок", "Министр заявил, что реформа начнётся.", "Я думаю, что мы ошибаемся.")
    for doc in (fr, ru):
        assert _cue(doc, "attribution_paragraph_share") == pytest.approx(1 / 3)
        assert _cue(doc, "first_singular_rate") > 0 and _cue(doc, "first_plural_rate") > 0


def test_document_without_paragraphs_is_one_paragraph() -> None:
    doc = Document("A document someone built by hand, with no paragraphs at all.")
    row = genre_cues(doc)
    assert np.isfinite(row).all() and row[GENRE_CUE_NAMES.index("log_paragraphs")] == 0.0


def test_per_language_standardise() -> None:
    pytest.importorskip("sklearn", reason="training code needs the [train] extra")
    from spinscope.train.genre import per_language_standardise

    x = np.array([[1.0, 5.0], [3.0, 5.0], [10.0, 0.0], [30.0, 2.0]])
    lang = np.array(["en", "en", "fr", "fr"])
    z, stats = per_language_standardise(x, lang)
    assert np.allclose(z[:, 0], [-1, 1, -1, 1])
    assert np.allclose(z[:2, 1], 0)  # a constant column stays finite
    assert np.allclose(stats["en"][0], [2.0, 5.0])
