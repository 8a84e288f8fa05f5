"""One entry point for what a user names on the command line: a path, an http(s) URL, or ``-``."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import BinaryIO

from ..document import Document, Source
from ..errors import InputNotFound, InputTooLarge, URLRefused
from .text import MAX_BYTES, from_bytes
from .url import fetch

# A scheme is at least two characters, so a Windows drive ("C:\\…") is still a path.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def read(source: str, *, allow_private: bool = False, stdin: BinaryIO | None = None) -> Document:
    """Read an article from a path, an http(s) URL, or stdin (``-``) into a Document."""
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return from_bytes(_read_capped(stream, "standard input"), source=Source(kind="text"))
    scheme = _SCHEME.match(source.strip())
    if scheme is not None:
        if scheme.group(1).lower() in ("http", "https"):
            return fetch(source.strip(), allow_private=allow_private)
        # A file may really be called "notes:1.txt"; only a name that is not a file is taken as a URL.
        if not _exists(Path(source)):
            raise URLRefused(
                f"spinscope reads files, stdin and http(s):// URLs, not {scheme.group(1).lower()}: URLs."
            )
    path = Path(source).expanduser()
    name = _show(source)
    try:
        if not _exists(path):
            raise InputNotFound(f"{name} does not exist.")
        if path.is_dir():
            raise InputNotFound(f"{name} is a directory; give one article file.")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputTooLarge(
                f"{name} is {size / 1024 / 1024:.1f} MB; spinscope reads at most 5 MB of text."
            )
        # Pipes and devices report size 0, so the read itself is capped too.
        with path.open("rb") as handle:
            data = _read_capped(handle, name)
    except OSError as err:
        raise InputNotFound(f"{name} cannot be read: {err.strerror or err}.") from err
    return from_bytes(data, source=Source(kind="text", path=str(path)))


def _show(name: str) -> str:
    """A path as it can go into a one-line message: control characters escaped, long names cut."""
    shown = name if name.isprintable() else repr(name)
    return shown if len(shown) <= 200 else shown[:197] + "..."


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, or holding a NUL byte, names no file
        return False


def _read_capped(stream: BinaryIO, name: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputTooLarge(f"{name} holds more than 5 MB; spinscope reads at most 5 MB of text.")
    return data
