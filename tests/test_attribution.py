"""Attribution precision on sentences written for these tests (tests/fixtures/attribution*.jsonl).

``attribution.jsonl`` was written first and used while building the rules; ``attribution_heldout.jsonl``
was written before the rules were run on it (its first score: precision 0.958, recall 0.92, kind
accuracy 0.875; see the claims model card). Precision: of the sources found, the share whose text
is exactly the gold source; recall: of the gold sources, the share found exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinscope.attribution import attribute
from spinscope.nlp import load_parser

FIXTURES = Path(__file__).parent / "fixtures"


def score(name: str) -> dict[str, float]:
    """Precision, recall and source-kind accuracy of :func:`attribute` on one fixture file."""
    rows = [json.loads(line) for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    nlp = load_parser()
    tp = fp = gold = kinds = 0
    for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows), strict=True):
        got = attribute(doc[:])
        gold += row["source"] is not None
        if got.source is not None:
            tp += got.source == row["source"]
            fp += got.source != row["source"]
        kinds += got.kind == row["kind"]
        if got.start is not None:
            assert row["text"][got.start : got.end] == got.source
    return {"n": len(rows), "precision": tp / max(1, tp + fp), "recall": tp / max(1, gold), "kind_accuracy": kinds / len(rows)}


@pytest.mark.parametrize(("name", "floor"), [("attribution.jsonl", 0.95), ("attribution_heldout.jsonl", 0.9)])
def test_attribution_precision(name: str, floor: float) -> None:
    result = score(name)
    print(name, result)
    assert result["n"] >= 30
    assert result["precision"] >= floor, result
    assert result["recall"] >= 0.85 and result["kind_accuracy"] >= 0.85, result


@pytest.mark.parametrize(
    "text",
    ["The river burst its banks on Tuesday night.", "The evidence says otherwise.", "History shows that appeasement fails."],
)
def test_unattributed_sentence_is_the_authors(text: str) -> None:
    got = attribute(load_parser()(text)[:])
    assert (got.source, got.kind) == (None, "author")


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("NATO expansion provoked this conflict, as many Western scholars warned for decades.", "many Western scholars"),
        ("As the finance minister noted on Tuesday, the deficit has doubled since 2020.", "the finance minister"),
        ("As she said goodbye to her colleagues, the building began to shake.", None),  # "as" = while
        # A report of a report: the inner speaker asserts the content.
        ("The Pentagon knows it: Defense Secretary Pete Hegseth said that troops were fighting in Kursk.", "Defense Secretary Pete Hegseth"),
        ("It has been reported that the minister knew about the leak in January.", None),
    ],
)
def test_the_reporting_verb_that_frames_the_claim_names_the_source(text: str, source: str | None) -> None:
    assert attribute(load_parser()(text)[:]).source == source


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("Budapest says the measures would hurt Hungarian households.", "the measures would hurt Hungarian households"),
        ("The minister said that prices rose because of the war.", "prices rose because of the war"),
        ("Prices rose because of the war, the minister said.", "Prices rose because of the war"),
        ("Missiles hit a hospital, killing eleven people, according to the governor.", "Missiles hit a hospital, killing eleven people,"),
    ],
)
def test_the_reported_clause_is_what_the_source_is_said_to_assert(text: str, reported: str) -> None:
    got = attribute(load_parser()(text)[:])
    assert got.reported is not None and text[got.reported[0] : got.reported[1]].strip() == reported
