"""HTML to a Document with trafilatura: the article's paragraphs, its links as spans, its metadata."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from configparser import ConfigParser
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from ..document import Document, Link, Paragraph, Source
from ..errors import NoArticleText
from .chrome import PageChrome, byline, dateline, is_label
from .language import check_english
from .text import check_size, clean

# Elements of trafilatura's output that run inside a paragraph; every other element starts a new one.
_INLINE = frozenset(
    {"hi", "ref", "del", "lb", "span", "graphic", "emph", "a", "b", "i", "em", "strong", "sub", "sup"}
)
_CELL = "cell"
# Links that cannot be evidence and must never become clickable in a report.
_UNSAFE_HREF = re.compile(r"^\s*(?:javascript|data|vbscript|file):", re.IGNORECASE)
_SPACE_RUN = re.compile(r"\S+")


def from_html(html: str, *, source: Source | None = None) -> Document:
    """A Document from an HTML page: main text by trafilatura, paragraphs, links kept, metadata read."""
    source = replace(source) if source is not None else Source()
    source.kind = "html"
    html = clean(html)
    extracted = _extract(html, base_url=source.url)
    if extracted is None:
        raise NoArticleText(
            "the HTML holds no article text that could be extracted (it may be empty, broken or only scripts)."
        )
    body, meta = extracted
    text, paragraphs, links, dropped, read_off = _flatten(body, base_url=source.url)
    # Broken markup can leave stray "<" and ">" as text; an article has at least one word (a letter).
    if not re.search(r"[^\W\d_]", text):
        raise NoArticleText("the HTML holds no article text that could be extracted (it may be broken).")
    check_size(text)
    check_english(text)
    source.title = meta.get("title") or source.title
    source.author = meta.get("author") or read_off.get("author") or source.author
    source.published = meta.get("date") or read_off.get("date") or source.published
    source.outlet = meta.get("sitename") or source.outlet
    chrome = PageChrome("", dropped, author=read_off.get("author"), published=read_off.get("date"))
    warnings = [chrome.notice()] if dropped else []
    return Document(text=text, source=source, paragraphs=paragraphs, links=links, warnings=warnings)


def _extract(html: str, *, base_url: str | None) -> tuple[Any, dict[str, str | None]] | None:
    """Run trafilatura with its defaults, then with recall settings for short pages; None if nothing."""
    if not html.strip():
        return None
    # trafilatura rejects a lone fragment such as "<p>…</p>" as not-quite-HTML, so give it a page.
    has_page = re.search(r"<(?:html|body)\b", html[:4096], re.IGNORECASE)
    wrapped = html if has_page else f"<html><body>{html}</body></html>"
    attempts: list[dict[str, Any]] = [
        {},
        {"favor_recall": True},
        {"favor_recall": True, "config": _short_page_config()},
    ]
    for options in attempts:
        result = _bare_extraction(wrapped, base_url=base_url, **options)
        if result is None or result.body is None:
            continue
        if any(t.strip() for t in result.body.itertext()):
            meta = {key: getattr(result, key, None) for key in ("title", "author", "date", "sitename")}
            return result.body, meta
    return None


def _bare_extraction(html: str, *, base_url: str | None, **options: Any) -> Any:
    import trafilatura
    from lxml.etree import LxmlError

    try:
        return trafilatura.bare_extraction(
            html,
            url=base_url,
            include_links=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            with_metadata=True,
            **options,
        )
    except (LxmlError, ValueError, TypeError, AssertionError, RecursionError):
        # Pathological markup (deep nesting, invalid XML characters) that lxml cannot build a tree from.
        return None


@lru_cache(maxsize=1)
def _short_page_config() -> ConfigParser:
    from trafilatura.settings import use_config

    # The default wants 250 characters of main text before trusting it; a short news brief has less.
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "10")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    return config


@dataclass
class _Paragraph:
    """One paragraph being collected: raw text pieces and link marks in raw offsets."""

    pieces: list[str] = field(default_factory=list)
    size: int = 0
    links: list[tuple[int, int, str]] = field(default_factory=list)
    separator: str = ""  # goes in before the next words (between table cells), never at the end

    def add(self, text: str | None) -> None:
        if not text:
            return
        if self.separator and not text.isspace():
            self.pieces.append(self.separator)
            self.size += len(self.separator)
            self.separator = ""
        self.pieces.append(text)
        self.size += len(text)


def _flatten(
    body: Any, *, base_url: str | None
) -> tuple[str, list[Paragraph], list[Link], list[str], dict[str, str]]:
    """Walk trafilatura's element tree into text, paragraphs and links with exact offsets.

    Paragraphs that are page chrome trafilatura kept (an ad slot's "Advertisement", a "Related: …"
    link, a byline or dateline above the article) are left out and returned, with what a byline and
    a dateline said (``author``, ``date``).
    """
    from lxml import etree

    out: list[str] = []
    offset = 0
    paragraphs: list[Paragraph] = []
    links: list[Link] = []
    dropped: list[str] = []
    read_off: dict[str, str] = {}  # the byline's author and the dateline's date, when the page prints them
    current = _Paragraph()
    open_refs: list[tuple[int, str]] = []
    body_started = False

    def flush() -> None:
        nonlocal current, offset, body_started
        text, marks = _squeeze("".join(current.pieces), current.links)
        current = _Paragraph()
        if not text:
            return
        if is_label(text):
            dropped.append(text)
            return
        # Above the article's first sentence a byline or a dateline is the page's, not the article's.
        if not body_started:
            for key, read in (("author", byline), ("date", dateline)):
                if key not in read_off and (value := read(text)) is not None:
                    read_off[key] = value
                    dropped.append(text)
                    return
        body_started = body_started or len(text.split()) >= 8
        if out:
            out.append("\n\n")
            offset += 2
        out.append(text)
        paragraphs.append(Paragraph(offset, offset + len(text)))
        links.extend(Link(offset + s, offset + e, href) for s, e, href in marks)
        offset += len(text)

    for event, element in etree.iterwalk(body, events=("start", "end")):
        # Comments and processing instructions have no string tag and carry no article text.
        tag = element.tag if isinstance(element.tag, str) else None
        block = tag is not None and tag not in _INLINE and tag != _CELL
        if event == "start":
            if block:
                flush()
            elif tag == _CELL and current.size:
                current.separator = " | "
            elif tag == "lb":
                current.add(" ")
            if tag == "ref":
                # A pending cell separator goes in before the anchor's words, not inside its span.
                start = current.size + len(current.separator)
                open_refs.append((start, (element.get("target") or "").strip()))
            if tag is not None:
                current.add(element.text)
        else:
            if tag == "ref" and open_refs:
                start, href = open_refs.pop()
                if href and not _UNSAFE_HREF.match(href):
                    current.links.append((start, current.size, _absolute(href, base_url)))
            if block:
                flush()
            if element is not body:
                current.add(element.tail)
    flush()
    return "".join(out), paragraphs, links, dropped, read_off


def _absolute(href: str, base_url: str | None) -> str:
    if not base_url:
        return href
    try:
        return urljoin(base_url, href)
    except ValueError:  # a malformed href (bad IPv6 literal, …) stays as the page wrote it
        return href


def _squeeze(raw: str, marks: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Collapse whitespace runs to one space and trim; move link marks onto the anchor's first/last word."""
    runs = [(m.start(), m.end()) for m in _SPACE_RUN.finditer(raw)]
    if not runs:
        return "", []
    starts = [s for s, _ in runs]
    positions: list[int] = []
    pos = 0
    for s, e in runs:
        positions.append(pos)
        pos += e - s + 1
    text = " ".join(raw[s:e] for s, e in runs)

    def forward(r: int) -> int:
        # Output offset of the first non-space raw character at index >= r.
        k = bisect_right(starts, r) - 1
        if k >= 0 and runs[k][1] > r:
            return positions[k] + r - runs[k][0]
        return positions[k + 1] if k + 1 < len(runs) else len(text)

    def backward(r: int) -> int:
        # Output offset just after the last non-space raw character at index < r.
        k = bisect_left(starts, r) - 1
        if k < 0:
            return 0
        s, e = runs[k]
        return positions[k] + min(e, r) - s

    moved = []
    for start, end, href in marks:
        a, b = forward(start), backward(end)
        if a < b:  # an anchor with no words (an image link) has no span to mark
            moved.append((a, b, href))
    return text, moved
