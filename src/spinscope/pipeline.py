"""An ordered list of components run over Documents, spaCy-style."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
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
    "spinscope.encoder-multitask.v1",
    "spinscope.genre.v1",
    "spinscope.frames.v1",
    "spinscope.persuasion.v1",
    "spinscope.claims.v1",
    "spinscope.actors.v1",
    "spinscope.narratives.v1",
]


# Characters per batch: eight long op-eds (the median SemEval-2023 en dev article has about 4,000).
BATCH_CHARS = 100_000
# Documents per batch a worker process takes. A worker's batch is its unit of work, so at the end of a
# run one worker can be left finishing a whole batch while the other idles: with 8, 30 articles went
# 16 and 14 to two workers. Measured (bench/throughput.py --processes 2 --no-baseline, README, *Speed
# and memory*): 30 en dev articles 7.90-7.93 articles/s with 8, 8.19-8.30 with 2; over all 90 batches
# of 1 to 8 were within 3 % of each other, and 2 held 80-100 MB less.
WORKER_BATCH = 2


def default_batch_size(n_process: int) -> int:
    """Documents per batch ``Pipeline.pipe`` takes when not told: 8 in one process, :data:`WORKER_BATCH` with workers."""
    return WORKER_BATCH if n_process > 1 else 8


class Pipeline:
    """Runs each component over documents in order."""

    def __init__(
        self, components: list[Component] | None, *, names: list[str] | None = None, config: dict[str, Any] | None = None
    ) -> None:
        # None: not built yet (``build(lazy=True)``); built from ``names`` on first use in this process.
        self._components = components
        # How to build this pipeline again in a worker process (set by ``build``; None for hand-made ones).
        self.names = names
        self.config = config
        self._workers: _Workers | None = None

    @property
    def components(self) -> list[Component]:
        """The components, in order (a lazy pipeline builds them here, on first access)."""
        if self._components is None:
            if self.names is None:
                raise ValueError("a pipeline without components needs names to build them from")
            self._components = build(self.names, **(self.config or {})).components
        return self._components

    @property
    def component_names(self) -> list[str]:
        """The names of the components, in order."""
        return [c.name for c in self.components]

    def __call__(self, doc: Document | str) -> Document:
        """Annotate one document in place and return it (plain text is read as ``ingest.from_text`` reads it)."""
        return next(iter(self.pipe([doc])))

    def pipe(
        self, docs: Iterable[Document | str], *, batch_size: int | None = None, n_process: int = 1
    ) -> Iterator[Document]:
        """Annotate documents in batches, yielding each one, in order, when its batch is done.

        A batch holds at most ``batch_size`` documents (default: 8 in this process, :data:`WORKER_BATCH`
        per batch a worker takes) and ``BATCH_CHARS`` characters (a longer document goes alone), since
        a batch's encoder states are all held at once. Every document's annotations are the same
        whatever its batch (the encoder batches each document's paragraphs apart).

        Items may be Documents or plain article texts, as with spaCy's ``nlp.pipe(texts)``; a text that
        cannot be read (empty, not English …) raises its ``SpinscopeError`` when its batch is formed.

        With ``n_process > 1`` the batches go to that many worker processes, each with its own copy of
        the pipeline and an equal share of the cores (spaCy's ``n_process``). Workers start on first use
        and are reused by later calls; what comes back is a copy of each document (annotated, with an
        empty ``cache``), not the object passed in.
        """
        batches = _batches(map(_as_document, docs), batch_size or default_batch_size(n_process))
        if n_process > 1:
            yield from self._parallel(batches, n_process)
            return
        for batch in batches:
            for component in self.components:
                component.set_annotations(batch, component.predict(batch))
            yield from batch

    def _parallel(self, batches: Iterator[list[Document]], n_process: int) -> Iterator[Document]:
        if self.names is None:
            raise ValueError("n_process > 1 needs a pipeline made by build() or load(), which a worker can rebuild")
        if self._workers is None or self._workers.n != n_process:
            if self._workers is not None:
                self._workers.close()
            self._workers = _Workers(self.names, self.config or {}, n_process)
        pending: deque[Future[list[Document]]] = deque()
        # At most two batches in flight per worker: enough to keep them busy, bounded memory for big inputs.
        while True:
            while len(pending) < 2 * n_process and (batch := next(batches, None)):
                for doc in batch:
                    doc.cache.clear()
                pending.append(self._workers.pool.submit(_annotate, batch))
            if not pending:
                return
            yield from pending.popleft().result()

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._workers is not None:
            self._workers.close()
            self._workers = None


def _batches(docs: Iterable[Document], batch_size: int) -> Iterator[list[Document]]:
    """Consecutive batches of at most ``batch_size`` documents and, beyond the first, ``BATCH_CHARS`` characters.

    A batch's token states are all held at once, so a batch of long texts is cut short: eight
    200,000-character texts in one batch took a worker to 2.6 GB. One text longer than the bound
    makes a batch on its own (its size is bounded by ``ingest.text.MAX_WORD_PIECES``).
    """
    batch: list[Document] = []
    chars = 0
    for doc in docs:
        if batch and chars + len(doc.text) > BATCH_CHARS:
            yield batch
            batch, chars = [], 0
        batch.append(doc)
        chars += len(doc.text)
        if len(batch) == batch_size:  # at once: a batch that is full never waits for the next document
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _as_document(doc: Document | str) -> Document:
    if isinstance(doc, Document):
        return doc
    if isinstance(doc, str):
        from .ingest import from_text

        return from_text(doc)
    raise TypeError(f"expected a Document or a str, got {type(doc).__name__}")


class _Workers:
    """A pool of processes that each build the same pipeline once."""

    def __init__(self, names: list[str], config: dict[str, Any], n: int) -> None:
        from .runtime import physical_cores

        self.n = n
        threads = max(1, physical_cores() // n)
        # spawn, not fork: ONNX Runtime's and spaCy's thread pools do not survive a fork.
        self.pool = ProcessPoolExecutor(
            n, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=(names, config, threads)
        )

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


_WORKER_PIPELINE: Pipeline | None = None


def _start_worker(names: list[str], config: dict[str, Any], threads: int) -> None:
    global _WORKER_PIPELINE
    from .runtime import skip_torch

    skip_torch()  # a worker only analyses: no torch for spaCy to import
    os.environ["SPINSCOPE_THREADS"] = str(threads)
    _WORKER_PIPELINE = build(names, **config)
    # numpy's OpenBLAS (and OpenMP, if spaCy's thinc loaded torch) start a thread per core and spin
    # them on every small matrix product of the heads; with one worker per core they only take cycles
    # from the other worker (measured on 2 cores, 2 workers: 9.5 -> 11 articles/s). Limited after the
    # build, once the libraries are loaded: threadpoolctl can only limit the pools it finds.
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads)


def _annotate(batch: list[Document]) -> list[Document]:
    assert _WORKER_PIPELINE is not None
    out = list(_WORKER_PIPELINE.pipe(batch, batch_size=len(batch)))
    for doc in out:
        doc.cache.clear()  # encoder states are large and only the components need them
    return out


def build(names: list[str] | None = None, *, lazy: bool = False, **config: Any) -> Pipeline:
    """Build a pipeline from registered component names (default: every bundled component).

    ``lazy=True`` imports and loads nothing until a component is first used in this process: a pipeline that
    only feeds worker processes (``pipe(n_process=K)``) then holds no model itself, which saves the
    feeding process the models' seconds and hundreds of MB.
    """
    if lazy:
        # Not even the component modules are imported here (they import spaCy, and spaCy torch when it
        # is installed: seconds and hundreds of MB); whoever builds it skips what is not bundled.
        return Pipeline(None, names=list(names or DEFAULT_COMPONENTS), config=config)
    used = [name for name in names or DEFAULT_COMPONENTS if getattr(registry.get(name), "available", lambda: True)()]
    components = [registry.get(name)(**config.get(name, {})) for name in used]
    if any(name.startswith("spinscope.encoder") for name in used):
        from .components.encoder import share_trunks

        share_trunks(components)
    return Pipeline(components, names=used, config=config)
