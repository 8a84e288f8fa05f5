"""The terminal report: summary first, text with marked spans, legend; 80 columns; NO_COLOR; plain files."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import XSS_IMG, XSS_SCRIPT
from spinscope.document import Document, Finding, Notice, Paragraph
from spinscope.report import render
from spinscope.report.terminal import print_report

ESC = "\x1b"


def _lines_fit(out: str, width: int = 80) -> None:
    too_long = [line for line in out.splitlines() if len(line) > width]
    assert not too_long, too_long


def test_plain_report_to_file(sample_doc: Document, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    print_report(sample_doc, file=path)
    out = path.read_text(encoding="utf-8")
    assert ESC not in out
    _lines_fit(out)
    lines = out.splitlines()
    # Summary first: title, source, counts, labels, warnings; then the text; then the legend.
    assert lines[0] == "An op-ed <b>about</b> Brussels"
    assert lines[2].startswith("42 words, 3 paragraphs")
    assert "Genre: opinion 0.93" in out and "Frames: Political 0.80, Economic 0.40" in out
    assert out.index("! missing-words") < out.index(" Text ") < out.index(" Legend ")
    # Overlapping spans are bracketed and keyed to the legend, nested correctly.
    assert "The {{corrupt elite}4 in Brussels has betrayed us all}2, and {everyone knows" in out
    assert "{a disaster}1" in out
    assert XSS_SCRIPT in out and XSS_IMG in out
    legend = out[out.index(" Legend ") :]
    assert "4  Loaded language (manipulative wording, 1 span)" in legend
    assert "Chooses words with strong emotional charge" in legend
    assert "5  missing-words (warning, 1 span)" in legend
    # Panels: actors, narratives, persuasion by family.
    assert "Jane Doe" in out and "negative 0.70" in out and "Antagonist 0.80 (Deceiver)" in out
    assert "EU is corrupt 0.60 — evidence in ¶2" in out
    assert "manipulative wording (1): Loaded language ×1" in out


def test_color_false_and_width_80_on_stdout(sample_doc: Document, capsys: pytest.CaptureFixture[str]) -> None:
    print_report(sample_doc, color=False, width=80)
    out = capsys.readouterr().out
    assert ESC not in out
    _lines_fit(out)
    assert out == render(sample_doc, "terminal")


def test_colour_on_a_terminal_and_no_color_honoured(
    sample_doc: Document, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # make Rich treat captured stdout as a colour terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    print_report(sample_doc, width=80)
    assert ESC in capsys.readouterr().out
    print_report(sample_doc, width=80, color=False)
    assert ESC not in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    print_report(sample_doc, width=80)
    out = capsys.readouterr().out
    assert ESC not in out
    assert "{corrupt elite}4" in out  # without colour the spans are bracketed instead


def test_long_words_and_markup_like_text_are_safe(tmp_path: Path) -> None:
    url = "https://example.org/" + "a" * 150
    text = f"See {url} [bold]not markup[/bold] :smile: and more."
    start = text.index("[bold]")
    doc = Document(
        text=text,
        paragraphs=[Paragraph(0, len(text))],
        findings=[Finding(start, start + 6, "persuasion", "Loaded_Language", 0.5)],
    )
    path = tmp_path / "r.txt"
    print_report(doc, file=path, width=80)
    out = path.read_text(encoding="utf-8")
    _lines_fit(out)
    assert "{[bold]}1not markup[/bold] :smile:" in out
    assert "a" * 60 in out  # folded, not dropped


def test_without_annotations_no_label_sections(tmp_path: Path) -> None:
    doc = Document(text="Just a sentence.\n\nAnd another.", paragraphs=[Paragraph(0, 16), Paragraph(18, 30)])
    out = render(doc, "terminal")
    for absent in ("Genre", "Frames", "Legend", "Actors", "Narratives", "Persuasion", "!", "{"):
        assert absent not in out
    assert "¶1\nJust a sentence." in out and "¶2\nAnd another." in out


def test_zero_width_warning_is_a_marked_gap() -> None:
    doc = Document(
        text="She has that it ends.",
        paragraphs=[Paragraph(0, 21)],
        warnings=[Notice("missing-words", "Lost.", 7, 7)],
    )
    out = render(doc, "terminal")
    assert "She has{…}1 that it ends." in out
    assert "1  missing-words (warning, 1 span)" in out
