"""Explicit connectives give the cause and the effect (spinscope.causal_patterns)."""

from __future__ import annotations

import pytest

from spinscope.causal_patterns import explicit_relation


@pytest.mark.parametrize(
    ("text", "cause", "effect"),
    [
        ("Because the grid is failing, factories have cut shifts.", "the grid is failing", "factories have cut shifts"),
        ("Prices rose because of the war.", "the war", "Prices rose"),
        ("As a result of the sanctions, exports collapsed.", "the sanctions", "exports collapsed"),
        ("The blockade raised food prices, which led to protests.", "The blockade raised food prices", "protests"),
        ("The strike on the dam has caused flooding downstream.", "The strike on the dam", "flooding downstream"),
    ],
)
def test_a_connective_says_which_side_is_the_cause(text: str, cause: str, effect: str) -> None:
    found = explicit_relation(text)
    assert found is not None
    (ca, cb), (ea, eb) = found
    assert (text[ca:cb], text[ea:eb]) == (cause, effect)


@pytest.mark.parametrize(
    "text",
    [
        "The minister visited Kyiv on Monday.",
        "There is no reason for optimism.",
        "Its small air forces and navy will be vaporized.",  # "forces" is a noun here, not a link
        "One of the causes of the crisis was fraud.",
    ],
)
def test_no_connective_no_relation(text: str) -> None:
    assert explicit_relation(text) is None
