"""An ordered list of components run over Documents, spaCy-style."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, Protocol

from . import registry
from .document import Document


class Component(Protocol):
    """What every component provides; ``predict`` is pure, ``set_annotations`` writes to the docs."""

    name: str

    def predict(self, docs: list[Document]) -> Any: ...

    def set_annotations(self, docs: list[Document], preds: Any) -> None: ...


# The default pipeline, in order. A name whose model is not bundled is skipped by load().
DEFAULT_COMPONENTS = [
    "spinscope.sentences.v1",
    "spinscope.encoder.v1",
    "spinscope.genre.v1",
    "spinscope.frames.v1",
    "spinscope.persuasion.v1",
    "spinscope.claims.v1",
    "spinscope.actors.v1",
    "spinscope.narratives.v1",
]


class Pipeline:
    """Runs each component over documents in order."""

    def __init__(self, components: list[Component]) -> None:
        self.components = components

    @property
    def component_names(self) -> list[str]:
        """The names of the components, in order."""
        return [c.name for c in self.components]

    def __call__(self, doc: Document) -> Document:
        """Annotate one document in place and return it."""
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 8) -> Iterator[Document]:
        """Annotate documents in batches, yielding each one when its batch is done."""
        it = iter(docs)
        while batch := list(islice(it, batch_size)):
            for component in self.components:
                component.set_annotations(batch, component.predict(batch))
            yield from batch


def build(names: list[str] | None = None, **config: Any) -> Pipeline:
    """Build a pipeline from registered component names (default: every bundled component)."""
    components = []
    for name in names or DEFAULT_COMPONENTS:
        factory = registry.get(name)
        if not getattr(factory, "available", lambda: True)():
            continue
        components.append(factory(**config.get(name, {})))
    return Pipeline(components)
