"""Shared test helpers: validate any report against schema v1, a small hand-built Document, and a
local HTTP server on 127.0.0.1 (tests never touch the network)."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

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


def check_report(report: dict[str, Any] | str | Document) -> dict[str, Any]:
    """Validate a report (dict, JSON text, or a Document turned into one) against schema v1 and return it."""
    from spinscope.report import to_report, validate

    if isinstance(report, Document):
        report = to_report(report)
    if isinstance(report, str):
        report = json.loads(report)
    # The JSON round trip catches values that are not plain JSON (NaN, objects, tuples as keys).
    report = json.loads(json.dumps(report, allow_nan=False))
    validate(report)
    return report


@pytest.fixture(scope="session")
def valid_report() -> Callable[[dict[str, Any] | str | Document], dict[str, Any]]:
    """``valid_report(r)`` validates ``r`` against report schema v1 (raising InvalidReport) and returns the dict.

    Session-scoped (it holds no state), so hypothesis tests can use it too.
    """
    return check_report


XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


def make_doc() -> Document:
    """A small article with every kind of annotation: overlapping findings, an actor, a hole, XSS strings."""
    paras = [
        "The corrupt elite in Brussels has betrayed us all, and everyone knows it.",
        f"Minister Jane Doe says {XSS_SCRIPT} the plan works. She has that the scheme be extended.",
        f'Critics call it {XSS_IMG} a disaster & a "scandal" for U.S. taxpayers.',
    ]
    text = "\n\n".join(paras)
    starts = [text.index(p) for p in paras]

    def at(phrase: str, nth: int = 0) -> tuple[int, int]:
        i = -1
        for _ in range(nth + 1):
            i = text.index(phrase, i + 1)
        return i, i + len(phrase)

    s_elite, e_elite = at("corrupt elite")
    s_betray, e_betray = at("corrupt elite in Brussels has betrayed us all")
    s_know, e_know = at("everyone knows it")
    s_dis, e_dis = at("a disaster")
    s_hole, e_hole = at("She has that the scheme")
    s_jane, e_jane = at("Jane Doe")
    s_she, e_she = at("She")
    s_link, e_link = at("the plan works")
    s_p2 = starts[1]
    doc = Document(
        text=text,
        source=Source(
            kind="html", url="https://example.org/op-ed", title="An op-ed <b>about</b> Brussels", author=None
        ),
        paragraphs=[
            Paragraph(starts[0], starts[0] + len(paras[0]), {"persuasion": [Label("Loaded_Language", 0.9)]}),
            Paragraph(starts[1], starts[1] + len(paras[1])),
            Paragraph(
                starts[2], starts[2] + len(paras[2]), {"persuasion": [Label("Name_Calling-Labeling", 0.7)]}
            ),
        ],
        sentences=[
            Span(starts[0], starts[0] + len(paras[0])),
            Span(s_p2, s_hole - 1),
            Span(s_hole, s_p2 + len(paras[1])),
        ],
        links=[Link(s_link, e_link, "https://example.org/plan"), Link(s_dis, e_dis, "javascript:alert(1)")],
        labels={
            "genre": [Label("opinion", 0.93)],
            "frames": [Label("Economic", 0.4), Label("Political", 0.8)],
        },
        findings=[
            Finding(s_betray, e_betray, "persuasion", "Appeal_to_Fear-Prejudice", 0.61),
            Finding(
                s_elite,
                e_elite,
                "persuasion",
                "Loaded_Language",
                0.88,
                {"reason": "Charged words: 'corrupt'."},
            ),
            Finding(s_know, e_know, "persuasion", "Appeal_to_Popularity", 0.55),
            Finding(s_dis, e_dis, "persuasion", "Name_Calling-Labeling", 0.72),
            Finding(
                s_p2, s_p2 + len(paras[1]), "narrative", "EU is corrupt", 0.6, {"explanation": "Says so."}
            ),
        ],
        entities=[
            Entity(
                "Jane Doe",
                "PERSON",
                [Span(s_jane, e_jane), Span(s_she, e_she)],
                Label("negative", 0.7),
                Role("Antagonist", 0.8, [Label("Deceiver", 0.6)]),
            ),
        ],
        warnings=[
            Notice("missing-words", "Words seem to be missing here.", s_hole, e_hole),
            Notice("missing-words", "1 sentence appears to have lost words."),
        ],
        models={"genre": ModelInfo("genre-minilm", "1", None)},
    )
    return doc


@pytest.fixture
def sample_doc() -> Document:
    """A fresh copy of the hand-built sample article (see ``make_doc``)."""
    return make_doc()


# --- a local HTTP server ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One canned HTTP answer; ``body`` is bytes, or a sequence of chunks streamed one after another."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | Sequence[bytes] = b""
    delay: float = 0.0  # seconds to wait before answering, to test timeouts


class _Handler(BaseHTTPRequestHandler):
    routes: Mapping[str, Reply] = {}

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        reply = self.routes.get(self.path, Reply(404))
        time.sleep(reply.delay)
        headers = dict(reply.headers)
        if isinstance(reply.body, bytes):
            headers.setdefault("Content-Length", str(len(reply.body)))
        try:
            self.send_response(reply.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            for chunk in [reply.body] if isinstance(reply.body, bytes) else reply.body:
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should for bodies over its cap


@pytest.fixture(scope="module")
def http_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of a server answering the test module's ``HTTP_ROUTES``.

    ``HTTP_ROUTES`` maps a request path to a ``Reply``; any other path gets an empty 404. Fetching these
    URLs needs ``allow_private=True`` (``--allow-private``), since they are on the loopback address.
    """
    routes = getattr(request.module, "HTTP_ROUTES", None)
    if routes is None:
        raise LookupError(f"{request.module.__name__} uses http_server but defines no HTTP_ROUTES")
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def real_data() -> Path:
    """``$SPINSCOPE_DATA`` or the repository's ``../shared/data``; skips the test when neither exists."""
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    path = Path(os.environ.get("SPINSCOPE_DATA") or default).resolve()
    if not path.is_dir():
        pytest.skip(f"no data at {path}")
    return path
