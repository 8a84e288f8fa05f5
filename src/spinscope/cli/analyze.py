"""`spinscope analyze`: one article (file, URL or stdin) to a report."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path

import typer

from . import app


class Format(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"
    md = "md"


@app.command()
def analyze(
    source: str = typer.Argument(..., help="A text or HTML file, an http(s) URL, or - for stdin."),
    format: Format = typer.Option(None, "--format", "-f", help="Report format (default: terminal, or by -o's suffix)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the report to this file instead of stdout."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on private or loopback addresses."),
) -> None:
    """Analyse one article and print a report."""
    from .. import _default_pipeline, ingest
    from ..report import render

    fmt = (format or _format_for(output)).value
    doc = ingest.read(source, allow_private=allow_private, stdin=sys.stdin.buffer)
    doc = _default_pipeline()(doc)
    if fmt == "terminal":
        from ..report.terminal import print_report

        print_report(doc, file=output, color=output is None and "NO_COLOR" not in os.environ)
        return
    out = render(doc, fmt)
    if output is None:
        sys.stdout.write(out)
    else:
        output.write_text(out, encoding="utf-8")


def _format_for(output: Path | None) -> Format:
    suffix = output.suffix.lower() if output else ""
    return {".json": Format.json, ".html": Format.html, ".htm": Format.html, ".md": Format.md}.get(suffix, Format.terminal)
