"""Plain text, bytes and paths into a Document: cleaning, encodings, the title layout, the language check."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from spinscope.document import Source
from spinscope.errors import (
    BinaryInput,
    EmptyInput,
    InputNotFound,
    InputTooLarge,
    UndecodableInput,
    UnknownLanguage,
    URLRefused,
)
from spinscope.ingest import from_bytes, from_text, read
from spinscope.ingest.language import check_english, english_share, latin_share
from spinscope.ingest.text import MAX_BYTES, clean, looks_like_html, sniff_binary

FIXTURES = Path(__file__).parent / "fixtures"
LANG = FIXTURES / "lang"
ARTICLE = (LANG / "en_news.txt").read_text(encoding="utf-8")


def assert_offsets_inside(doc) -> None:
    for span in [*doc.paragraphs, *doc.links, *doc.sentences]:
        assert 0 <= span.start <= span.end <= len(doc.text)
    for w in doc.warnings:
        if w.start is not None:
            assert 0 <= w.start <= w.end <= len(doc.text)


def test_plain_text_becomes_a_document() -> None:
    doc = from_text(ARTICLE)
    assert doc.source.kind == "text"
    assert doc.paragraphs
    assert "bus lanes" in doc.text
    assert_offsets_inside(doc)


def test_clean_normalises_newlines_and_drops_control_characters() -> None:
    assert clean("\ufeffa\r\nb\rc\x00d\x07e\tf\x0cg") == "a\nb\ncde\tf\ng"
    assert clean("lone \ud800 surrogate") == "lone  surrogate"


def test_from_text_strips_bom_nul_and_crlf() -> None:
    doc = from_text("\ufeff" + ARTICLE.replace("\n", "\r\n").replace("council", "coun\x00cil"))
    assert "\r" not in doc.text and "\x00" not in doc.text and "\ufeff" not in doc.text
    assert "city council voted" in doc.text


def test_semeval_layout_title_is_read_and_kept_as_first_paragraph() -> None:
    doc = read(str(FIXTURES / "text" / "semeval_layout.txt"))
    title = "Council delays bus lanes after shop owners protest"
    assert doc.source.title == title
    assert doc.paragraph_texts()[0] == title
    assert doc.text.startswith(title + "\n\n")
    assert doc.source.path is not None and doc.source.path.endswith("semeval_layout.txt")
    assert_offsets_inside(doc)


def test_warnings_from_repair_are_shifted_past_the_title(monkeypatch: pytest.MonkeyPatch) -> None:
    from spinscope.document import Notice, Span
    from spinscope.ingest import text as text_module
    from spinscope.ingest.repair import Rebuilt

    def fake_rebuild(raw: str) -> Rebuilt:
        return Rebuilt(raw.strip(), [Span(0, len(raw.strip()))], [Notice("missing-words", "hole", 4, 9)])

    monkeypatch.setattr(text_module, "rebuild", fake_rebuild)
    doc = from_text("A title\n\nThe body text here.")
    assert doc.paragraph_texts() == ["A title", "The body text here."]
    (warning,) = doc.warnings
    assert doc.text[warning.start : warning.end] == "body "


def test_a_one_line_lede_ending_in_a_full_stop_is_not_a_title() -> None:
    doc = from_text("The council voted on Tuesday to delay the new bus lanes.\n\nShop owners had complained.")
    assert doc.source.title is None
    assert from_text("A Tagline Voice.\n\nThe body.").source.title == "A Tagline Voice."


def test_no_title_without_the_layout() -> None:
    doc = read(str(FIXTURES / "text" / "no_title.txt"))
    assert doc.source.title is None
    assert doc.text.startswith("First line of a plain note")


def test_given_source_is_not_mutated() -> None:
    given = Source(kind="text", path="x.txt")
    doc = from_text("A headline\n\nAnd a body.", source=given)
    assert doc.source.title == "A headline" and given.title is None


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \r\n", "\x00\x00", "\ufeff"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(EmptyInput):
        from_text(text)


def test_bytes_utf8_with_bom() -> None:
    doc = from_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())
    assert doc.text.startswith("The city council")


def test_bytes_utf16_with_bom() -> None:
    doc = from_bytes(ARTICLE.encode("utf-16"))
    assert doc.text.startswith("The city council")


def test_bytes_latin1_is_detected() -> None:
    text = (
        "The café on the corner of the rue Saint-Honoré reopened on Monday, and its owner, José Núñez, "
        "said the façade would be finished before the crème brûlée season, which regulars say is the best "
        "time of the year to visit. He thanked his neighbours for their patience during the long works."
    )
    doc = from_bytes(text.encode("latin-1"))
    assert "café" in doc.text and "José Núñez" in doc.text and "façade" in doc.text


def test_bytes_cp1252_quotes_are_detected() -> None:
    text = "\u201cWe will not back down,\u201d she said \u2013 and the crowd cheered for the minister\u2019s plan."
    doc = from_bytes(text.encode("cp1252"))
    assert "\u201cWe will not back down,\u201d" in doc.text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (b"hello\x00world", "NUL"),
    ],
)
def test_binary_bytes_are_refused_naming_the_format(data: bytes, kind: str) -> None:
    with pytest.raises(BinaryInput, match=kind):
        from_bytes(data)


def test_sniff_binary_lets_text_through() -> None:
    assert sniff_binary(ARTICLE.encode()) is None


def test_random_8bit_noise_is_not_text() -> None:
    rng = random.Random(7)
    noise = bytes(rng.randrange(1, 256) for _ in range(4000))
    with pytest.raises((BinaryInput, UndecodableInput)):
        from_bytes(noise)


def test_too_large_bytes_are_refused() -> None:
    with pytest.raises(InputTooLarge, match="5 MB"):
        from_bytes(b"a" * (MAX_BYTES + 1))


def test_html_is_sniffed_from_bytes() -> None:
    html = b"<!DOCTYPE html><html><body><p>The old bridge is closed until Friday.</p></body></html>"
    doc = from_bytes(html)
    assert doc.source.kind == "html"
    assert doc.text == "The old bridge is closed until Friday."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!doctype html><p>x</p>", True),
        ("  \n<html><body>x</body></html>", True),
        ("<p>A fragment.</p>", True),
        ("Writers sometimes quote <script>alert(1)</script> in articles.", False),
        ("<3 this article", False),
    ],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


def test_read_path_stdin_and_refusals(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert read(str(path)).source.path == str(path)
    assert read("-", stdin=io.BytesIO(ARTICLE.encode())).text.startswith("The city council")
    with pytest.raises(InputNotFound, match="does not exist"):
        read(str(tmp_path / "missing.txt"))
    with pytest.raises(InputNotFound, match="directory"):
        read(str(tmp_path))
    for url in ("file:///etc/passwd", "ftp://example.org/a.txt", "javascript:alert(1)", "data:text/plain,hi"):
        with pytest.raises(URLRefused):
            read(url)


def test_read_refuses_a_large_file_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:  # a sparse file: the size check must not read it
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(InputTooLarge):
        read(str(path))


def test_read_caps_stdin() -> None:
    with pytest.raises(InputTooLarge):
        read("-", stdin=io.BytesIO(b"a " * (MAX_BYTES // 2 + 1)))


def test_read_a_file_whose_name_looks_like_a_scheme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes:1.txt").write_text(ARTICLE, encoding="utf-8")
    assert read("notes:1.txt").text.startswith("The city council")


# Language: thresholds were chosen on these hand-written texts, so they must all stay on the right side.
@pytest.mark.parametrize("name", ["en_news", "en_oped", "en_terse", "en_quotes_fr"])
def test_english_texts_pass(name: str) -> None:
    check_english((LANG / f"{name}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["fr", "de", "es", "it", "nl", "ru", "zh"])
def test_other_languages_are_refused(name: str) -> None:
    with pytest.raises(UnknownLanguage, match="English"):
        from_text((LANG / f"{name}.txt").read_text(encoding="utf-8"))


def test_short_latin_texts_are_never_refused_for_language() -> None:
    check_english("Bonjour à tous, merci beaucoup.")


def test_a_short_text_in_another_script_is_refused() -> None:
    # Too few words for the stop-word share, but twenty letters show the script.
    with pytest.raises(UnknownLanguage, match="Latin"):
        from_text("Война продолжается уже третий год.")
    check_english("Война")  # a word or two in another script (a quoted name) is not judged


@pytest.mark.parametrize("text", ["🙂🙂 🚀", "!!! ??? ... ---", "1 2 3 4 5"])
def test_text_without_a_letter_is_refused_as_empty(text: str) -> None:
    with pytest.raises(EmptyInput, match="no words"):
        from_text(text)


def test_language_shares() -> None:
    assert english_share("") == 0.0
    assert english_share("the cat and the dog") == pytest.approx(0.6)
    assert latin_share("абв abc") == pytest.approx(0.5)
    assert latin_share("1234") == 1.0


def test_paragraph_language_keeps_headlines_and_drops_foreign_paragraphs() -> None:
    from spinscope.ingest.language import paragraph_is_english

    assert paragraph_is_english("Shapps Says UK Facing Pre-War World and Can't Risk Cutting Defence Spending")
    assert paragraph_is_english("City beat United 3-1 on Saturday")
    folder = Path(__file__).parent / "fixtures" / "lang"
    for path in sorted(folder.glob("*.txt")):
        paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 20]
        kept = [paragraph_is_english(p) for p in paragraphs]
        if path.stem.startswith("en"):
            assert all(kept), path.name
        else:
            assert not any(kept), path.name


def test_a_text_longer_than_an_article_can_be_is_refused() -> None:
    from spinscope.ingest.text import MAX_CHARS

    words = "The council met again on Monday and said nothing new. "
    with pytest.raises(InputTooLarge, match="million characters"):
        from_text(words * (MAX_CHARS // len(words) + 1))


def test_a_text_of_too_many_word_pieces_is_refused_under_the_character_limit() -> None:
    """Memory grows with word pieces: figures cut into several pieces each, so a text of them is
    refused well under the character limit, while prose of the same length is read."""
    from spinscope.encoder import count_word_pieces
    from spinscope.ingest.text import MAX_CHARS, MAX_WORD_PIECES

    dense = "The council paid 1234567 and 7654321 on Monday. "
    text = dense * (MAX_WORD_PIECES // count_word_pieces(dense) + 1)
    assert len(text) < MAX_CHARS
    with pytest.raises(InputTooLarge, match="word pieces"):
        from_text(text)
    prose = "The council met again on Monday and said nothing new. "
    from_text(prose * (len(text) // len(prose)))  # as many characters, fewer pieces: read
