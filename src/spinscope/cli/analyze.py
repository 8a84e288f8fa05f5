"""`spinscope analyze`: one article (file, URL or stdin) to a report, or many to JSON Lines."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TextIO

import typer

from . import app


class Format(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"
    md = "md"


@app.command()
def analyze(
    sources: list[str] = typer.Argument(
        ..., help="Text or HTML files, folders of them, http(s) URLs, or - for stdin. Several: JSON Lines."
    ),
    format: Format = typer.Option(None, "--format", "-f", help="Report format (default: terminal, or by -o's suffix)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the report(s) to this file instead of stdout."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on private or loopback addresses."),
    jobs: int = typer.Option(
        0, "--jobs", "-j", help="Worker processes for several articles (default: one per core; 1: this process only)."
    ),
    progress: bool = typer.Option(
        None, "--progress/--no-progress", help="A progress bar on stderr for several articles (default: when stderr is a terminal)."
    ),
    resume: bool = typer.Option(
        False, "--resume", help="Several articles: keep the reports already in -o's file, skip their inputs, add the rest."
    ),
) -> None:
    """Analyse one article and print a report; several articles (or a folder) give one JSON report per line."""
    from .. import _default_pipeline, ingest
    from ..report import render
    from ..runtime import skip_torch

    skip_torch()  # this command only analyses: no torch for spaCy to import

    if any(not source.strip() for source in sources):
        from ..errors import UsageError

        # Path("") is the current folder: `spinscope analyze "$FILE"` with FILE unset would read all of it.
        raise UsageError("an input is an empty string (an unset shell variable?); give a file, a folder, a URL or -.")
    if len(sources) > 1 or Path(sources[0]).is_dir():
        _batch(sources, format, output, allow_private, jobs, sys.stderr.isatty() if progress is None else progress, resume)
        return
    if resume:
        from ..errors import UsageError

        raise UsageError("--resume is for several articles written to one JSON Lines file (-o FILE).")
    fmt = (format or _format_for(output)).value
    doc = ingest.read(sources[0], allow_private=allow_private, stdin=sys.stdin.buffer)
    doc = _default_pipeline()(doc)
    doc.cache.clear()  # the encoder's states are not reported; on a long text they are gigabytes
    if fmt == "terminal":
        from ..report.terminal import print_report

        print_report(doc, file=output, color=output is None and "NO_COLOR" not in os.environ)
        return
    out = render(doc, fmt)
    if output is None:
        sys.stdout.write(out)
    else:
        output.write_text(out, encoding="utf-8")


def _batch(
    sources: list[str],
    format: Format | None,
    output: Path | None,
    allow_private: bool,
    jobs: int,
    progress: bool,
    resume: bool = False,
) -> None:
    """Many articles through ``pipe(n_process=jobs)``, one JSON report per line, written as each is done.

    An input that cannot be read (missing, binary, not English, unreachable …) gets one line on stderr
    and is skipped; the others are still analysed, and the exit status is 2 if any was skipped. Lines
    are flushed as they are written, so an interrupted run keeps every report it finished. With
    ``progress``, a Rich progress bar on stderr counts the inputs done, and a last line says how many
    were analysed, how fast, and how many were skipped. With ``resume`` the reports already in
    ``output`` stay, their inputs are not analysed again, and the new reports are added after them.
    """
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .. import _default_pipeline
    from ..errors import InputNotFound, SpinscopeError, UsageError
    from ..pipeline import build
    from ..report import render
    from ..runtime import physical_cores

    if (format and format is not Format.json) or (output is not None and format is None and _format_for(output) not in (Format.json, Format.terminal)):
        raise UsageError("several articles are reported as JSON Lines, one report per line: use -f json or leave -f out.")
    if "-" in sources:
        raise UsageError("standard input (-) holds one article; analyse it on its own.")
    paths = list(_expand(sources))
    if not paths:
        raise InputNotFound(f"{', '.join(sources)} holds no files to analyse.")
    if resume:
        if output is None:
            raise UsageError("--resume needs -o FILE: the JSON Lines file whose reports are kept.")
        reported = _reported_sources(output)
        paths = [p for p in paths if p not in reported and str(Path(p).expanduser()) not in reported]
    failed = 0
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    bar = Progress(
        TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True, disable=not (progress and console.is_terminal),
    )  # fmt: skip
    task = bar.add_task("analysing", total=len(paths))

    def documents() -> Iterator:
        nonlocal failed
        from .. import ingest

        for source in paths:
            try:
                yield ingest.read(source, allow_private=allow_private)
            except SpinscopeError as err:
                failed += 1
                bar.advance(task)
                # Through the bar's console, so the line lands above the bar instead of through it.
                console.print(f"spinscope: error {source}: {err}", markup=False)

    n_process = (jobs if jobs > 0 else physical_cores()) if len(paths) > 1 else 1
    # With workers this process only reads inputs and writes reports, so it loads no model (lazy).
    # Reports are not re-validated against the schema one by one (the tests validate batch output):
    # that cost 27 ms an article, as much CPU as reading and repairing it.
    nlp = build(lazy=True) if n_process > 1 else _default_pipeline()
    sink: TextIO = sys.stdout if output is None else output.open("a" if resume else "w", encoding="utf-8")
    start, done = time.perf_counter(), 0
    try:
        with bar:
            for doc in nlp.pipe(documents(), n_process=n_process):
                sink.write(render(doc, "jsonl", check=False))
                sink.flush()
                done += 1
                bar.advance(task)
    finally:
        nlp.close()
        if sink is not sys.stdout:
            sink.close()
    if progress:
        seconds = time.perf_counter() - start
        where = f" → {output}" if output is not None else ""
        console.print(f"spinscope: {done} articles analysed in {seconds:.1f} s ({done / max(seconds, 1e-9):.1f}/s), "
                      f"{failed} skipped{where}", markup=False)  # fmt: skip
    if failed:
        print(f"spinscope: {failed} of {len(paths)} inputs could not be analysed (see above)", file=sys.stderr)
        raise typer.Exit(2)


def _reported_sources(output: Path) -> set[str]:
    """The paths and URLs of the reports already in ``output`` (a JSON Lines file; none if it is missing).

    A last line cut short (the run was killed while writing it) is removed, so appending starts on a
    fresh line; its input is analysed again.
    """
    import json

    if not output.is_file():
        return set()
    data = output.read_bytes()
    lines = data.split(b"\n")
    keep = len(data)
    if lines and lines[-1].strip():  # no newline at the end: the last write did not finish
        keep = len(data) - len(lines[-1])
    elif len(lines) >= 2:
        try:
            json.loads(lines[-2])
        except ValueError:  # a torn line that happens to end the file with a newline
            keep = len(data) - len(lines[-2]) - 1
    if keep < len(data):
        with output.open("r+b") as handle:
            handle.truncate(keep)
    sources: set[str] = set()
    for line in data[:keep].splitlines():
        try:
            source = json.loads(line).get("source", {})
        except (ValueError, AttributeError):
            continue
        sources.update(value for value in (source.get("path"), source.get("url")) if value)
    return sources


def _expand(sources: list[str]) -> Iterator[str]:
    """Each source as given, and each folder as the files in it and below, by name, hidden ones skipped."""
    for source in sources:
        folder = Path(source)
        if source.startswith(("http://", "https://")) or not folder.is_dir():
            yield source
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
                yield str(path)


def _format_for(output: Path | None) -> Format:
    suffix = output.suffix.lower() if output else ""
    return {".json": Format.json, ".jsonl": Format.json, ".html": Format.html, ".htm": Format.html, ".md": Format.md}.get(suffix, Format.terminal)
