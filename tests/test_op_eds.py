"""Issue 6's qualitative bar on op-eds written for these tests (tests/fixtures/op-eds, not dataset
text): the main actors are found and their aliases, pronouns and spellings joined.

Each case lists the actors a careful reader names and, for some, the fewest mentions the actor must
gather ("Merz", "He" and "his" join "Friedrich Merz"). What is still missed is in the README
(*What it gets right and wrong*), not asserted here, so that fixing it breaks nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import spinscope
from spinscope.document import Document

OP_EDS = Path(__file__).parent / "fixtures" / "op-eds"

CASES = {
    "allies-out-of-excuses.txt": {
        "Friedrich Merz": 5, "Viktor Orbán": 3, "Mark Rutte": 2, "NATO": 1, "Vladimir Putin": 1,
        "Volodymyr Zelensky": 1, "Oleh Syniehubov": 1, "Russia": 3, "Hungary": 1, "Kremlin": 1,
    },
    "proxy-war.txt": {
        "Vladimir Putin": 3, "Emmanuel Macron": 3, "Boris Johnson": 2, "Zelensky": 1, "NATO": 2,
        "William Burns": 1, "Ukrainians": 1, "Russia": 3,
    },
    "frozen-assets.txt": {
        "Bart De Wever": 2, "Donald Tusk": 1, "Donald Trump": 1, "Giorgia Meloni": 1, "Christine Lagarde": 1,
        "European Central Bank": 2, "International Monetary Fund": 1, "Euroclear": 2, "Vladimir Putin": 1,
    },
    "axis-of-convenience.txt": {
        "Xi Jinping": 2, "Volodymyr Zelenskyy": 2, "Andrei Belousov": 1, "Kim Jong Un": 1, "Pete Hegseth": 1,
        "Benjamin Netanyahu": 1, "Pentagon": 1, "North Korea": 2, "China": 2, "Iran": 1,
    },
}  # fmt: skip


@cache
def _analysed(name: str) -> Document:
    return spinscope.analyze((OP_EDS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_main_actors_of_an_op_ed_are_found_with_their_mentions_joined(name: str) -> None:
    found = {e.name: len(e.mentions) for e in _analysed(name).entities}
    missing = {actor for actor in CASES[name] if actor not in found}
    assert not missing, f"{name}: not found {sorted(missing)}; found {sorted(found)}"
    thin = {actor: found[actor] for actor, least in CASES[name].items() if found[actor] < least}
    assert not thin, f"{name}: too few mentions joined {thin}"


def test_a_pronoun_source_names_its_actor() -> None:
    doc = _analysed("allies-out-of-excuses.txt")
    linked = {f.attrs.get("source"): f.attrs.get("source_actor") for f in doc.findings if f.task == "claim"}
    assert linked.get("he") == "Friedrich Merz"
    assert linked.get("NATO Secretary General Mark Rutte") == "Mark Rutte"


def test_a_reported_causal_claim_keeps_its_cause_and_effect_inside_what_was_reported() -> None:
    doc = _analysed("frozen-assets.txt")
    reported = [f for f in doc.findings if f.task == "claim" and f.attrs.get("source_span") and f.attrs.get("kind") == "causal"]
    assert reported  # "Critics say confiscation would undermine trust in the euro.", "He fears that Moscow will retaliate …"
    for f in reported:
        src = f.attrs["source_span"]
        for part in (f.attrs["cause"], f.attrs["effect"]):
            assert part["end"] <= src["start"] or part["start"] >= src["end"], doc.span_text(f)
