"""Who asserts a sentence, read off spaCy's dependency parse and entities: reported speech, "according to".

Only the claims component calls this, on the sentences that passed a claim head and hold a reporting
verb or "according to" (:func:`has_cue`), each parsed once, without NER or lemmatizer (about a third of the
full pipeline's time): the reporting verb's lemma comes from :data:`VERB_FORMS`.
The source is the subject of a reporting verb ("The Treasury insists that …", "…, the mayor said",
"…, as many scholars warned"),
the agent of a passive one ("… was found by auditors"), or the object of "according to"; it spans the
subject's noun phrase without relative clauses or appositions ("Dr Amira Haddad, who led the study,
warned …" -> "Dr Amira Haddad"). Its kind is:

* ``named``: a named person or organisation, or a definite description of one ("the mayor",
  "the report"), or a role attached to a named organisation ("a spokesman for the Ministry of Defence");
* ``vague``: unnamed groups and indefinite sources ("analysts", "Western diplomats", "officials in
  Brussels", "sources close to …", "some economists", "everyone"), and agentless passives
  ("it is believed that …": no source, kind vague);
* ``author``: nothing in the sentence attributes it, or the writer speaks in the first person ("I believe").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

# Lemmas of verbs that report speech, thought or findings.
REPORTING_VERBS = frozenset(
    """
    accuse acknowledge add admit affirm agree allege announce argue assert assure believe blame boast
    caution charge claim comment complain concede conclude confirm contend declare deny disclose doubt
    emphasise emphasize estimate expect explain fear find forecast hint indicate insist maintain mention
    note observe point predict proclaim promise recall reckon recommend reiterate remark report reveal
    say show speculate state stress suggest suspect swear tell testify think tweet urge warn worry write
    know
    """.split()
)
_IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "thought": "think", "found": "find", "shown": "show",
    "wrote": "write", "written": "write", "knew": "know", "known": "know", "swore": "swear", "sworn": "swear",
    "admitted": "admit", "admitting": "admit", "held": "hold",
}


def _forms(verb: str) -> set[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", verb + "es", stem + "ed", stem + "ing", verb + "d"}
    if verb.endswith("y") and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    return forms


# Inflected form -> lemma, so the parse needs no lemmatizer (it is the slowest optional part).
VERB_FORMS: dict[str, str] = {**{f: v for v in REPORTING_VERBS for f in _forms(v)}, **_IRREGULAR}
# Words that make a plural or bare source vague rather than a named one.
# "The evidence says otherwise", "History shows that …": the author's own claim dressed as a source.
_RHETORICAL_SUBJECTS = frozenset("evidence history experience logic reality truth facts record".split())
_VAGUE_HEADS = frozenset(
    """
    analyst analysts critic critics expert experts official officials observer observers source sources
    people someone somebody everyone everybody anyone anybody many some others other few most one insider
    insiders commentator commentators economist economists scientist scientists researcher researchers
    diplomat diplomats resident residents investor investors activist activists leader leaders
    """.split()
)
_VAGUE_DETS = frozenset({"a", "an", "some", "many", "several", "most", "few", "various", "certain", "other", "another"})
_FIRST_PERSON = frozenset({"i", "we", "me", "us"})
_NAMED_ENTS = frozenset({"PERSON", "ORG", "GPE", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "LAW"})
# Link words between a role and the organisation that makes it a named source ("analysts at Goldman Sachs").
_ATTACHING_PREPS = frozenset({"of", "for", "at", "from", "with", "by"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_DROP = frozenset({"relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "parataxis"})
_WORDS = re.compile(r"[a-z]+")


def has_cue(text: str) -> bool:
    """A cheap test of whether a sentence may be attributed at all: a reporting verb form or "according to".

    Only sentences that pass it are parsed for attribution. A set lookup per word, not one regex of
    all 400 verb forms, which took 160 microseconds a sentence.
    """
    lower = text.lower()
    return "according to" in lower or not VERB_FORMS.keys().isdisjoint(_WORDS.findall(lower))


# Coarse part of speech from the fine-grained tag: the parse skips spaCy's attribute ruler, which maps
# tags to parts of speech and took 40% of the parse time on en dev articles.
_TAG_POS = {"MD": "AUX", "NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON", "PRP$": "PRON", "WP": "PRON", "WP$": "PRON"}


def pos(tok: Token) -> str:
    """The token's coarse part of speech (``pos_`` when set, else derived from ``tag_``)."""
    if tok.pos_:
        return tok.pos_
    return "VERB" if tok.tag_.startswith("VB") else _TAG_POS.get(tok.tag_, "")


def lemma(tok: Token) -> str:
    """The lemma of a reporting verb form ("insists" -> "insist"), else the lower-cased word."""
    return tok.lemma_.lower() if tok.lemma_ else VERB_FORMS.get(tok.lower_, tok.lower_)


@dataclass(frozen=True)
class Attribution:
    """Who asserts a sentence: ``source`` text with its character span in the sentence, and its kind."""

    source: str | None
    start: int | None
    end: int | None
    kind: str  # named | vague | author
    # The reported clause ("X said [that] <clause>"), as a character span in the sentence, when the
    # reporting verb has one: what the source is said to assert.
    reported: tuple[int, int] | None = None


AUTHOR = Attribution(None, None, None, "author")


def attribute(sent: SpacySpan) -> Attribution:
    """The source of a parsed sentence (offsets relative to ``sent.start_char``), else the author."""
    according = _according_to(sent)
    if according is not None:
        return _with_reported(_as_source(sent, according), sent, _according_phrase(according))
    verb = _reporting_verb(sent)
    if verb is None:
        return AUTHOR
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subject is not None and subject.dep_ == "nsubjpass":
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if pobj is not None:
            return _as_source(sent, pobj)
        # "It is believed that …", "The plan is said to …": asserted, but by nobody named.
        return Attribution(None, None, None, "vague")
    if subject is None:
        return AUTHOR
    who = _as_source(sent, subject)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if who.source is not None and clause is not None:
        words = list(clause.subtree)
        if words and words[0].lower_ in ("that", "whether", "if"):
            words = words[1:]  # the complementiser introduces the claim, it is not part of it
        if words:
            return replace(who, reported=_char_span(sent, words))
    return who


def _char_span(sent: SpacySpan, tokens: list[Token]) -> tuple[int, int]:
    """Where contiguous ``tokens`` lie, as characters ``[start, end)`` of the sentence."""
    return tokens[0].idx - sent.start_char, tokens[-1].idx + len(tokens[-1].text) - sent.start_char


def _according_phrase(pobj: Token) -> list[Token]:
    """The tokens of "according to <source>" around the source ``pobj``."""
    according = pobj.head.head if pobj.head.lower_ == "to" and pobj.head.head.lower_ == "according" else pobj.head
    return list(according.subtree)


def _with_reported(who: Attribution, sent: SpacySpan, phrase: list[Token]) -> Attribution:
    """``who`` with the sentence outside ``phrase`` ("…, according to the governor") as what was reported."""
    if who.source is None or not phrase:
        return who
    a, b = _char_span(sent, phrase)
    text = sent.text
    reported = (0, a) if text[:a].strip(" ,;:—–-") else (b, len(text))
    return replace(who, reported=reported)


def _according_to(sent: SpacySpan) -> Token | None:
    for tok in sent:
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            if to is None and tok.i + 1 < sent.end and sent.doc[tok.i + 1].lower_ == "to":
                to = sent.doc[tok.i + 1]
            if to is not None:
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return None


def _reporting_verb(sent: SpacySpan) -> Token | None:
    """The reporting verb that frames the sentence: the root, or a verb with a clausal complement."""
    best: tuple[int, int] | None = None
    found = None
    for tok in sent:
        if lemma(tok) not in REPORTING_VERBS or pos(tok) not in ("VERB", "AUX"):
            continue
        # A reporting verb inside a noun's modifier frames that noun, not the sentence: "the power it
        # claims to be", "the report published last week".
        if tok.dep_ in ("relcl", "acl"):
            continue
        has_clause = any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)
        # "…, as many Western scholars warned" / "As the minister noted, …": an "as" clause whose
        # reporting verb reports the main clause (not "As she said goodbye, …", which has an object).
        as_clause = (
            tok.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
            and not any(c.dep_ in ("dobj", "obj") for c in tok.children)
        )
        framing = tok.dep_ in ("ROOT", "parataxis") or has_clause or as_clause
        if not framing:
            continue
        # "know" and "think" frame only with a clause ("We know that …"), not "I know him".
        if lemma(tok) in ("know", "think", "find", "show") and not has_clause:
            continue
        depth = _depth(tok)
        rank = (depth, 0 if has_clause else 1)
        if best is None or rank < best:
            best, found = rank, tok
    # "The Pentagon knows it: Hegseth said that troops were fighting": who asserts the content is the
    # reporting verb whose clause it is, so a reporting verb whose clause is another report (with its
    # own subject and clause) hands over to it.
    while found is not None and (inner := next((c for c in found.children if _reports(c)), None)) is not None:
        found = inner
    return found


def _reports(tok: Token) -> bool:
    """A reporting verb in a clause of its own, with a subject and a clause it reports."""
    return (
        tok.dep_ == "ccomp"
        and lemma(tok) in REPORTING_VERBS
        and pos(tok) in ("VERB", "AUX")
        and any(c.dep_ in _SUBJECTS for c in tok.children)
        and any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)
    )


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head is not tok and depth < 50:
        tok = tok.head
        depth += 1
    return depth


def _phrase(head: Token) -> list[Token]:
    """The head's noun phrase: its subtree without relative clauses, appositions or coordinated parts."""
    keep = [head]
    for child in head.children:
        if child.dep_ in _DROP and not _inner_hyphen(child):
            continue
        keep.extend(_phrase(child))
    # Contiguous around the head: stop at the first gap on either side.
    keep_i = {t.i for t in keep}
    lo = hi = head.i
    while lo - 1 in keep_i:
        lo -= 1
    while hi + 1 in keep_i:
        hi += 1
    return [head.doc[i] for i in range(lo, hi + 1)]


def _inner_hyphen(tok: Token) -> bool:
    # "secretary-general": the hyphen is part of the word, not punctuation between phrases.
    return tok.text in ("-", "‐") and not tok.whitespace_ and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_


def _as_source(sent: SpacySpan, head: Token) -> Attribution:
    tokens = _phrase(head)
    if head.lower_ in _FIRST_PERSON or head.lower_ in _RHETORICAL_SUBJECTS:
        return AUTHOR
    start, end = _char_span(sent, tokens)
    return Attribution(sent.text[start:end], start, end, _kind(head, tokens))


def _identifies(obj: Token) -> bool:
    """Whether an attached noun names who it is: a proper name, or a definite description ("the hospital")."""
    if pos(obj) == "PROPN" or obj.ent_type_ in ("PERSON", "ORG", "GPE"):
        return True
    return any(c.dep_ in ("compound", "poss") and pos(c) == "PROPN" for c in obj.children) or any(
        c.dep_ == "det" and c.lower_ == "the" for c in obj.children
    ) and obj.tag_ == "NN"


def _kind(head: Token, tokens: list[Token]) -> str:
    """named or vague (see the module docstring)."""
    if pos(head) == "PRON":
        # "She said": one particular person, named earlier; "they", "someone", "everyone": vague.
        return "named" if head.lower_ in ("he", "she") else "vague"
    if pos(head) == "PROPN" or head.ent_type_ in _NAMED_ENTS - {"NORP"}:
        return "named"
    # A role attached to a named organisation or person: "a spokesman for the Ministry of Defence".
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in _ATTACHING_PREPS:
            for obj in prep.children:
                if obj.dep_ == "pobj" and _identifies(obj):
                    return "named"
    det = next((t for t in tokens if t.dep_ in ("det", "amod", "nummod") and t.i < head.i and t.lower_ in _VAGUE_DETS), None)
    if det is not None or head.lower_ in _VAGUE_HEADS:
        return "vague"
    plural = head.tag_ in ("NNS", "NNPS")
    definite = any(t.lower_ in ("the", "this", "that", "these", "those") or t.dep_ == "poss" for t in tokens if t.i < head.i)
    if plural and not definite:
        return "vague"
    if definite:
        return "named"
    # A bare singular noun is an institution ("police said", "parliament voted").
    return "named"
