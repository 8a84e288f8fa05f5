"""`spinscope analyze` end to end through the real command line, and the Python API it stands on.

Each CLI run starts a fresh interpreter and loads the models (seconds), so every run here covers
several things at once (an input kind, an output format, the way the format is chosen), and the
runs are started side by side.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import spinscope
from conftest import Reply, check_report
from spinscope import ingest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "op-ed.txt"
OP_ED = EXAMPLE.read_text(encoding="utf-8")
TITLE = "Europe Cannot Afford Another Winter of Half-Measures"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ferry service returns to the island | The Harbour Gazette</title>
<meta property="og:title" content="Ferry service returns to the island">
<meta property="og:site_name" content="The Harbour Gazette">
<meta name="author" content="Sam Writer">
</head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<article>
<h1>Ferry service returns to the island</h1>
<p>The ferry to the island will run again from Monday, <a href="/news/ferry-deal">the county council
said</a> on Friday, after a repair that took three months longer than promised and cost twice as much.</p>
<p>Islanders say the delay hurt shops and the school. “We were told six weeks. It took half a year,” said
the owner of the harbour café, who counted every cancelled crossing on a board by her door.</p>
<p>The council blamed a shortage of parts from the U.S. supplier and said a second boat would be leased
before the summer, so that one breakdown can no longer cut the island off.</p>
</article>
<footer>© The Harbour Gazette</footer>
</body></html>
"""
HTTP_ROUTES = {"/ferry": Reply(200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode())}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def spinscope_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m spinscope ARGS``; fail with its stderr unless it exits 0 without a traceback."""
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM")}
    result = subprocess.run(
        [sys.executable, "-m", "spinscope", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**base, **(env or {})},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


@cache
def api_doc() -> spinscope.Document:
    """The example op-ed through the Python API (loads the default pipeline once for this module)."""
    return spinscope.analyze(OP_ED)


class Runs:
    """CLI runs started together when the module's first CLI test asks (they are independent)."""

    def __init__(self, folder: Path, futures: dict[str, Future[subprocess.CompletedProcess[str]]]) -> None:
        self.folder = folder
        self.futures = futures

    def __getitem__(self, name: str) -> subprocess.CompletedProcess[str]:
        return self.futures[name].result()


@pytest.fixture(scope="module")
def cli(http_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "ferry.html").write_text(PAGE, encoding="utf-8")
    example = str(EXAMPLE)
    # FORCE_COLOR makes Rich colour a pipe as if it were a terminal; NO_COLOR must still win over it.
    forced = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    runs: dict[str, tuple[list[str], dict[str, Any]]] = {
        "json": (["analyze", example, "--format", "json"], {}),
        "html": (["analyze", example, "--format", "html"], {}),
        "md": (["analyze", example, "--format", "md"], {}),
        "terminal": (["analyze", example, "--format", "terminal"], {"env": forced}),
        "no-color": (["analyze", example], {"env": {**forced, "NO_COLOR": "1"}}),
        "stdin": (["analyze", "-", "-o", str(folder / "stdin.html")], {"stdin": OP_ED}),
        "page": (["analyze", str(folder / "ferry.html"), "-o", str(folder / "ferry.md")], {}),
        "url": (["analyze", http_server + "/ferry", "--allow-private", "-o", str(folder / "url.json")], {}),
    }
    # Each run spends seconds loading models; running them side by side uses every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        yield Runs(folder, {name: pool.submit(spinscope_cli, *a, **kw) for name, (a, kw) in runs.items()})


def test_version() -> None:
    assert spinscope_cli("--version").stdout.strip() == f"spinscope {spinscope.__version__}"


def test_json(cli: Runs) -> None:
    report = check_report(cli["json"].stdout)
    assert report["schema_version"] == "1"
    assert report["spinscope_version"] == spinscope.__version__
    assert report["source"]["kind"] == "text"
    assert report["source"]["path"].endswith("op-ed.txt")
    assert report["source"]["title"] == TITLE
    assert report["paragraphs"] and report["sentences"]
    # The CLI and the Python API give the same analysis.
    api = check_report(api_doc())
    for key in ("text", "paragraphs", "sentences", "links", "labels", "findings", "entities", "warnings"):
        assert api[key] == report[key], key


def test_html(cli: Runs) -> None:
    out = cli["html"].stdout
    assert out.lstrip().lower().startswith("<!doctype html>")
    assert TITLE in out and "communiqué" in out
    # Self-contained: nothing is fetched when the report is opened.
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=|<link\b|@import|url\(", out, re.I)


def test_markdown(cli: Runs) -> None:
    out = cli["md"].stdout
    assert TITLE in out
    assert "Every summit ends with the same communiqué" in out


def test_terminal_colour_and_no_color(cli: Runs) -> None:
    coloured = cli["terminal"].stdout
    assert "\x1b[" in coloured
    plain = cli["no-color"].stdout  # and the terminal report is the default format
    assert "\x1b" not in plain
    for out in (ANSI.sub("", coloured), plain):
        assert out.startswith(TITLE)
        assert all(len(line) <= 80 for line in out.splitlines()), "wider than 80 columns"


def test_stdin_to_html_file(cli: Runs) -> None:
    assert cli["stdin"].stdout == ""
    html = (cli.folder / "stdin.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>") and TITLE in html


def test_html_file_to_markdown_file(cli: Runs) -> None:
    assert cli["page"].stdout == ""
    md = (cli.folder / "ferry.md").read_text(encoding="utf-8")
    assert "Ferry service returns to the island" in md
    assert "Islanders say the delay hurt shops" in md
    assert "© The Harbour Gazette" not in md  # page furniture is not article text


def test_url_to_json_file(cli: Runs, http_server: str) -> None:
    assert cli["url"].stdout == ""
    report = check_report(json.loads((cli.folder / "url.json").read_text(encoding="utf-8")))
    assert report["source"]["kind"] == "url"
    assert report["source"]["url"] == http_server + "/ferry"
    assert report["source"]["title"] == "Ferry service returns to the island"
    assert report["source"]["outlet"] == "The Harbour Gazette"
    (link,) = report["links"]
    assert report["text"][link["start"] : link["end"]] == "the county council said"
    assert link["href"] == http_server + "/news/ferry-deal"
    paragraphs = [report["text"][p["start"] : p["end"]] for p in report["paragraphs"]]
    assert [p.split()[0] for p in paragraphs[-3:]] == ["The", "Islanders", "The"]
    assert len(report["sentences"]) >= 5


def test_api_analyze_text_and_html() -> None:
    doc = api_doc()
    assert isinstance(doc, spinscope.Document)
    assert doc.source.title == TITLE
    assert doc.paragraphs and doc.sentences
    check_report(doc)
    page = spinscope.analyze(PAGE, html=True)
    assert page.source.kind == "html" and page.source.outlet == "The Harbour Gazette"
    assert [page.span_text(link) for link in page.links] == ["the county council said"]
    check_report(page)


def test_api_load_pipe() -> None:
    nlp = spinscope.load()
    assert "sentences" in nlp.component_names
    docs = [ingest.from_text(OP_ED), ingest.from_html(PAGE), ingest.from_text(OP_ED)]
    out = list(nlp.pipe(docs, batch_size=2))
    assert [id(d) for d in out] == [id(d) for d in docs]  # annotated in place, in order
    for doc in out:
        assert doc.sentences
        check_report(doc)
    # Batching does not change the result: the same text gives the same annotations in any batch
    # (scores compared to 4 places: padding a batch may move the last bits of a float).
    assert rounded(out[0].to_dict()) == rounded(out[2].to_dict()) == rounded(api_doc().to_dict())


def rounded(value: Any) -> Any:
    """``value`` with every float rounded to 4 places, at any depth."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v) for v in value]
    return value


def test_several_articles_give_json_lines_and_skip_bad_input(tmp_path: Path) -> None:
    (tmp_path / "in" / "more").mkdir(parents=True)
    (tmp_path / "in" / "ferry.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "in" / "more" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "in" / ".hidden.txt").write_text("not read", encoding="utf-8")
    out = tmp_path / "reports.jsonl"
    # Two worker processes: the batch path a user with many articles takes.
    result = subprocess.run(
        [sys.executable, "-m", "spinscope", "analyze", str(EXAMPLE), str(tmp_path / "in"), "-o", str(out), "-j", "2",
         "--progress"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("spinscope: error")]
    assert len(errors) == 1 and "photo.png" in errors[0] and "E002" in errors[0]
    # --progress: no bar on a stderr that is not a terminal, but the closing count.
    (summary,) = [line for line in result.stderr.splitlines() if "analysed in" in line]
    assert summary.startswith("spinscope: 2 articles analysed in") and summary.endswith(f"1 skipped → {out}")
    reports = [check_report(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # In input order, folders by name; the bad file is skipped, the good ones after it are kept.
    assert [Path(r["source"]["path"]).name for r in reports] == ["op-ed.txt", "ferry.html"]
    assert reports[0]["text"] == check_report(api_doc())["text"]


def test_several_articles_refuse_a_format_other_than_json(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spinscope", "analyze", str(EXAMPLE), str(EXAMPLE), "-f", "html"],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "spinscope: error E040: several articles are reported as JSON Lines, one report per line: use -f json or leave -f out."
    ]


def test_resume_keeps_the_reports_written_and_analyses_only_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "reports.jsonl"
    command = [sys.executable, "-m", "spinscope", "analyze", str(folder), "-o", str(out), "-j", "1"]
    first = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert first.returncode == 0, first.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    # As if the run had been killed while writing its second report.
    out.write_text(lines[0] + "\n" + lines[1][: len(lines[1]) // 2], encoding="utf-8")
    again = subprocess.run([*command, "--resume"], capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert again.returncode == 0, again.stderr
    resumed = out.read_text(encoding="utf-8").splitlines()
    assert resumed[0] == lines[0]  # kept as written, not analysed again
    assert [Path(check_report(line)["source"]["path"]).name for line in resumed] == ["a.txt", "b.txt", "c.txt"]


def test_resume_needs_an_output_file(tmp_path: Path) -> None:
    for args in ([str(EXAMPLE), str(EXAMPLE), "--resume"], [str(EXAMPLE), "--resume"]):
        result = subprocess.run(
            [sys.executable, "-m", "spinscope", "analyze", *args], capture_output=True, text=True, encoding="utf-8", timeout=120
        )
        assert result.returncode == 2 and "--resume" in result.stderr and "Traceback" not in result.stderr
