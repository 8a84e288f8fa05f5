"""Markdown input: links kept as spans, the heading as the title, the byline as the author, no markup left."""

from __future__ import annotations

from spinscope.document import Source
from spinscope.ingest import from_text
from spinscope.ingest.markdown import looks_like_markdown
from spinscope.ingest.text import document_from_bytes

ARTICLE = """# Why the West Must Not Blink

*By Anna Kowalczyk*

When the war began two years ago, the Kremlin promised a campaign of three days. **Kyiv did not fall.**

Yet in Washington the mood has shifted. Speaker [Mike Johnson](https://example.org/johnson) has delayed
a vote on the aid package for months. According to [the Pentagon](https://www.defense.gov/report),
Ukraine's artillery units are firing fewer than 2,000 shells a day.

> "We are running out of time," a senior Ukrainian commander said.
"""


def test_markdown_is_told_from_plain_text() -> None:
    assert looks_like_markdown(ARTICLE)
    assert looks_like_markdown("## Aid stalls\n\nThe vote was **delayed** again, and the shells ran out.")
    assert not looks_like_markdown("Aid stalls\n\nThe vote was delayed again [sic], and the shells ran out (again).")
    assert not looks_like_markdown("# 1 in the polls\n\nThe party leads with 31 per cent, #Ukraine trends.")


def test_markdown_links_become_spans_and_the_markup_goes() -> None:
    doc = from_text(ARTICLE, source=Source(kind="text", path="op-ed.txt"))
    assert doc.source.kind == "text" and doc.source.title == "Why the West Must Not Blink"
    assert doc.source.author == "Anna Kowalczyk"
    assert [(doc.text[link.start : link.end], link.href) for link in doc.links] == [
        ("Mike Johnson", "https://example.org/johnson"),
        ("the Pentagon", "https://www.defense.gov/report"),
    ]
    assert not any(mark in doc.text for mark in ("**", "](", "# ", "> ", "By Anna"))
    assert "Kyiv did not fall." in doc.text and '"We are running out of time,"' in doc.text


def test_a_markdown_file_is_read_as_markdown_without_cues() -> None:
    text = "Aid stalls in Congress\n\nThe vote on the package was *delayed* again, and the shells are running out."
    doc = document_from_bytes(text.encode(), source=Source(kind="text", path="notes/aid.md"))
    assert "*" not in doc.text and "delayed again" in doc.text
