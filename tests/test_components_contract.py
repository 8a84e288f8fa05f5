"""The one contract every registered component keeps (scikit-learn's ``check_estimator``, for spinscope).

Each component runs after the components that precede it in the default pipeline, the way ``load()``
would run it, on a small batch: an article ingested from text, one from HTML with links, and a
document with no paragraphs. Components whose model artefacts are not installed are skipped.
"""

from __future__ import annotations

import copy
import inspect
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from conftest import check_report
from spinscope import ingest, registry
from spinscope.document import Document, Finding, Label
from spinscope.errors import MissingExtra, ModelNotFound
from spinscope.pipeline import DEFAULT_COMPONENTS, Component, Pipeline

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "op-ed.txt"
HTML = (
    "<html><head><title>Harbour reopens</title></head><body><article><h1>Harbour reopens</h1>"
    '<p>The harbour reopened on Monday, <a href="https://example.org/port">the port authority said</a>, '
    "after a week of storms that kept every boat in port and cost the town its busiest market days.</p>"
    "<p>Fishermen said the delay had been avoidable. “We warned them in March. Nobody listened,” one said, "
    "and the mayor promised an inquiry into the U.S. firm that built the sea wall.</p></article></body></html>"
)
NO_PARAGRAPHS = "A document that has text but no paragraphs, as a caller may build it by hand."


def test_every_default_component_is_registered() -> None:
    assert set(DEFAULT_COMPONENTS) <= set(registry.names())


@pytest.mark.parametrize("name", registry.names())
def test_component_contract(name: str) -> None:
    component = _build_or_skip(name)
    _check_init_stores_parameters(name, component)
    check_component(name, component, _upstream(name))


def check_component(name: str, component: Any, upstream: Pipeline) -> None:
    """Run every check of the contract on ``component``, after ``upstream`` has annotated the docs."""
    assert isinstance(getattr(component, "name", None), str) and component.name, f"{name}: needs a `name`"

    # An empty batch: nothing to do, nothing raised.
    component.set_annotations([], component.predict([]))

    # A document without paragraphs, alone (batching code often breaks on zero jobs) and in a batch.
    for batch in ([Document(NO_PARAGRAPHS)], _docs()):
        batch = list(upstream.pipe(batch))
        before = [doc.to_dict() for doc in batch]
        preds = component.predict(batch)
        assert [doc.to_dict() for doc in batch] == before, f"{name}: predict() changed the documents"
        component.set_annotations(batch, preds)
        for doc in batch:
            _check_annotations(name, doc)
            check_report(doc)


class _Broken:
    """A component that breaks one rule of the contract, chosen by ``fault``."""

    name = "broken"

    def __init__(self, fault: str = "") -> None:
        self.fault = fault

    def predict(self, docs: list[Document]) -> list[int]:
        if self.fault == "impure" and docs:
            docs[0].labels["genre"] = [Label("opinion", 0.9)]
        return [len(doc.text) for doc in docs]

    def set_annotations(self, docs: list[Document], preds: list[int]) -> None:
        for doc, n in zip(docs, preds, strict=True):
            if self.fault == "unsorted":
                doc.labels["frames"] = [Label("Economic", 0.4), Label("Political", 0.8)]
            elif self.fault == "score":
                doc.labels["frames"] = [Label("Economic", 1.5)]
            elif self.fault == "offset":
                doc.findings.append(Finding(0, n + 1, "persuasion", "Doubt", 0.5))
            elif self.fault == "no-paragraphs":
                doc.paragraphs[0].labels["persuasion"] = [Label("Doubt", 0.5)]


class _ChangesItsParameter(_Broken):
    def __init__(self, fault: str = "") -> None:
        self.fault = fault or "none"


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        ("impure", AssertionError, r"predict\(\) changed the documents"),
        ("unsorted", AssertionError, "not sorted by score"),
        ("score", AssertionError, r"outside \[0, 1\]"),
        ("offset", AssertionError, "not inside text"),
        ("no-paragraphs", IndexError, "out of range"),
    ],
)
def test_the_contract_catches_broken_components(fault: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        check_component("broken", _Broken(fault), Pipeline([]))
    check_component("fine", _Broken(), Pipeline([]))


def test_the_contract_catches_init_that_changes_parameters() -> None:
    _check_init_stores_parameters("fine", _Broken())
    with pytest.raises(AssertionError, match="'fault' was changed in __init__"):
        _check_init_stores_parameters("broken", _ChangesItsParameter())


def _build_or_skip(name: str) -> Component:
    for needed in [*_upstream_names(name), name]:
        factory = registry.get(needed)
        if not getattr(factory, "available", lambda: True)():
            why = "its model artefacts are" if needed == name else f"it runs after {needed}, whose model artefacts are"
            pytest.skip(f"{name}: {why} not installed")
    try:
        return registry.get(name)()
    except (ModelNotFound, MissingExtra) as err:
        pytest.skip(f"{name}: {err}")


def _upstream_names(name: str) -> list[str]:
    # Pipeline order is the dependency order: a component needs what runs before it by default.
    if name in DEFAULT_COMPONENTS:
        return DEFAULT_COMPONENTS[: DEFAULT_COMPONENTS.index(name)]
    return list(DEFAULT_COMPONENTS)


@cache
def _upstream(name: str) -> Pipeline:
    return Pipeline([registry.get(n)() for n in _upstream_names(name)])


@cache
def _ingested() -> tuple[Document, ...]:
    docs = (ingest.from_text(EXAMPLE.read_text(encoding="utf-8")), ingest.from_html(HTML))
    assert docs[1].links, "the HTML sample should keep its link"
    return docs


def _docs() -> list[Document]:
    """Fresh copies of the sample documents: two ingested articles and one without paragraphs."""
    return [*copy.deepcopy(_ingested()), Document(NO_PARAGRAPHS)]


def _check_init_stores_parameters(name: str, component: Any) -> None:
    # scikit-learn's rule: __init__ stores each parameter unchanged under its own name.
    params = inspect.signature(type(component).__init__).parameters.values()
    for p in params:
        if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        assert hasattr(component, p.name), f"{name}: __init__ parameter {p.name!r} is not stored"
        assert getattr(component, p.name) == p.default, f"{name}: {p.name!r} was changed in __init__"


def _check_labels(where: str, labels: list[Label]) -> None:
    scores = [x.score for x in labels]
    assert all(0.0 <= s <= 1.0 for s in scores), f"{where}: scores outside [0, 1]: {scores}"
    assert scores == sorted(scores, reverse=True), f"{where}: labels not sorted by score, highest first"


def _check_annotations(name: str, doc: Document) -> None:
    n = len(doc.text)
    spans = [*doc.paragraphs, *doc.sentences, *doc.links, *doc.findings]
    spans += [m for e in doc.entities for m in e.mentions]
    for span in spans:
        assert 0 <= span.start <= span.end <= n, f"{name}: {span} is not inside text of length {n}"
    for w in doc.warnings:
        assert (w.start is None) == (w.end is None), f"{name}: {w} has only one end"
        assert w.start is None or 0 <= w.start <= w.end <= n, f"{name}: {w} is not inside the text"
    for task, labels in doc.labels.items():
        _check_labels(f"{name}: labels[{task!r}]", labels)
    for i, p in enumerate(doc.paragraphs):
        for task, labels in p.labels.items():
            _check_labels(f"{name}: paragraphs[{i}].labels[{task!r}]", labels)
    for f in doc.findings:
        assert 0.0 <= f.score <= 1.0, f"{name}: {f} has a score outside [0, 1]"
    for e in doc.entities:
        if e.portrayal is not None:
            _check_labels(f"{name}: {e.name} portrayal", [e.portrayal])
        if e.role is not None:
            assert 0.0 <= e.role.score <= 1.0, f"{name}: {e.name} role score outside [0, 1]"
            _check_labels(f"{name}: {e.name} role.fine", e.role.fine)
