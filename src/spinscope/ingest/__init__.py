"""Turn what a user hands us (path, URL, stdin, text, HTML) into one Document."""

from __future__ import annotations

from .html import from_html
from .read import read
from .text import from_bytes, from_text
from .url import fetch

__all__ = ["fetch", "from_bytes", "from_html", "from_text", "read"]
