"""The HTML report: self-contained, escaped, overlapping spans split correctly, panels only when there is data."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from importlib.resources import files

import pytest

from conftest import XSS_IMG, XSS_SCRIPT, make_doc
from spinscope.document import (
    Document,
    Entity,
    Finding,
    Label,
    Link,
    ModelInfo,
    Notice,
    Paragraph,
    Role,
    Source,
    Span,
)
from spinscope.report import render, to_report
from spinscope.report.html import json_for_script, safe_href

OUR_JS = files("spinscope.report").joinpath("report.js").read_text(encoding="utf-8")


class Page(HTMLParser):
    """Every element with its attributes, each script's content, and the article's text per paragraph."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.paragraphs: dict[str, str] = {}
        self.segments: list[tuple[dict[str, str | None], str]] = []
        self._stack: list[tuple[str, dict[str, str | None]]] = []
        self._script: dict[str, str | None] | None = None
        self._data: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "script":
            self._script, self._data = a, []
        elif tag in ("br", "meta", "input"):
            return
        self._stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._data)))
            self._script = None
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._data.append(data)
            return
        para = next(
            (a["id"] for t, a in self._stack if t == "div" and "para" in (a.get("class") or "")), None
        )
        if para is None or any(t == "div" and "plabels" in (a.get("class") or "") for t, a in self._stack):
            return
        tag, attrs = self._stack[-1]
        if "pnum" in (attrs.get("class") or "") or "gap" in (attrs.get("class") or ""):
            return  # paragraph numbers and gap markers are ours, not article text
        self.paragraphs[para] = self.paragraphs.get(para, "") + data
        if "seg" in (attrs.get("class") or ""):
            self.segments.append((attrs, data))


def _page(doc: Document) -> Page:
    return Page(render(doc, "html"))


def _assert_safe(page: Page, html: str) -> None:
    # Our three scripts and nothing else: two JSON blocks and the inline script the CSP allows.
    assert [(a.get("type"), a.get("id")) for a, _ in page.scripts] == [
        ("application/json", "spinscope-report"),
        ("application/json", "spinscope-view"),
        (None, None),
    ]
    assert page.scripts[2][1] == OUR_JS
    for tag, attrs in page.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "src" not in attrs and "srcdoc" not in attrs, (tag, attrs)
        assert tag not in ("img", "iframe", "object", "embed", "link", "base", "form", "svg", "math"), tag
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("#", "https://", "http://", "mailto:")), href
    # No external requests: no fonts, imports or remote images in the CSS either.
    assert "url(" not in html and "@import" not in html
    for _, content in page.scripts[:2]:
        assert "</" not in content and "<!--" not in content


def test_html_is_self_contained_and_escapes_article_text() -> None:
    doc = make_doc()
    html = render(doc, "html")
    page = Page(html)
    _assert_safe(page, html)
    text = "".join(page.paragraphs.values())
    assert XSS_SCRIPT in text and XSS_IMG in text  # shown as text, not markup
    assert "javascript:" not in " ".join(a.get("href") or "" for _, a in page.elements)


def test_every_string_field_is_escaped() -> None:
    evil = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    text = f"Intro {evil} and more text here."
    start = text.index("more")
    doc = Document(
        text=text,
        source=Source(
            kind="url",
            url=f"https://example.org/{evil}",
            title=evil,
            author=evil,
            outlet=evil,
            published=evil,
        ),
        paragraphs=[Paragraph(0, len(text), {"persuasion": [Label(evil, 0.5)]})],
        links=[Link(start, start + 4, f"javascript:alert(1)//{evil}"), Link(0, 5, f'https://x.org/"{evil}')],
        labels={"genre": [Label(evil, 0.9)], "narratives": [Label(evil, 0.4)]},
        findings=[
            Finding(
                start, start + 4, "persuasion", evil, 0.5, {"reason": evil, evil: evil, "evidence": [evil]}
            ),
            Finding(
                0,
                len(text),
                "narrative",
                evil,
                0.4,
                {"narrative": evil, "subnarrative": evil, "explanation": evil},
            ),
        ],
        entities=[
            Entity(
                evil, evil, [Span(0, 5)], Label(evil, 0.5), Role(evil, 0.5, [Label(evil, 0.5)]), {"x": evil}
            )
        ],
        warnings=[Notice("missing-words", evil, 0, 5), Notice("missing-words", evil, 3, 3)],
        models={"genre": ModelInfo(evil, evil, evil)},
    )
    html = render(doc, "html")
    page = Page(html)
    _assert_safe(page, html)
    assert evil in page.paragraphs["p1"]


def test_embedded_report_json_is_the_schema_v1_report(sample_doc: Document, valid_report) -> None:
    page = _page(sample_doc)
    embedded = valid_report(json.loads(page.scripts[0][1]))
    assert embedded == json.loads(json.dumps(to_report(sample_doc)))


def test_json_for_script_escapes_closing_tags() -> None:
    out = json_for_script({"a": "</script><!-- & \u2028"})
    assert "</" not in out and "<" not in out and "&" not in out and "\u2028" not in out
    assert json.loads(out) == {"a": "</script><!-- & \u2028"}


def test_csp_allows_only_our_script() -> None:
    page = _page(make_doc())
    csp = next(
        a["content"]
        for t, a in page.elements
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    digest = base64.b64encode(hashlib.sha256(OUR_JS.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp


def test_overlapping_spans_are_split_into_segments(sample_doc: Document) -> None:
    page = _page(sample_doc)
    report = to_report(sample_doc)
    # The article's words survive segmentation unchanged, paragraph by paragraph.
    for n, p in enumerate(report["paragraphs"], start=1):
        assert page.paragraphs[f"p{n}"] == report["text"][p["start"] : p["end"]]
    ids = {f["label"]: f"f{i}" for i, f in enumerate(report["findings"])}
    by_text = {data: (attrs.get("data-m") or "").split() for attrs, data in page.segments}
    # "corrupt elite" lies inside the longer Appeal_to_Fear span: both marks, innermost first.
    assert by_text["corrupt elite"] == [ids["Loaded_Language"], ids["Appeal_to_Fear-Prejudice"]]
    assert by_text[" in Brussels has betrayed us all"] == [ids["Appeal_to_Fear-Prejudice"]]
    classes = {data: attrs.get("class") or "" for attrs, data in page.segments}
    assert "multi" in classes["corrupt elite"].split()


def test_tooltips_carry_task_label_score_and_reason(sample_doc: Document) -> None:
    page = _page(sample_doc)
    view = json.loads(page.scripts[1][1])
    report = to_report(sample_doc)
    loaded = next(i for i, f in enumerate(report["findings"]) if f["label"] == "Loaded_Language")
    tip = view["marks"][f"f{loaded}"]["t"]
    assert tip[0] == "persuasion · Loaded language" and "score 0.88" in tip
    assert "reason: Charged words: 'corrupt'." in tip  # the component's reason wins
    fear = next(i for i, f in enumerate(report["findings"]) if f["label"] == "Appeal_to_Fear-Prejudice")
    assert any(line.startswith("reason: Promotes or rejects") for line in view["marks"][f"f{fear}"]["t"])
    # Without JavaScript the native title shows the same.
    seg = next(attrs for attrs, data in page.segments if data == "corrupt elite")
    assert "score 0.88" in (seg.get("title") or "")


def test_legend_toggles_each_label(sample_doc: Document) -> None:
    page = _page(sample_doc)
    boxes = [a for t, a in page.elements if t == "input" and a.get("type") == "checkbox"]
    view = json.loads(page.scripts[1][1])
    assert [b["data-key"] for b in boxes] == [str(e["key"]) for e in view["legend"]]
    assert {(e["task"], e["label"]) for e in view["legend"]} == {
        ("persuasion", "Name_Calling-Labeling"),
        ("persuasion", "Appeal_to_Fear-Prejudice"),
        ("persuasion", "Appeal_to_Popularity"),
        ("persuasion", "Loaded_Language"),
        ("warning", "missing-words"),
    }


def test_missing_words_warning_is_marked(sample_doc: Document) -> None:
    page = _page(sample_doc)
    warned = [data for attrs, data in page.segments if "warn" in (attrs.get("class") or "").split()]
    assert "".join(warned) == "She has that the scheme"
    # A zero-width warning becomes a visible gap marker.
    doc = Document(
        text="She has that it ends.",
        paragraphs=[Paragraph(0, 21)],
        warnings=[Notice("missing-words", "Lost.", 7, 7)],
    )
    page = _page(doc)
    gaps = [a for t, a in page.elements if "gap" in (a.get("class") or "").split()]
    assert len(gaps) == 1 and gaps[0]["data-m"] == "w0"
    assert page.paragraphs["p1"] == doc.text


def test_actor_and_narrative_panels(sample_doc: Document) -> None:
    page = _page(sample_doc)
    ids = {a.get("id") for _, a in page.elements}
    assert {"actors", "narratives", "labels", "warnings", "persuasion", "legend"} <= ids
    groups = {a["data-group"] for t, a in page.elements if t == "button" and "data-group" in a}
    assert groups == {"e0", "n0"}
    mentions = [
        data
        for attrs, data in page.segments
        if any(m.startswith("e0.") for m in (attrs.get("data-m") or "").split())
    ]
    assert mentions == ["Jane Doe", "She"]
    view = json.loads(page.scripts[1][1])
    evidence = [mid for mid, m in view["marks"].items() if m["g"] == "n0"]
    assert len(evidence) == 1 and view["marks"][evidence[0]]["k"] is None  # shown only on click


def test_sections_absent_without_data() -> None:
    doc = Document(
        text="A plain paragraph.\n\nAnother one.", paragraphs=[Paragraph(0, 18), Paragraph(20, 32)]
    )
    html = render(doc, "html")
    page = Page(html)
    _assert_safe(page, html)
    ids = {a.get("id") for _, a in page.elements}
    assert not ids & {"labels", "actors", "narratives", "legend", "warnings", "persuasion"}
    assert "summary" in ids
    assert page.paragraphs == {"p1": "A plain paragraph.", "p2": "Another one."}


def test_text_outside_paragraphs_is_still_shown() -> None:
    doc = Document(text="Headline\n\nBody text here.", paragraphs=[Paragraph(10, 25)])
    page = _page(doc)
    assert list(page.paragraphs.values()) == ["Headline", "Body text here."]


@pytest.mark.parametrize(
    "href, ok",
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("mailto:a@example.org", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("/relative/path", False),
        ("https:/no-host", False),
        ("http://[bad", False),
    ],
)
def test_safe_href(href: str, ok: bool) -> None:
    assert (safe_href(href) is not None) == ok


def test_the_text_column_starts_at_the_top_beside_a_taller_panel_column() -> None:
    # flex-wrap: wrap-reverse swaps the cross axis: align-items "flex-start" put the article text at
    # the bottom of a line as tall as the panels (seen in Chromium). "start" is the top in every wrap mode.
    html = render(make_doc(), "html")
    main = re.search(r"main\s*\{([^}]*)\}", html)
    assert main is not None
    rules = dict(part.strip().split(":", 1) for part in main.group(1).split(";") if ":" in part)
    rules = {k.strip(): v.strip() for k, v in rules.items()}
    assert rules["display"] == "flex"
    assert rules["align-items"] == "start" or rules.get("flex-wrap") != "wrap-reverse"
