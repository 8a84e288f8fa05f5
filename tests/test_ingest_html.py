"""HTML into a Document: paragraphs, links as exact spans, metadata, and pages with no article."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinscope.document import Source
from spinscope.errors import NoArticleText, UnknownLanguage
from spinscope.ingest import from_html, read

HTML = Path(__file__).parent / "fixtures" / "html"


@pytest.fixture(scope="module")
def article():
    return read(str(HTML / "article.html"))


def test_metadata_goes_into_source(article) -> None:
    source = article.source
    assert source.kind == "html"
    assert source.title == "Minister extends farm subsidy again"
    assert source.author == "Jane Writer"
    assert source.outlet == "The Riverside Courier"
    assert source.published == "2024-03-05"
    assert source.path is not None and source.path.endswith("article.html")


def test_links_are_anchor_spans_with_hrefs(article) -> None:
    got = [(article.span_text(link), link.href) for link in article.links]
    assert got == [
        ("in at least four speeches", "https://example.org/speeches"),
        ("demanded", "/news/demands"),
        ("A recent report", "https://example.org/report"),  # the anchor's line break became one space
        ("April", "/votes/april"),
    ]


def test_paragraphs_are_blocks_separated_by_blank_lines(article) -> None:
    texts = article.paragraph_texts()
    assert texts[0] == "Minister extends farm subsidy again"
    assert "What happens next" in texts
    assert "Parliament votes on the extension in April." in texts
    assert '"We will not back down on this," she told reporters on Monday.' in texts
    assert "\n\n".join(texts) == article.text
    for paragraph in article.paragraphs:
        assert "\n" not in article.span_text(paragraph)
        assert article.span_text(paragraph) == article.span_text(paragraph).strip()


def test_scripts_styles_and_boilerplate_are_dropped(article) -> None:
    for junk in ("tracking", "color: red", "injected by a script", "alert(3)", "Home", "All rights reserved"):
        assert junk not in article.text


def test_escaped_markup_in_the_article_stays_as_text(article) -> None:
    assert "<script>alert(1)</script>" in article.text
    assert "<img src=x onerror=alert(2)>" in article.text


def test_fragment_and_relative_links_resolved_against_the_page_url() -> None:
    doc = from_html(
        '<p>Read <a href="/full">the full <i>report</i></a> and <a href="javascript:alert(1)">this</a>.</p>',
        source=Source(url="https://news.example.org/a/b.html"),
    )
    assert doc.text == "Read the full report and this."
    (link,) = doc.links  # the javascript: link cannot be evidence and is dropped
    assert doc.span_text(link) == "the full report"
    assert link.href == "https://news.example.org/full"


def test_whitespace_around_anchor_text_is_not_part_of_the_span() -> None:
    doc = from_html('<html><body><p>Prices <a href="/x">\n   rose again   \n</a> in May.</p></body></html>')
    assert doc.text == "Prices rose again in May."
    assert [doc.span_text(link) for link in doc.links] == ["rose again"]


def test_table_cells_are_joined_within_a_row() -> None:
    doc = from_html(
        "<html><body><table><tr><td>Region</td><td><a href='/n'>North</a></td></tr>"
        "<tr><td>Votes</td><td></td></tr></table></body></html>"
    )
    assert doc.paragraph_texts() == ["Region | North", "Votes"]
    assert [doc.span_text(link) for link in doc.links] == ["North"]


def test_a_page_with_only_figures_has_no_article_text() -> None:
    with pytest.raises(NoArticleText):
        from_html("<html><body><table><tr><td>1</td><td>2.5</td></tr></table></body></html>")


def test_a_short_brief_is_read() -> None:
    doc = read(str(HTML / "brief.html"))
    assert doc.text == "The old bridge is closed until Friday."
    assert [(doc.span_text(link), link.href) for link in doc.links] == [
        ("closed", "https://example.org/closure")
    ]
    assert doc.source.title == "Bridge closed"


def test_recall_settings_are_tried_when_defaults_find_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    real = trafilatura.bare_extraction
    calls: list[bool] = []

    def picky(*args, **kwargs):
        calls.append(bool(kwargs.get("favor_recall")))
        return real(*args, **kwargs) if kwargs.get("favor_recall") else None

    monkeypatch.setattr(trafilatura, "bare_extraction", picky)
    doc = from_html("<html><body><p>Prices rose again in May.</p></body></html>")
    assert doc.text == "Prices rose again in May."
    assert calls == [False, True]


@pytest.mark.parametrize("name", ["broken.html", "script_only.html"])
def test_pages_without_article_text_are_refused(name: str) -> None:
    with pytest.raises(NoArticleText):
        read(str(HTML / name))


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<script>alert(1)</script>", "<<<>>><//<>"])
def test_empty_markup_is_refused(html: str) -> None:
    with pytest.raises(NoArticleText):
        from_html(html)


def test_a_french_page_is_refused() -> None:
    body = (Path(__file__).parent / "fixtures" / "lang" / "fr.txt").read_text(encoding="utf-8")
    with pytest.raises(UnknownLanguage):
        from_html(f"<html><body><article><p>{body}</p></article></body></html>")


def test_control_characters_in_markup_are_dropped() -> None:
    doc = from_html("<html><body><p>Prices\x00 rose\x07 again\r\nin May.</p></body></html>")
    assert doc.text == "Prices rose again in May."
