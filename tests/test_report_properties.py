"""Random documents through every writer: valid JSON, safe HTML that keeps the text, 80-column terminal."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinscope.document import Document, Entity, Finding, Label, Notice, Paragraph, Span
from spinscope.report import render
from test_report_html import Page, _assert_safe

TECHNIQUES = ["Loaded_Language", "Doubt", "Repetition", "Made_Up_Label"]
ALPHABET = st.characters(categories=["L", "N", "P", "S", "Zs"]) | st.sampled_from(list("<>&\"' \n/="))


@st.composite
def documents(draw: st.DrawFn) -> Document:
    text = draw(st.text(ALPHABET, min_size=1, max_size=120))
    n = len(text)
    cuts = sorted(set(draw(st.lists(st.integers(0, n), max_size=4))) | {0, n})
    paragraphs = [Paragraph(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]

    def span() -> tuple[int, int]:
        a = draw(st.integers(0, n))
        return a, draw(st.integers(a, n))

    findings = []
    for _ in range(draw(st.integers(0, 6))):
        a, b = span()
        task = draw(st.sampled_from(["persuasion", "claim", "narrative"]))
        findings.append(Finding(a, b, task, draw(st.sampled_from(TECHNIQUES)), draw(st.floats(0, 1))))
    warnings = []
    for _ in range(draw(st.integers(0, 2))):
        a, b = span()
        warnings.append(Notice("missing-words", "Lost words.", a, draw(st.sampled_from([a, b]))))
    entities = [Entity("Someone", "PERSON", [Span(*span()) for _ in range(draw(st.integers(1, 3)))])]
    labels = {"frames": [Label("Economic", draw(st.floats(0, 1)))]} if draw(st.booleans()) else {}
    return Document(
        text, paragraphs=paragraphs, findings=findings, warnings=warnings, entities=entities, labels=labels
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_documents_render_everywhere(valid_report, doc: Document) -> None:
    report = valid_report(render(doc, "json"))
    html = render(doc, "html")
    page = Page(html)
    _assert_safe(page, html)
    assert json.loads(page.scripts[0][1]) == report
    for n, p in enumerate(report["paragraphs"], start=1):
        assert page.paragraphs.get(f"p{n}", "") == doc.text[p["start"] : p["end"]]
    out = render(doc, "terminal")
    assert "\x1b" not in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert render(doc, "md")
