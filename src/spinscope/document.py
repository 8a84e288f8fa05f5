"""The one data model: a Document and its annotations, all as character offsets into ``doc.text``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Label:
    """A label that passed its calibrated threshold, with its score."""

    label: str
    score: float


@dataclass
class Span:
    """A half-open character range ``text[start:end]``."""

    start: int
    end: int


@dataclass
class Paragraph(Span):
    """A rebuilt paragraph; ``labels`` maps a task name to its labels, highest score first."""

    labels: dict[str, list[Label]] = field(default_factory=dict)


@dataclass
class Link(Span):
    """A hyperlink: the anchor text's span in ``text`` and its target."""

    href: str = ""


@dataclass
class Finding(Span):
    """One thing a component found, pinned to the words that triggered it."""

    task: str = ""
    label: str = ""
    score: float = 0.0
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Role:
    """The role an article casts an entity in (SemEval-2025 Task 10 entity framing)."""

    main: str
    score: float
    fine: list[Label] = field(default_factory=list)


@dataclass
class Entity:
    """A person, organisation, country or group, with all its mentions grouped."""

    name: str
    kind: str
    mentions: list[Span] = field(default_factory=list)
    portrayal: Label | None = None
    role: Role | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Notice:
    """A warning for the reader, optionally pinned to a span (``code`` is machine-readable)."""

    code: str
    message: str
    start: int | None = None
    end: int | None = None


@dataclass
class Source:
    """Where the text came from."""

    kind: str = "text"  # text | html | url
    path: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None


@dataclass
class ModelInfo:
    """Which bundled model produced a task's annotations."""

    name: str
    version: str
    card: str | None = None


@dataclass
class Document:
    """An article: cleaned text plus every annotation, all offsets into ``text`` (end exclusive)."""

    text: str
    source: Source = field(default_factory=Source)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    labels: dict[str, list[Label]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    models: dict[str, ModelInfo] = field(default_factory=dict)
    # Working state shared between components (encoder outputs, parses); never serialised.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def span_text(self, span: Span) -> str:
        """The words a span covers."""
        return self.text[span.start : span.end]

    def paragraph_texts(self) -> list[str]:
        """The text of each paragraph, in order."""
        return [self.text[p.start : p.end] for p in self.paragraphs]

    def warn(self, code: str, message: str, start: int | None = None, end: int | None = None) -> None:
        """Add a warning for the reader."""
        self.warnings.append(Notice(code, message, start, end))

    def to_dict(self) -> dict[str, Any]:
        """Everything but the working cache, as plain data (the body of report schema v1)."""
        data = asdict(self)
        data.pop("cache")
        return data
