"""spinscope: how a news or opinion article works on its reader, pinned to the words."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .document import Document
from .pipeline import Pipeline

try:
    __version__ = version("spinscope")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["Document", "Pipeline", "__version__", "analyze", "load"]


def load(components: list[str] | None = None) -> Pipeline:
    """A reusable pipeline of the bundled components (or the named ones); use ``pipe(docs)`` for many."""
    from .pipeline import build

    return build(components)


def analyze(text: str | Document, *, html: bool = False, nlp: Pipeline | None = None) -> Document:
    """Analyse one article given as text (or HTML with ``html=True``) and return the annotated Document."""
    from . import ingest

    if isinstance(text, Document):
        doc = text
    else:
        doc = ingest.from_html(text) if html else ingest.from_text(text)
    return (nlp or _default_pipeline())(doc)


_PIPELINE: Pipeline | None = None


def _default_pipeline() -> Pipeline:
    # Loading models costs seconds; analyze() callers expect the second call to be fast.
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = load()
    return _PIPELINE
