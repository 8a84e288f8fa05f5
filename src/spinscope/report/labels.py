"""Human names and one-sentence descriptions for every label a report can show.

The descriptions are written for spinscope, paraphrasing the ideas behind the SemEval-2023 Task 3
annotation guidelines (frames, genres, persuasion techniques) in our own words.
"""

from __future__ import annotations

import re

GENRES: dict[str, str] = {
    "opinion": "The author argues for a point of view of their own, as in an editorial, column or op-ed.",
    "reporting": "The piece sets out to inform about events and facts, attributing any views to the people who hold them.",
    "satire": "The piece imitates news or comment in order to mock its targets through irony and exaggeration; it is not meant literally.",
}

FRAMES: dict[str, str] = {
    "Economic": "Presents the issue in terms of money: costs, benefits, jobs, markets or other financial consequences.",
    "Capacity_and_resources": "Asks whether there is enough of what is needed — people, money, equipment, time or skill — to deal with the issue.",
    "Morality": "Treats the issue as a question of right and wrong, conscience or religious duty.",
    "Fairness_and_equality": "Asks whether burdens, rights or rewards are shared out justly and whether groups are treated alike.",
    "Legality_Constitutionality_and_jurisprudence": "Looks at the issue through the law: rights, constitutional limits, court cases and what rules allow.",
    "Policy_prescription_and_evaluation": "Discusses which policy should address the issue and whether existing or proposed measures would work.",
    "Crime_and_punishment": "Casts the issue as law-breaking and its consequences: policing, prosecution, sentences and enforcement.",
    "Security_and_defense": "Presents the issue as a threat to a country or its people and discusses protecting them, militarily or otherwise.",
    "Health_and_safety": "Focuses on illness, injury, medical care, public health or physical danger.",
    "Quality_of_life": "Looks at how the issue affects people's everyday lives: well-being, comfort, opportunity and happiness.",
    "Cultural_identity": "Ties the issue to the customs, traditions, language or shared values of a nation or group.",
    "Public_opinion": "Reports or invokes what the public thinks: polls, protests, popular mood and reactions.",
    "Political": "Treats the issue as a political contest: parties, elections, politicians' manoeuvres and partisan advantage.",
    "External_regulation_and_reputation": "Concerns a country's standing abroad and its dealings with other states and international bodies.",
}

FAMILIES: dict[str, str] = {
    "attack on reputation": "Techniques that go after a person or group instead of their argument.",
    "justification": "Techniques that prop a claim up with something other than evidence for it: authority, popularity, values, pride or fear.",
    "simplification": "Techniques that make a complicated matter look simpler than it is.",
    "distraction": "Techniques that steer attention away from the point being discussed.",
    "call": "Techniques that push the audience to think or act in a certain way rather than argue for it.",
    "manipulative wording": "Techniques that sway the reader through the choice of words rather than through content.",
}

# technique -> (family, description)
TECHNIQUES: dict[str, tuple[str, str]] = {
    "Name_Calling-Labeling": (
        "attack on reputation",
        "Sticks a label on a person or group — insulting or flattering — so readers judge them by the label instead of by the facts.",
    ),
    "Guilt_by_Association": (
        "attack on reputation",
        "Discredits someone by linking them to a person, group or idea the audience already rejects.",
    ),
    "Doubt": (
        "attack on reputation",
        "Undermines trust in someone or something by questioning their competence, honesty or credibility.",
    ),
    "Appeal_to_Hypocrisy": (
        "attack on reputation",
        "Attacks an opponent as a hypocrite whose own conduct contradicts what they say, instead of answering the point.",
    ),
    "Questioning_the_Reputation": (
        "attack on reputation",
        "Damages a target's standing with negative claims about their character or morals rather than addressing their arguments.",
    ),
    "Flag_Waving": (
        "justification",
        "Justifies an idea by appealing to pride in, or the interests of, a group the reader belongs to, such as a nation or party.",
    ),
    "Appeal_to_Authority": (
        "justification",
        "Treats a claim as settled because an expert, official or other prominent figure backs it.",
    ),
    "Appeal_to_Popularity": (
        "justification",
        "Argues that something is right or true because many people, or everyone, supposedly agree with it or do it.",
    ),
    "Appeal_to_Values": (
        "justification",
        "Recommends an idea by tying it to values the audience cherishes, such as freedom, tradition or faith, without showing the link holds.",
    ),
    "Appeal_to_Fear-Prejudice": (
        "justification",
        "Promotes or rejects an idea by stirring up fear of what could happen or by playing on the audience's prejudices.",
    ),
    "Causal_Oversimplification": (
        "simplification",
        "Puts a complex outcome down to a single cause, or assumes that what came first must have caused what followed.",
    ),
    "False_Dilemma-No_Choice": (
        "simplification",
        "Presents two options, or just one, as the only possibilities when others exist.",
    ),
    "Consequential_Oversimplification": (
        "simplification",
        "Claims that one step will inevitably set off a chain of further, usually dire, consequences.",
    ),
    "Straw_Man": (
        "distraction",
        "Replaces an opponent's position with a distorted, easier-to-attack version and refutes that instead.",
    ),
    "Red_Herring": (
        "distraction",
        "Brings in an unrelated topic to pull attention away from the issue under discussion.",
    ),
    "Whataboutism": (
        "distraction",
        "Deflects criticism by pointing at someone else's wrongdoing instead of answering it.",
    ),
    "Slogans": (
        "call",
        "Uses a short, punchy phrase that stands in for an argument and appeals to emotion or group loyalty.",
    ),
    "Conversation_Killer": (
        "call",
        "Uses a phrase meant to end discussion and discourage further thought, such as a dismissive cliché.",
    ),
    "Appeal_to_Time": (
        "call",
        "Urges action by claiming that the moment is decisive or that time is running out.",
    ),
    "Loaded_Language": (
        "manipulative wording",
        "Chooses words with strong emotional charge to colour the reader's reaction rather than to describe.",
    ),
    "Obfuscation-Vagueness-Confusion": (
        "manipulative wording",
        "Keeps the wording so vague or muddled that readers can take it however they like and the writer commits to nothing.",
    ),
    "Exaggeration-Minimisation": (
        "manipulative wording",
        "Makes something look far bigger, better or worse than it is, or plays down something that matters.",
    ),
    "Repetition": (
        "manipulative wording",
        "Repeats the same word, phrase or idea so that readers come to accept it through sheer familiarity.",
    ),
}

WARNINGS: dict[str, str] = {
    "missing-words": "Words seem to be missing here — probably the text of a link was stripped when the page was extracted — so the sentence may read wrongly.",
    "model-mismatch": "A task head was trained on a different version of the shared encoder than the one installed, so its scores may be off until it is retrained.",
    "persuasion-language": "This paragraph does not look like English, the only language the persuasion model read in training, so it was not labelled.",
    "narratives-language": "Some paragraphs do not look like English, so the narratives were judged from the English ones only.",
    "narratives-off-topic": "The known narratives are about the war in Ukraine and climate change; this article never names the domain the narrative heads read into it, so no narrative is given.",
    "page-chrome": "Lines copied with the web page rather than the article (navigation, share and ad labels, related links, credits, byline, date) were left out; the byline and date are shown as the source's.",
}

CLAIMS: dict[str, str] = {
    "checkworthy": "A factual claim worth checking: it states something that can be verified and that matters to the argument.",
    "causal": "A claim that one thing causes or will cause another; the cause and effect it asserts are worth checking.",
}

SOURCE_KINDS: dict[str, str] = {
    "named": "attributed to a named person or organisation",
    "vague": "attributed to an unnamed or vague source",
    "author": "asserted by the author",
}

PORTRAYAL: dict[str, str] = {
    "positive": "The article presents this actor favourably.",
    "negative": "The article presents this actor unfavourably.",
    "neutral": "The article presents this actor without evident judgement.",
}

MAIN_ROLES: dict[str, str] = {
    "Protagonist": "Cast as a hero or a force for good in the story.",
    "Antagonist": "Cast as a villain, a threat or the cause of the trouble.",
    "Innocent": "Cast as a victim who suffers what others do.",
}

# Display names where underscores and hyphens do not read well on their own.
_NAMES: dict[str, str] = {
    "Legality_Constitutionality_and_jurisprudence": "Legality, constitutionality and jurisprudence",
    "Name_Calling-Labeling": "Name calling / labelling",
    "Appeal_to_Fear-Prejudice": "Appeal to fear / prejudice",
    "False_Dilemma-No_Choice": "False dilemma / no choice",
    "Exaggeration-Minimisation": "Exaggeration / minimisation",
    "Obfuscation-Vagueness-Confusion": "Obfuscation / vagueness / confusion",
    "checkworthy": "Check-worthy claim",
    "causal": "Causal claim",
}

# SemEval-2020 Task 11 (PTC) names for the same or merged techniques.
_ALIASES: dict[str, str] = {
    "black_and_white_fallacy": "False_Dilemma-No_Choice",
    "thought_terminating_cliches": "Conversation_Killer",
    "bandwagon": "Appeal_to_Popularity",
    "reductio_ad_hitlerum": "Guilt_by_Association",
}

_TASKS: dict[str, str] = {
    "genre": "genre",
    "genres": "genre",
    "frame": "frames",
    "frames": "frames",
    "persuasion": "persuasion",
    "technique": "persuasion",
    "techniques": "persuasion",
    "persuasion-spans": "persuasion",
    "family": "family",
    "families": "family",
    "warning": "warning",
    "warnings": "warning",
    "portrayal": "portrayal",
    "role": "role",
    "claim": "claim",
    "claims": "claim",
}


def _key(label: str) -> str:
    # One spelling for "Name_Calling-Labeling", "name calling,labeling", "Flag-Waving" …
    return re.sub(r"[^0-9a-z]+", "_", label.strip().lower()).strip("_")


def _index(table: dict[str, object]) -> dict[str, str]:
    return {_key(name): name for name in table}


_TASK_INDEX = {_key(name): kind for name, kind in _TASKS.items()}
_GENRE_INDEX = _index(GENRES)
_FRAME_INDEX = _index(FRAMES)
_TECHNIQUE_INDEX = {**_index(TECHNIQUES), **_ALIASES}
_FAMILY_INDEX = _index(FAMILIES)
_WARNING_INDEX = _index(WARNINGS)
_PORTRAYAL_INDEX = _index(PORTRAYAL)
_ROLE_INDEX = _index(MAIN_ROLES)
_CLAIM_INDEX = _index(CLAIMS)


def canonical_technique(label: str) -> str | None:
    """The SemEval-2023 spelling of a persuasion technique, or None if it is not one."""
    return _TECHNIQUE_INDEX.get(_key(label))


def family(technique: str) -> str:
    """The family a persuasion technique belongs to; KeyError for an unknown technique."""
    name = canonical_technique(technique)
    if name is None:
        raise KeyError(f"unknown persuasion technique {technique!r}")
    return TECHNIQUES[name][0]


def describe(task: str, label: str) -> str | None:
    """A one-sentence description of ``label`` within ``task`` (genre, frames, persuasion, family, warning …)."""
    kind = _TASK_INDEX.get(_key(task))
    key = _key(label)
    if kind == "genre" and key in _GENRE_INDEX:
        return GENRES[_GENRE_INDEX[key]]
    if kind == "frames" and key in _FRAME_INDEX:
        return FRAMES[_FRAME_INDEX[key]]
    if kind == "persuasion" and key in _TECHNIQUE_INDEX:
        return TECHNIQUES[_TECHNIQUE_INDEX[key]][1]
    if kind == "family" and key in _FAMILY_INDEX:
        return FAMILIES[_FAMILY_INDEX[key]]
    if kind == "warning" and key in _WARNING_INDEX:
        return WARNINGS[_WARNING_INDEX[key]]
    if kind == "portrayal" and key in _PORTRAYAL_INDEX:
        return PORTRAYAL[_PORTRAYAL_INDEX[key]]
    if kind == "role" and key in _ROLE_INDEX:
        return MAIN_ROLES[_ROLE_INDEX[key]]
    if kind == "claim" and key in _CLAIM_INDEX:
        return CLAIMS[_CLAIM_INDEX[key]]
    return None


def display(label: str) -> str:
    """A label as a reader would write it: "Appeal_to_Fear-Prejudice" -> "Appeal to fear / prejudice"."""
    name = canonical_technique(label) or label
    if name in _NAMES:
        return _NAMES[name]
    if " " in name or name.islower():  # already prose (genres, narratives, warning codes)
        return name
    words = name.replace("_", " ").replace("-", " / ").split()
    if not words:
        return label
    # Keep acronyms and capitalised names after the first word ("Appeal to authority", "EU", "NATO").
    return " ".join([words[0]] + [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]])


def task_title(task: str) -> str:
    """A heading for a task's label section: "frames" -> "Frames", "subnarratives" -> "Subnarratives"."""
    return task.replace("_", " ").replace("-", " ").strip().capitalize() or task
