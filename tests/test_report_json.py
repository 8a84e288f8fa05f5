"""Report schema v1: to_report reshapes the Document, validate catches what is wrong, render('json') is valid."""

from __future__ import annotations

import copy
import json
import math
from importlib.resources import files

import pytest
from jsonschema import Draft202012Validator

from conftest import make_doc
from spinscope import __version__
from spinscope.document import Document, Finding, Label, Notice, Paragraph, Source
from spinscope.report import FORMATS, InvalidReport, render, schema, to_report, validate


def test_schema_ships_in_package_and_is_draft_2020_12() -> None:
    shipped = json.loads(files("spinscope.report").joinpath("schema.json").read_text(encoding="utf-8"))
    assert shipped == schema()
    assert shipped["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(shipped)


def test_json_report_is_valid_and_complete(sample_doc: Document, valid_report) -> None:
    report = valid_report(render(sample_doc, "json"))
    assert report["schema_version"] == "1"
    assert report["spinscope_version"] == __version__
    assert report["text"] == sample_doc.text
    assert set(report) == {
        "schema_version", "spinscope_version", "source", "text", "paragraphs", "sentences", "links",
        "labels", "findings", "entities", "warnings", "models",
    }  # fmt: skip
    # None-valued optional fields are dropped, not written as null.
    assert "author" not in report["source"] and report["source"]["kind"] == "html"
    assert report["warnings"][1] == {
        "code": "missing-words",
        "message": "1 sentence appears to have lost words.",
    }
    assert report["models"] == {"genre": {"name": "genre-minilm", "version": "1"}}
    # Labels highest first, whatever order the component used.
    assert [x["label"] for x in report["labels"]["frames"]] == ["Political", "Economic"]
    # Findings in text order, outer span before inner at the same start.
    starts = [(f["start"], -f["end"]) for f in report["findings"]]
    assert starts == sorted(starts)
    ent = report["entities"][0]
    assert ent["portrayal"] == {"label": "negative", "score": 0.7}
    assert ent["role"] == {"main": "Antagonist", "score": 0.8, "fine": [{"label": "Deceiver", "score": 0.6}]}
    assert "attrs" not in ent
    for f in report["findings"]:
        assert sample_doc.text[f["start"] : f["end"]]


def test_bare_document_has_no_label_sections(valid_report) -> None:
    report = valid_report(Document(text="Just one line."))
    assert report["labels"] == {} and report["findings"] == [] and report["entities"] == []
    assert report["source"] == {"kind": "text"}


def test_offsets_count_code_points(valid_report) -> None:
    text = "Café 🎉 naïve “quoted” words"
    start = text.index("naïve")
    doc = Document(text=text, paragraphs=[Paragraph(0, len(text))])
    doc.findings.append(Finding(start, start + 5, "persuasion", "Loaded_Language", 0.5))
    report = valid_report(render(doc, "json"))
    f = report["findings"][0]
    assert report["text"][f["start"] : f["end"]] == "naïve"


def _broken(mutate) -> dict:
    report = to_report(make_doc())
    validate(report)
    report = copy.deepcopy(report)
    mutate(report)
    return report


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda r: r["findings"][0].update(start=-1), "findings[0].start"),
        (lambda r: r["findings"][0].update(start=1.5), "findings[0].start"),
        (lambda r: r["findings"][0].update(end=10_000), "not inside text"),
        (lambda r: r["findings"][0].update(start=30, end=20), "not inside text"),
        (lambda r: r["findings"][0].update(score=1.5), "findings[0].score"),
        (lambda r: r["findings"][0].update(score=math.nan), "not a finite number"),
        (lambda r: r["findings"][0].pop("attrs"), "'attrs' is a required property"),
        (lambda r: r["findings"][0].update(extra=1), "Additional properties"),
        (lambda r: r["labels"].update(genre=["opinion"]), "labels.genre[0]"),
        (lambda r: r["labels"].update(genre=[{"label": "opinion"}]), "'score' is a required property"),
        (lambda r: r["labels"]["frames"].reverse(), "highest first"),
        (lambda r: r["labels"].update({"Bad Task": []}), "does not match"),
        (lambda r: r["paragraphs"][1].update(start=0), "starts before the previous one ends"),
        (
            lambda r: r["paragraphs"][0].update(labels={"persuasion": [{"label": "x", "score": -0.1}]}),
            "score",
        ),
        (lambda r: r["warnings"][0].pop("end"), "warnings[0]: 'end' is a dependency"),
        (lambda r: r["entities"][0]["mentions"][0].update(end=-3), "mentions[0].end"),
        (lambda r: r["source"].update(kind="pdf"), "source.kind"),
        (lambda r: r["source"].update(title=None), "source.title"),
        (lambda r: r.update(schema_version="2"), "schema_version"),
        (lambda r: r.pop("models"), "'models' is a required property"),
        (lambda r: r["models"]["genre"].pop("version"), "'version' is a required property"),
    ],
)
def test_validate_rejects_broken_reports(mutate, expected: str) -> None:
    with pytest.raises(InvalidReport) as info:
        validate(_broken(mutate))
    assert expected in str(info.value)


def test_to_report_keeps_component_errors_visible() -> None:
    # A component writing a bad offset must fail validation, not be silently repaired.
    doc = Document(text="short", findings=[Finding(0, 99, "persuasion", "Doubt", 0.5)])
    with pytest.raises(InvalidReport):
        render(doc, "json")


def test_notice_with_span_and_source_fields_round_trip(valid_report) -> None:
    doc = Document(
        text="He has that it ends.",
        source=Source(
            kind="url", url="https://example.org/x", title="T", author="A", outlet="O", published="2024-01-02"
        ),
        paragraphs=[Paragraph(0, 20, {"persuasion": [Label("Doubt", 0.2), Label("Repetition", 0.9)]})],
        warnings=[Notice("missing-words", "Words lost.", 0, 11)],
    )
    report = valid_report(render(doc, "json"))
    assert report["source"]["published"] == "2024-01-02"
    assert [x["label"] for x in report["paragraphs"][0]["labels"]["persuasion"]] == ["Repetition", "Doubt"]
    assert report["warnings"] == [{"code": "missing-words", "message": "Words lost.", "start": 0, "end": 11}]


def test_render_rejects_unknown_format(sample_doc: Document) -> None:
    assert set(FORMATS) == {"json", "jsonl", "html", "md", "terminal"}
    with pytest.raises(ValueError, match="unknown report format"):
        render(sample_doc, "pdf")


def test_jsonl_is_the_json_report_on_one_line(sample_doc: Document) -> None:
    line = render(sample_doc, "jsonl")
    assert line.endswith("\n") and "\n" not in line[:-1]
    assert json.loads(line) == json.loads(render(sample_doc, "json"))


@pytest.mark.parametrize("fmt", ["json", "jsonl", "html", "md", "terminal"])
def test_every_format_renders(sample_doc: Document, fmt: str) -> None:
    out = render(sample_doc, fmt)
    assert isinstance(out, str) and out
