"""Label descriptions: every frame, genre, technique, family and warning code has one; families are right."""

from __future__ import annotations

import pytest

from spinscope.report import labels as L

# The SemEval-2023 Task 3 label sets (scorers/frames_subtask2.txt, scorers/techniques_subtask3.txt).
FRAMES = [
    "Economic", "Capacity_and_resources", "Morality", "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence", "Policy_prescription_and_evaluation", "Crime_and_punishment",
    "Security_and_defense", "Health_and_safety", "Quality_of_life", "Cultural_identity", "Public_opinion",
    "Political", "External_regulation_and_reputation",
]  # fmt: skip
FAMILY_OF = {
    "Name_Calling-Labeling": "attack on reputation",
    "Guilt_by_Association": "attack on reputation",
    "Doubt": "attack on reputation",
    "Appeal_to_Hypocrisy": "attack on reputation",
    "Questioning_the_Reputation": "attack on reputation",
    "Flag_Waving": "justification",
    "Appeal_to_Authority": "justification",
    "Appeal_to_Popularity": "justification",
    "Appeal_to_Values": "justification",
    "Appeal_to_Fear-Prejudice": "justification",
    "Causal_Oversimplification": "simplification",
    "False_Dilemma-No_Choice": "simplification",
    "Consequential_Oversimplification": "simplification",
    "Straw_Man": "distraction",
    "Red_Herring": "distraction",
    "Whataboutism": "distraction",
    "Slogans": "call",
    "Conversation_Killer": "call",
    "Appeal_to_Time": "call",
    "Loaded_Language": "manipulative wording",
    "Obfuscation-Vagueness-Confusion": "manipulative wording",
    "Exaggeration-Minimisation": "manipulative wording",
    "Repetition": "manipulative wording",
}


def _one_sentence(text: str | None) -> None:
    assert text and text[0].isupper() and text.endswith(".")
    assert ". " not in text[:-1], text


def test_taxonomy_sizes() -> None:
    assert len(FAMILY_OF) == 23 and set(L.TECHNIQUES) == set(FAMILY_OF)
    assert set(L.FRAMES) == set(FRAMES) and len(FRAMES) == 14
    assert set(L.FAMILIES) == set(FAMILY_OF.values()) and len(L.FAMILIES) == 6


@pytest.mark.parametrize("technique", sorted(FAMILY_OF))
def test_every_technique_has_family_and_description(technique: str) -> None:
    assert L.family(technique) == FAMILY_OF[technique]
    _one_sentence(L.describe("persuasion", technique))


@pytest.mark.parametrize("frame", FRAMES)
def test_every_frame_has_description(frame: str) -> None:
    _one_sentence(L.describe("frames", frame))


def test_genres_families_warnings() -> None:
    for genre in ("opinion", "reporting", "satire"):
        _one_sentence(L.describe("genre", genre))
    for fam in L.FAMILIES:
        _one_sentence(L.describe("family", fam))
    _one_sentence(L.describe("warning", "missing-words"))


def test_descriptions_are_distinct() -> None:
    texts = [d for _, d in L.TECHNIQUES.values()] + list(L.FRAMES.values()) + list(L.GENRES.values())
    assert len(set(texts)) == len(texts)


def test_spelling_variants_and_unknowns() -> None:
    # PTC / SemEval-2020 spellings map onto the 2023 names.
    assert L.family("Name_Calling,Labeling") == "attack on reputation"
    assert L.family("Flag-Waving") == "justification"
    assert L.family("Black-and-White_Fallacy") == "simplification"
    assert L.family("Thought-terminating_Cliches") == "call"
    assert L.describe("technique", "loaded language") == L.describe("persuasion", "Loaded_Language")
    assert L.describe("frame", "economic") == L.describe("frames", "Economic")
    assert L.describe("persuasion", "Not_A_Technique") is None
    assert L.describe("frames", "Loaded_Language") is None
    assert L.describe("no-such-task", "opinion") is None
    with pytest.raises(KeyError):
        L.family("Economic")


def test_display_names() -> None:
    assert L.display("Appeal_to_Fear-Prejudice") == "Appeal to fear / prejudice"
    assert (
        L.display("Legality_Constitutionality_and_jurisprudence")
        == "Legality, constitutionality and jurisprudence"
    )
    assert L.display("Straw_Man") == "Straw man"
    assert L.display("opinion") == "opinion"
    assert L.display("URW: Blaming the war on others") == "URW: Blaming the war on others"
    assert L.task_title("subnarratives") == "Subnarratives"
