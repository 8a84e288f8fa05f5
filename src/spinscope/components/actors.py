"""Actors: who the article is about, how it portrays each of them and which role it casts them in.

spaCy's NER (its own small CNN, nothing else of the spaCy pipeline) finds people, organisations,
places and groups per paragraph; :mod:`spinscope.actors` groups the mentions into entities, links
he/she pronouns where the antecedent is clear and marks metonyms (``attrs.refers_to``). The portrayal
and role heads read each mention's features from the token states of the encoder pass their
meta.json names (the bundled portrayal head ``doc.cache["encoder-multitask"]``, the role and kind
heads ``doc.cache["encoder"]``), and their per-mention probabilities are averaged over the entity's mentions.
"""

from __future__ import annotations

import importlib.util
import json
import re
from bisect import bisect_right
from pathlib import Path
from typing import Any

import numpy as np

from .. import actors as A
from ..document import Document, Entity, Label, ModelInfo, Role, Span
from ..encoder import head_encoder
from ..nlp import MODEL_NAMES, load_spacy
from ..registry import component
from ..runtime import MODELS_DIR

PORTRAYAL_DIR = MODELS_DIR / "portrayal"
KINDS_DIR = MODELS_DIR / "actors"
ROLES_DIR = MODELS_DIR / "roles"
CAST_DIR = MODELS_DIR / "cast"
TELLING = 3  # sentences kept per actor as the evidence for its portrayal
NER_ONLY = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


@component("spinscope.actors.v1")
class Actors:
    """Entities with grouped mentions; portrayal and role when their heads are bundled."""

    name = "actors"

    def __init__(
        self,
        portrayal_path: str | Path | None = None,
        roles_path: str | Path | None = None,
        kinds_path: str | Path | None = None,
        cast_path: str | Path | None = None,
        *,
        ner: str = "head",
    ) -> None:
        self.portrayal_path = portrayal_path
        self.roles_path = roles_path
        self.kinds_path = kinds_path
        self.cast_path = cast_path
        self.ner = ner
        if ner not in ("head", "spacy"):
            raise ValueError(f"ner must be 'head' or 'spacy', got {ner!r}")
        kdir = Path(kinds_path) if kinds_path else KINDS_DIR
        # The kind head over the shared encoder finds names for the cost of a matrix product; spaCy's
        # NER (its own CNN; tok2vec, tagger and parser are not loaded) is the fallback and the reference.
        self.kinds_: A.LinearHead | None = None
        self.kinds_meta_: dict[str, Any] = {}
        if ner == "head" and (kdir / "head.npz").is_file():
            self.kinds_ = A.LinearHead.load(kdir / "head.npz")
            self.kinds_meta_ = json.loads((kdir / "meta.json").read_text(encoding="utf-8"))
        self._nlp: Any = None
        pdir = Path(portrayal_path) if portrayal_path else PORTRAYAL_DIR
        rdir = Path(roles_path) if roles_path else ROLES_DIR
        self.portrayal_: A.LinearHead | None = None
        self.portrayal_meta_: dict[str, Any] = {}
        if (pdir / "head.npz").is_file():
            self.portrayal_ = A.LinearHead.load(pdir / "head.npz")
            self.portrayal_meta_ = json.loads((pdir / "meta.json").read_text(encoding="utf-8"))
        self.roles_: A.RoleModel | None = None
        self.roles_meta_: dict[str, Any] = {}
        if (rdir / "main.npz").is_file():
            self.roles_ = A.RoleModel.load(rdir)
            self.roles_meta_ = json.loads((rdir / "meta.json").read_text(encoding="utf-8"))
        # The casting gate reads the role and portrayal outputs, so it only runs where both heads do.
        cdir = Path(cast_path) if cast_path else CAST_DIR
        self.cast_: A.LinearHead | None = None
        self.cast_meta_: dict[str, Any] = {}
        if self.roles_ is not None and (cdir / "head.npz").is_file():
            self.cast_ = A.LinearHead.load(cdir / "head.npz")
            self.cast_meta_ = json.loads((cdir / "meta.json").read_text(encoding="utf-8"))
        # Which encoder pass (``doc.cache`` key) each head reads: the one its meta.json records.
        self.kinds_key_ = head_encoder(self.kinds_meta_)
        self.portrayal_key_ = head_encoder(self.portrayal_meta_)
        self.roles_key_ = head_encoder(self.roles_meta_)

    @staticmethod
    def available() -> bool:
        """Whether a spaCy English pipeline with NER is installed."""
        return any(importlib.util.find_spec(name) is not None for name in MODEL_NAMES)

    @property
    def nlp_(self) -> Any:
        """spaCy's NER pipeline, loaded on first use."""
        if self._nlp is None:
            self._nlp = load_spacy(exclude=NER_ONLY)
        return self._nlp

    def predict(self, docs: list[Document]) -> list[list[Entity]]:
        """The entities of each document, mentions grouped, with portrayal and role where heads exist."""
        raw: list[list[A.RawMention]] = [[] for _ in docs]
        by_spacy = []
        for i, doc in enumerate(docs):
            enc_out = doc.cache.get(self.kinds_key_)
            if self.kinds_ is not None and enc_out and enc_out["paragraphs"]:
                spans = [(p.start, p.end) for p in doc.paragraphs]
                for m in A.head_mentions(doc.text, spans, enc_out["paragraphs"], self.kinds_):
                    mention = _raw_mention(doc.text, m.start, m.end, m.label)
                    if mention is not None:
                        raw[i].append(mention)
            else:
                by_spacy.append(i)
        jobs: list[tuple[int, int, str]] = []  # (doc index, paragraph start, text NER reads)
        for i in by_spacy:
            doc = docs[i]
            spans = _paragraph_spans(doc)
            shouted = [A.shouting(doc.text[a:b]) for a, b in spans]
            names = A.capitalised_words(" ".join(doc.text[a:b] for (a, b), s in zip(spans, shouted, strict=True) if not s)) if any(shouted) else set()
            for (start, end), shout in zip(spans, shouted, strict=True):
                text = doc.text[start:end]
                if text.strip():
                    jobs.append((i, start, A.case_restored(text, names) if shout else text))
        if jobs:
            for (i, offset, _), sdoc in zip(jobs, self.nlp_.pipe((t for *_, t in jobs), batch_size=64), strict=True):
                for ent in sdoc.ents:
                    mention = _raw_mention(docs[i].text, offset + ent.start_char, offset + ent.end_char, ent.label_)
                    if mention is not None:
                        raw[i].append(mention)
        return [self._entities(doc, mentions) for doc, mentions in zip(docs, raw, strict=True)]

    def set_annotations(self, docs: list[Document], preds: list[list[Entity]]) -> None:
        """Store the entities and record which models made them."""
        for doc, entities in zip(docs, preds, strict=True):
            doc.entities = entities
            _link_claim_sources(doc)
            if self.kinds_ is not None and doc.cache.get(self.kinds_key_, {}).get("paragraphs"):
                m = self.kinds_meta_
                doc.models["actors"] = ModelInfo(m["name"], m["version"], str(Path("models") / "actors" / "card.md"))
            else:
                meta = self.nlp_.meta
                doc.models["actors"] = ModelInfo(f"spacy {meta.get('name', 'core_web_sm')} (NER)", str(meta.get("version", "")))
            if self.portrayal_ is not None and self.portrayal_key_ in doc.cache:
                m = self.portrayal_meta_
                doc.models["portrayal"] = ModelInfo(m["name"], m["version"], str(Path("models") / "portrayal" / "card.md"))
            if self.roles_ is not None and self.roles_key_ in doc.cache:
                m = self.roles_meta_
                doc.models["roles"] = ModelInfo(m["name"], m["version"], str(Path("models") / "roles" / "card.md"))
            if self.cast_ is not None and self.roles_key_ in doc.cache:
                m = self.cast_meta_
                doc.models["cast"] = ModelInfo(m["name"], m["version"], str(Path("models") / "cast" / "card.md"))

    # --- per document -------------------------------------------------------------------------------

    def _entities(self, doc: Document, raw: list[A.RawMention]) -> list[Entity]:
        taken = [(m.start, m.end) for m in raw]
        for m in A.extra_metonyms(doc.text):
            if not any(a < m.end and m.start < b for a, b in taken):
                raw.append(m)
        raw.extend(A.repeated_mentions(doc.text, raw))
        offices = A.office_mentions(doc.text)
        if not raw and not offices:
            return []
        groups = A.group_mentions(raw)
        for join in (A.join_defined_acronyms, A.join_head_nouns, A.join_plural_groups):
            groups = join(doc.text, groups)
        groups = A.attach_offices(doc.text, groups, offices)
        sentences = [(s.start, s.end) for s in doc.sentences] or _paragraph_spans(doc)
        A.resolve_pronouns(doc.text, groups, sentences)
        # The same mentions, pooled from each encoder pass a head reads (one pass when both read one).
        role_key = self.roles_key_ if self.roles_ is not None else self.portrayal_key_
        feats = role_feats = self._features(doc, groups, sentences, role_key)
        if self.portrayal_ is not None and self.portrayal_key_ != role_key:
            feats = self._features(doc, groups, sentences, self.portrayal_key_)
        # One matrix product per head and document, split back per entity.
        rows_all = [r for rows in feats for _, r in rows]
        portrayal_p = self.portrayal_.scores(np.stack(rows_all)) if rows_all and self.portrayal_ is not None else None
        roles_p = None
        role_rows = [r for rows in role_feats for _, r in rows]
        if role_rows and self.roles_ is not None:
            article = doc.cache[self.roles_key_]["article"]
            roles_p = self.roles_.probabilities(np.stack([A.role_features(r, article) for r in role_rows]))
        offset = 0
        entities = []
        for g, rows in zip(groups, feats, strict=True):
            spans = sorted({(m.start, m.end) for m in g.mentions} | set(g.pronouns))
            attrs: dict[str, Any] = {}
            aliases = sorted({" ".join(m.text.split()) for m in g.mentions})
            if len(aliases) > 1:
                attrs["aliases"] = aliases
            if g.pronouns:
                attrs["pronouns"] = len(g.pronouns)
            refers = A.metonym_of(g.mentions[0].text)
            if refers and any(A.is_metonymic_use(doc.text, m.start, m.end) for m in g.mentions):
                attrs["refers_to"] = refers
            if g.office_only:
                attrs["office_only"] = True
            # Shown by name ("Donald Trump"), not by an office it was also called by ("president").
            surfaces = [m.text for m in g.mentions if not m.title] or [m.text for m in g.mentions]
            entity = Entity(A.display_name(surfaces, g.canonical or g.shown_as), g.kind, [Span(a, b) for a, b in spans], attrs=attrs)
            if rows:
                k = slice(offset, offset + len(rows))
                offset += len(rows)
                if portrayal_p is not None:
                    self._portray(entity, rows, portrayal_p[k], doc.text)
                # The role heads learnt from named mentions only (SemEval-2025 marks names): a person
                # named by office alone gets a portrayal but no role.
                if roles_p is not None and not g.office_only:
                    self._cast(entity, roles_p[0][k], roles_p[1][k])
            entities.append(entity)
        named = [e for e, g in zip(entities, groups, strict=True) if not g.office_only]
        if self.cast_ is not None and any(e.role is not None for e in named):
            # Scored and decided over every named actor, as in training; only actors with a role carry it.
            starts = [p.start for p in doc.paragraphs]
            scores = self.cast_.scores(A.cast_features(named, starts, len(doc.text)))[:, 0]
            for e, s, cast in zip(named, scores, A.decide_cast(scores, float(self.cast_.thresholds[0])), strict=True):
                if e.role is not None:
                    e.attrs["cast_score"] = round(float(s), 4)
                    e.attrs["cast"] = bool(cast)
                    _victim_portrayal(e)
        return entities

    def _features(
        self, doc: Document, groups: list[A.Group], sentences: list[tuple[int, int]], key: str
    ) -> list[list[tuple[tuple[int, int], np.ndarray]]]:
        """Per group: (sentence span, feature row) for each mention encoder pass ``key`` covers.

        Both bundled encoders share one tokenizer, so both passes cover the same mentions.
        """
        out: list[list[tuple[tuple[int, int], np.ndarray]]] = [[] for _ in groups]
        enc_out = doc.cache.get(key)
        if (self.portrayal_ is None and self.roles_ is None) or not enc_out or not enc_out["paragraphs"]:
            return out
        paragraphs = enc_out["paragraphs"]
        starts = [p.start for p in doc.paragraphs]
        # Mentions are pooled paragraph by paragraph and each paragraph's running sums (float64, twice
        # its states) are freed once its mentions are done, so a long text never holds a whole pass's.
        jobs = []  # (paragraph, order, group, span): sorted, paragraph first, then the mentions' own order
        for gi, g in enumerate(groups):
            for a, b in [(m.start, m.end) for m in g.mentions] + g.pronouns:
                k = bisect_right(starts, a) - 1
                if k >= 0 and a < doc.paragraphs[k].end:
                    jobs.append((k, len(jobs), gi, a, b))
        jobs.sort()
        found: list[tuple[int, int, tuple[int, int], np.ndarray]] = []
        for n, (k, order, gi, a, b) in enumerate(jobs):
            p = doc.paragraphs[k]
            sent = A.sentence_of(sentences, a, (p.start, p.end))
            row = A.mention_features(paragraphs[k], a, b, *sent)
            if row is not None:
                found.append((order, gi, sent, row))
            if n + 1 == len(jobs) or jobs[n + 1][0] != k:
                paragraphs[k].prefix_ = None
        for _, gi, sent, row in sorted(found, key=lambda t: t[0]):
            out[gi].append((sent, row))
        return out

    def _portray(self, entity: Entity, rows: list[tuple[tuple[int, int], np.ndarray]], probs: np.ndarray, text: str) -> None:
        assert self.portrayal_ is not None
        labels = self.portrayal_.labels
        mean = probs.mean(axis=0)
        best = int(np.argmax(mean))
        entity.portrayal = Label(labels[best], round(float(mean[best]), 4))
        entity.attrs["portrayal_mix"] = {lab: round(float(v), 4) for lab, v in zip(labels, mean, strict=True)}
        # The most telling sentences: where a mention is judged most clearly positive or negative, on the
        # side of the overall verdict when there is one.
        polar = [k for k, lab in enumerate(labels) if lab != "neutral"]
        if not polar:
            return
        sides = [best] if labels[best] != "neutral" else polar
        by_sentence: dict[tuple[int, int], tuple[float, str]] = {}
        for (sent, _), p in zip(rows, probs, strict=True):
            k = max(sides, key=lambda s: p[s])
            score = float(p[k])
            if score > by_sentence.get(sent, (0.0, ""))[0]:
                by_sentence[sent] = (score, labels[k])
        # A sentence the page repeats (a headline printed twice) is shown once.
        top, seen = [], set()
        for item in sorted(by_sentence.items(), key=lambda x: -x[1][0]):
            words = " ".join(text[item[0][0] : item[0][1]].split())
            if words not in seen:
                seen.add(words)
                top.append(item)
                if len(top) == TELLING:
                    break
        entity.attrs["sentences"] = [
            {"start": a, "end": b, "label": lab, "score": round(s, 4)} for (a, b), (s, lab) in top if s >= 0.4
        ]

    def _cast(self, entity: Entity, main_p: np.ndarray, fine_p: np.ndarray) -> None:
        assert self.roles_ is not None
        main, fine = self.roles_.decide(main_p.mean(axis=0), fine_p.mean(axis=0))
        entity.role = Role(main.label, main.score, fine)


def _victim_portrayal(entity: Entity) -> None:
    """An actor the story casts as a victim is portrayed favourably, whatever its sentences' tone.

    NewsMTSC's head reads harm done to an actor as negative ("Russian strikes left Ukraine without
    heat"); a reader counts a victim the article asks sympathy for as favourably shown, and so do our
    labels of real articles. Only the label moves (to the role's score): ``portrayal_mix``, which the
    casting gate reads, and the telling sentences stay the head's.
    """
    if entity.attrs.get("cast") and entity.role is not None and entity.role.main == "Innocent" and entity.portrayal is not None:
        entity.portrayal = Label("positive", entity.role.score)
        entity.attrs["portrayal_from"] = "role"


def _paragraph_spans(doc: Document) -> list[tuple[int, int]]:
    if doc.paragraphs:
        return [(p.start, p.end) for p in doc.paragraphs]
    return [(0, len(doc.text))] if doc.text.strip() else []


def _raw_mention(text: str, start: int, end: int, label: str) -> A.RawMention | None:
    """A cleaned mention of a kind we keep, or None (dates, numbers, places that are not metonyms …)."""
    a, b = A.trim_span(text, start, end)
    a, b = A.split_inner_possessive(text, a, b)
    a, b = A.trim_span(text, a, b)
    surface = text[a:b]
    if A.fold(surface) in A.REGIONS:
        label = "GPE"
    elif label == "NONE" and A.fold(surface) in A.DEMONYMS and re.match(r"(?:\s+|-)[a-z]", text[b : b + 3]):
        label = "NORP"  # the table's rule, whatever the head says: "Western countries" -> the West
    if label not in A.KINDS and not A.metonym_of(surface):
        return None
    if b <= a or not _keep(surface) or A.is_weapon_name(text, a, b):
        return None
    # A nationality used as a modifier is not a group: before a common noun it stands for its country
    # ("Russian strikes" -> Russia); before a title or name ("German Chancellor") it is dropped. A plural
    # ("Ukrainians are", "Democrats say") is never a modifier: it names the group.
    # The table's nationalities are modifiers whatever the head says ("the Ukrainian ruling circles", read
    # as a place), and a quoted noun is still a noun ("the notorious Ukrainian “kill list”").
    modifier = label in ("NORP", "NONE") or A.fold(surface) in A.DEMONYMS
    if modifier and re.match(r"\s*[\"“‘']?[^\W\d_]|-[a-z]", text[b : b + 3]) and not A.is_plural_group(surface):
        country = A.DEMONYMS.get(A.fold(surface))
        if country is None or not re.match(r"(?:\s+|-)[\"“‘']?[a-z]", text[b : b + 4]):
            return None
        return A.RawMention(a, b, surface, "GPE", None, country)
    if label == "NONE":
        return None
    return A.RawMention(a, b, surface, label, A.honorific_before(text, a))


def _keep(surface: str) -> bool:
    """A name worth an entity: has a capital, is not only digits, a web-page label, a thing (``NOT_ACTORS``) or
    a US lawmaker's party and state ("R-Fla."), has two letters."""
    words = A.name_words(surface)
    if not words or not any(ch.isupper() for ch in surface) or all(w.isdigit() for w in words):
        return False
    if A.fold(surface) in A.INTERFACE_LABELS or A.fold(surface) in A.NOT_ACTORS or A.PARTY_AND_STATE.match(surface):
        return False
    return len("".join(words)) >= 2


def _link_claim_sources(doc: Document) -> None:
    """Name the actor behind each claim's source where the source is one of its mentions.

    The claims component runs first and reads the source off the sentence ("he", "The Kremlin",
    "NATO Secretary General Mark Rutte"); the actors component has since joined pronouns and aliases
    to their actor, so a fact-checker sees "he" as Friedrich Merz. Only a mention that ends where the
    source ends counts: a name phrase ends with its head ("NATO Secretary General Mark Rutte" is Mark
    Rutte's, not NATO's), and a modifier is not the source ("The Ukrainian leader" is not Ukraine,
    "Ukraine's military intelligence agency" not Ukraine either).
    """
    by_end: dict[int, list[tuple[int, str]]] = {}  # mention end -> (start, actor); a dict keeps long texts linear
    for e in doc.entities:
        for m in e.mentions:
            by_end.setdefault(m.end, []).append((m.start, e.name))
    for f in doc.findings:
        span = f.attrs.get("source_span") if f.task == "claim" else None
        if not isinstance(span, dict):
            continue
        heads = sorted(h for h in by_end.get(span["end"], ()) if h[0] >= span["start"])
        if heads:
            f.attrs["source_actor"] = heads[-1][1]

