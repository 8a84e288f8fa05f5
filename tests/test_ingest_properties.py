"""Property tests: random text, bytes and HTML through ingest -> sentences -> every report format raise
only SpinscopeError (and only from ingest), and every offset stays inside the text."""

from __future__ import annotations

import json
from functools import cache

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import spinscope
from conftest import check_report
from spinscope.document import Document
from spinscope.errors import SpinscopeError
from spinscope.ingest import from_bytes, from_html, from_text
from spinscope.pipeline import Pipeline
from spinscope.report import FORMATS, render

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from(
    [
        "the",
        "minister",
        "said",
        "that",
        "it",
        "was",
        "a",
        "plan",
        "of",
        "in",
        "U.S.",
        "—",
        "\u00e9t\u00e9",
        "and",
        "not",
        "\u041c\u043e\u0441\u043a\u0432\u0430",
        "\u4e2d\u6587",
        "&amp;",
        "<",
        ">",
        "&",
        '"',
        "'",
    ]
)
SEPARATORS = st.sampled_from([" ", " ", " ", "\n", "\n\n", "\r\n", "\t", "\x00", "\u2029", "  \n \n"])
WORDY_TEXT = st.lists(st.tuples(WORDS, SEPARATORS), max_size=80).map(
    lambda pairs: "".join(a + b for a, b in pairs)
)
TEXT = st.one_of(st.text(max_size=400), WORDY_TEXT)

TAGS = st.sampled_from(
    [
        "p",
        "div",
        "span",
        "a",
        "b",
        "i",
        "h1",
        "h2",
        "li",
        "ul",
        "blockquote",
        "table",
        "tr",
        "td",
        "br",
        "script",
        "style",
        "article",
        "main",
        "nav",
        "pre",
        "code",
        "img",
        "section",
    ]
)
ATTRS = st.sampled_from(
    [
        "",
        ' href="/x"',
        ' href="https://e.org/a b"',
        ' href="javascript:alert(1)"',
        ' class="content"',
        ' onerror="alert(1)"',
        ' href=""',
        " src=x",
    ]
)
HREFS = [
    "/a",
    "https://e.org/x?y=1&amp;z=2",
    "http://[bad",
    "javascript:void(0)",
    "#top",
    " /spaced ",
    "mailto:x@y",
]


@st.composite
def html_trees(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 5))
        if choice == 0:  # links are what offsets most easily get wrong, so make plenty
            parts.append(f'<a href="{draw(st.sampled_from(HREFS))}">{draw(TEXT)}</a>')
        elif depth < 4 and choice >= 3:
            tag = draw(TAGS)
            inner = draw(html_trees(depth + 1))
            close = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # sometimes left open
            parts.append(f"<{tag}{draw(ATTRS)}>{inner}{close}")
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


PAGES = st.one_of(
    html_trees().map(
        lambda body: f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"
    ),
    html_trees(),
    st.text(max_size=300),
)


def assert_offsets_inside(doc: Document) -> None:
    n = len(doc.text)
    assert doc.text.strip()
    for span in [*doc.paragraphs, *doc.links, *doc.sentences]:
        assert 0 <= span.start <= span.end <= n, span
    for link in doc.links:
        text = doc.span_text(link)
        assert text and text == text.strip(), link
    for warning in doc.warnings:
        assert (warning.start is None) == (warning.end is None)
        if warning.start is not None:
            assert 0 <= warning.start <= warning.end <= n, warning
    assert "\x00" not in doc.text and "\r" not in doc.text


@cache
def sentences() -> Pipeline:
    # Only the sentence splitter: reports need sentences, and the models would make each example slow.
    return spinscope.load(["spinscope.sentences.v1"])


def run(make, value) -> None:  # noqa: ANN001 (any ingest function and its input)
    try:
        doc = make(value)
    except SpinscopeError as err:
        event(f"refused: {err.code}")  # see them with --hypothesis-show-statistics
        return  # the documented way to refuse input; past ingest, nothing may raise at all
    event("reported")
    assert_offsets_inside(doc)
    sentences()(doc)
    assert_offsets_inside(doc)
    # render() validates the report against schema v1, offsets included, before writing it.
    reports = {fmt: render(doc, fmt) for fmt in FORMATS}
    assert all(out.strip() for out in reports.values())
    assert check_report(json.loads(reports["json"]))["text"] == doc.text


@SETTINGS
@given(TEXT)
def test_random_text(text: str) -> None:
    run(from_text, text)


@SETTINGS
@given(st.one_of(st.binary(max_size=400), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_random_bytes(data: bytes) -> None:
    run(from_bytes, data)


@SETTINGS
@given(PAGES)
def test_random_html(html: str) -> None:
    run(from_html, html)


@SETTINGS
@given(PAGES)
def test_random_html_as_bytes(html: str) -> None:
    run(from_bytes, html.encode("utf-8", "surrogatepass"))
