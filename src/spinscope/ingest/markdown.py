"""Markdown to a Document: rendered to HTML by markdown-it-py, then read as any web page.

Read-later apps, note tools and converters (trafilatura's own ``--markdown``, chat assistants) save
articles as Markdown. Read as plain text, "[Mike Johnson](https://…)" lost its link (no evidence for
the claim around it), "# Title" and "**" stayed in the words, and the byline became an actor. Rendered
to HTML, the HTML path gives the links as spans, the headline as the title and the paragraphs as
written.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..document import Document, Source

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_LINK = re.compile(r"\[[^\]\n]{1,300}\]\((?:https?://|/|#|mailto:)[^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_CUES = (
    re.compile(r"\*\*[^*\n]{1,200}\*\*|__[^_\n]{1,200}__"),  # strong emphasis
    re.compile(r"^>[ \t]", re.MULTILINE),  # block quote
    re.compile(r"^[ \t]*[-*+][ \t]+\S", re.MULTILINE),  # bullet list
    re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE),  # code fence
)


def looks_like_markdown(text: str) -> bool:
    """Whether plain text is written in Markdown: an inline link, or a heading with another cue.

    One heading alone is not enough ("# 1" in a list of figures), nor is emphasis alone.
    """
    head = text[:20000]
    if _LINK.search(head):
        return True
    return bool(_HEADING.search(head)) and any(cue.search(head) for cue in _CUES)


def from_markdown(text: str, *, source: Source | None = None) -> Document:
    """A Document from Markdown: links kept as spans, the first heading as the title, no markup left."""
    from markdown_it import MarkdownIt

    from .html import from_html

    kind = source.kind if source is not None else "text"
    # CommonMark without raw HTML: an article's own "<script>" stays text, as it would in plain text.
    html = MarkdownIt("commonmark", {"html": False}).render(text)
    doc = from_html(f"<html><body><article>{html}</article></body></html>", source=source)
    # Still a text file to the report (schema v1 knows text, html and url); Markdown is how it was read.
    doc.source = replace(doc.source, kind=kind)
    return doc
