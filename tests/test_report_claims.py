"""Claims in every report format: the list, the unsourced mark and the causal chain graph (HTML)."""

from __future__ import annotations

import re

from conftest import XSS_IMG, XSS_SCRIPT, check_report
from spinscope.document import Document, Finding, Link, Paragraph, Span
from spinscope.report import _view as V
from spinscope.report import render, to_report
from spinscope.report.html import render_html

SENTENCES = [
    f"Cutting the subsidy would raise food prices {XSS_SCRIPT}.",
    "Higher food prices would fuel protests in the capital.",
    f"Officials say 40 per cent of the aid was lost {XSS_IMG}.",
    "The ministry reported that exports fell by 3 per cent.",
]


def claims_doc() -> Document:
    text = "\n\n".join(SENTENCES)
    starts = [text.index(s) for s in SENTENCES]
    spans = [Span(a, a + len(s)) for a, s in zip(starts, SENTENCES, strict=True)]

    def at(phrase: str) -> dict[str, int]:
        i = text.index(phrase)
        return {"start": i, "end": i + len(phrase)}

    findings = [
        Finding(spans[0].start, spans[0].end, "claim", "causal", 0.81, {
            "checkworthy": 0.3, "kind": "causal", "source": None, "source_kind": "author", "evidence": [],
            "unsourced": False, "causal": 0.81, "cause": at("Cutting the subsidy"), "effect": at("raise food prices"),
        }),
        Finding(spans[1].start, spans[1].end, "claim", "causal", 0.77, {
            "checkworthy": 0.2, "kind": "causal", "source": None, "source_kind": "author", "evidence": [],
            "unsourced": False, "causal": 0.77, "cause": at("Higher food prices"), "effect": at("fuel protests in the capital"),
        }),
        Finding(spans[2].start, spans[2].end, "claim", "checkworthy", 0.9, {
            "checkworthy": 0.9, "kind": "factual", "source": "Officials", "source_kind": "vague",
            "source_span": at("Officials"), "evidence": [], "unsourced": True,
        }),
        Finding(spans[3].start, spans[3].end, "claim", "checkworthy", 0.7, {
            "checkworthy": 0.7, "kind": "factual", "source": "The ministry", "source_kind": "named",
            "evidence": ["javascript:alert(1)", "https://example.org/exports"], "unsourced": False,
        }),
    ]
    exports = text.index("exports")
    return Document(
        text,
        paragraphs=[Paragraph(s.start, s.end) for s in spans],
        sentences=spans,
        links=[Link(exports, exports + 7, "https://example.org/exports")],
        findings=findings,
    )


def test_view_lists_claims_and_merges_the_chain() -> None:
    view = V.build(check_report(claims_doc()))
    rows = V.claim_rows(view)
    assert [r.unsourced for r in rows] == [False, False, True, False]
    assert rows[0].cause == "Cutting the subsidy" and rows[0].effect == "raise food prices"
    graph = V.causal_graph(view)
    # "raise food prices" and "Higher food prices" are one node: subsidy -> prices -> protests.
    assert [n.text for n in graph.nodes] == ["Cutting the subsidy", "raise food prices", "fuel protests in the capital"]
    assert [(a, b) for a, b, _ in graph.edges] == [(0, 1), (1, 2)]
    assert [n.column for n in graph.nodes] == [0, 1, 2]


def test_html_draws_the_chain_and_escapes_everything() -> None:
    page = render_html(check_report(claims_doc()))
    assert '<section id="claims">' in page and '<svg class="causal"' in page
    assert page.count('class="node"') == 3 and page.count('class="edge"') == 2
    assert 'class="badge unsourced"' in page
    assert XSS_SCRIPT not in page and XSS_IMG not in page
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b|@import|url\(", page, re.I)
    aside = page.split("<aside>")[1].split("</aside>")[0]
    assert 'href="javascript' not in aside
    assert "https://example.org/exports" in aside
    assert re.search(r"https?://(?!example\.org)", aside.replace("http://www.w3.org/2000/svg", "")) is None


def test_text_and_markdown_list_the_claims() -> None:
    doc = claims_doc()
    md = render(doc, "md")
    assert "## Claims" in md and "**unsourced**" in md and "→" in md
    text = render(doc, "terminal")
    assert "Claims" in text and "unsourced" in text
    assert to_report(doc)["findings"][2]["attrs"]["source_kind"] == "vague"


def test_no_causal_claims_no_graph() -> None:
    doc = claims_doc()
    doc.findings = doc.findings[2:]
    page = render_html(check_report(doc))
    assert "<svg" not in page and '<section id="claims">' in page
