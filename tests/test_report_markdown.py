"""The Markdown report: sections in order, everything from the article escaped."""

from __future__ import annotations

from conftest import XSS_IMG, XSS_SCRIPT
from spinscope.document import Document, Finding, Paragraph
from spinscope.report import render
from spinscope.report.markdown import md_escape


def test_markdown_sections_in_order(sample_doc: Document) -> None:
    out = render(sample_doc, "md")
    heads = [line for line in out.splitlines() if line.startswith("#")]
    assert heads == [
        "# An op-ed &lt;b&gt;about&lt;/b&gt; Brussels",
        "## Summary",
        "## Labels",
        "## Warnings",
        "## Persuasion",
        "## Actors",
        "## Narratives",
        "## Findings",
        "## Text",
    ]
    assert "- **Frames**: Political (0.80), Economic (0.40)" in out
    assert "- **missing-words**: Words seem to be missing here. (¶2: “She has that the scheme”)" in out
    rows = [line for line in out.splitlines() if line.startswith("| ") and "persuasion" in line]
    assert len(rows) == 4
    assert "| 1 | persuasion | Loaded language | 0.88 | corrupt elite | Charged words: 'corrupt'. |" in out


def test_markdown_escapes_article_text(sample_doc: Document) -> None:
    out = render(sample_doc, "md")
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert md_escape(XSS_SCRIPT) in out and md_escape(XSS_IMG) in out


def test_markdown_table_cells_cannot_break_the_table() -> None:
    text = "A | pipe\nand a newline *here*."
    doc = Document(
        text=text, paragraphs=[Paragraph(0, len(text))], findings=[Finding(0, len(text), "claim", "x|y", 0.5)]
    )
    out = render(doc, "md")
    row = next(line for line in out.splitlines() if line.startswith("| 1 |"))
    assert row.count(" | ") == 5 and "A \\| pipe and a newline \\*here\\*." in row


def test_markdown_without_annotations_has_no_empty_sections() -> None:
    out = render(Document(text="- not a list\n1. not numbered", paragraphs=[Paragraph(0, 28)]), "md")
    for absent in ("## Labels", "## Warnings", "## Findings", "## Actors", "## Narratives", "## Persuasion"):
        assert absent not in out
    assert "\\- not a list  \n1\\. not numbered" in out


def test_md_escape() -> None:
    assert md_escape("<b>*x*</b> & [a](b)") == "&lt;b&gt;\\*x\\*&lt;/b&gt; &amp; \\[a\\]\\(b\\)"
    assert md_escape("# h\n- l\n2. n", lines=True) == "\\# h\n\\- l\n2\\. n"
