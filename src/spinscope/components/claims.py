"""Claims: which sentences state checkable facts or argue cause and effect, who asserts them, what backs them.

For every sentence, two linear heads read the sentence's pooled token states from the encoder's
paragraph pass (no second encoder pass): check-worthiness (CheckThat! 2024 task 1) and causality
(Causal News Corpus subtask 1, with a token tagger for cause, effect and signal words trained on its
subtask 2). Only sentences that pass a head's threshold, and are not headlines, bylines, list items,
questions or verbless, become findings. Of those, only the ones with a reporting verb or "according
to", and short ones (where verbless fragments are), are parsed by spaCy (tagger and parser, once) for
attribution (:mod:`spinscope.attribution`) and the verb check; the others are the author's.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..attribution import attribute, has_cue, pos
from ..causal_patterns import explicit_relation
from ..document import Document, Finding, ModelInfo, Span
from ..encoder import Encoded, fingerprint, head_encoder
from ..heads import LinearHead, WordPieceBag
from ..registry import component
from ..runtime import MODELS_DIR
from .encoder import cached

# Bump when sentence_features or token_features change: cached training features are keyed on it.
FEATURES_VERSION = "1"

_DIGIT = re.compile(r"\d")
_AMOUNT = re.compile(r"[%$€£¥]|\b(?:per ?cent|percent|million|billion|trillion|thousand)\b", re.IGNORECASE)
_FIRST = re.compile(r"\b(?:I|me|my|we|us|our)\b")
_SECOND = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)
_MODAL = re.compile(r"\b(?:would|could|should|will|might|may|must|can)\b", re.IGNORECASE)
_QUOTE = re.compile(r"[\"“”]")
CUE_NAMES = ("digit", "amount", "first_person", "second_person", "modal", "question", "quote", "log_words")
PARTS = ("mean", "max", "cues")
TAGS = ("O", "cause", "effect", "signal")

# Structure that is not a claim: bylines, list items, lines without a sentence end (headlines).
_BYLINE = re.compile(r"^\s*(?:by|from|written by|reporting by|photo(?:graph)?|image|credit|source|updated|published)\b[:\s]", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-–—•*·▪●◦]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_SENTENCE_END = re.compile(r"""[.!…:;]["'”’)\]]*$""")
_MIN_WORDS = 4
# Sentences up to this many words are parsed for the verb check even without a reporting verb.
_SHORT = 12
# A link counts as attached to a sentence when only this much non-word text lies between them.
_ATTACH_GAP = 3


def cues(text: str) -> np.ndarray:
    """Eight cheap surface cues of one sentence (presence flags and log length)."""
    return np.array(
        [
            bool(_DIGIT.search(text)),
            bool(_AMOUNT.search(text)),
            bool(_FIRST.search(text)),
            bool(_SECOND.search(text)),
            bool(_MODAL.search(text)),
            "?" in text,
            bool(_QUOTE.search(text)),
            np.log1p(len(text.split())),
        ],
        dtype=np.float32,
    )


def sentence_features(enc: Encoded, start: int, end: int, text: str) -> np.ndarray:
    """[mean token state, max token state, cues] of the span ``text[start:end]`` (offsets as ``enc``'s)."""
    i, j = enc.token_range(start, end)
    hidden = enc.states.shape[1]
    if j > i:
        states = enc.states[i:j]
        mean, top = states.mean(axis=0), states.max(axis=0)
    else:
        mean = top = np.zeros(hidden, dtype=np.float32)
    return np.concatenate([mean, top, cues(text[start:end])]).astype(np.float32)


def columns(parts: list[str], hidden: int) -> np.ndarray:
    """Indices of the named parts of a :func:`sentence_features` row."""
    ranges = {"mean": range(0, hidden), "max": range(hidden, 2 * hidden), "cues": range(2 * hidden, 2 * hidden + len(CUE_NAMES))}
    return np.array([i for p in parts for i in ranges[p]], dtype=np.int64)


def piece_logits(bag: WordPieceBag, spans: list[tuple[Span, Encoded]]) -> np.ndarray:
    """[n, n_outputs]: the bag-of-pieces logits of each sentence span, from its paragraph pass's word-piece ids."""
    out = np.zeros((len(spans), bag.bias.shape[0]), dtype=np.float32)
    for k, (span, enc) in enumerate(spans):
        if enc.ids is None:
            raise ValueError("the encoder output carries no word-piece ids; re-encode with this version")
        a, b = enc.token_range(span.start, span.end)
        out[k] = bag.logits(enc.ids[a:b])
    return out


def token_features(states: np.ndarray, window: int = 0) -> np.ndarray:
    """A tagger's input per token: its state, the mean state of its sentence and, with ``window``, the
    states of the ``window`` tokens on either side (zeros past the sentence's edges)."""
    states = np.asarray(states, dtype=np.float32)
    parts = [states, np.repeat(states.mean(axis=0, keepdims=True), len(states), axis=0)]
    if window:
        padded = np.pad(states, ((window, window), (0, 0)))
        n = len(states)
        parts += [padded[window + k : window + k + n] for k in (*range(-window, 0), *range(1, window + 1))]
    return np.hstack(parts)


def tagger_summary(probs: np.ndarray) -> np.ndarray:
    """Sentence features from the tagger's token probabilities: max, mean and log count over 0.5 per tag."""
    tagged = probs[:, 1:]
    if len(tagged) == 0:
        return np.zeros(3 * (len(TAGS) - 1), dtype=np.float32)
    return np.concatenate([tagged.max(axis=0), tagged.mean(axis=0), np.log1p((tagged > 0.5).sum(axis=0))]).astype(np.float32)


@dataclass(frozen=True)
class SpanDecoding:
    """How a cause or effect is read off the tagger's token probabilities, once the tagger finds one.

    Whether there is a cause (or an effect) at all is the v1 rule: some token has the tag as its most
    likely one. Which words it spans: those tokens and the tokens with at least ``min_prob`` of the
    tag (None: those tokens only), runs of them with gaps of up to ``gap`` tokens bridged, and of those runs the longest
    (``"longest"``) or the one with the most probability of the tag (``"mass"``). ``exclusive``: a
    token that leans more to another tag (an effect word, when reading the cause) neither joins the
    span nor is bridged over, so a cause and its effect cannot overlap. Chosen on train by
    ``spinscope train causal`` (``span_decoding`` in the model's meta.json).
    """

    min_prob: float | None = None
    gap: int = 1
    choose: str = "longest"
    exclusive: bool = False

    @classmethod
    def from_meta(cls, meta: dict[str, Any] | None) -> SpanDecoding:
        """The decoding a causal model's meta records, or the v1 rule."""
        return cls(**(meta or {}).get("span_decoding", {}))


V1_DECODING = SpanDecoding()  # the v1 rule: argmax tokens only, one-token gaps bridged, the longest run


def decode_span(probs: np.ndarray, offsets: np.ndarray, tag: int, decoding: SpanDecoding = V1_DECODING) -> tuple[int, int] | None:
    """The character span of the tokens tagged ``tag`` (see :class:`SpanDecoding`), or None."""
    if len(probs) == 0:
        return None
    found = (probs.argmax(axis=1) == tag) & (probs[:, tag] >= 0.5 * probs.max(axis=1))
    if not found.any():
        return None
    on = found if decoding.min_prob is None else found | (probs[:, tag] >= decoding.min_prob)
    # Under ``exclusive``, a token belongs to whichever of cause, effect and signal it leans to most,
    # so two spans decoded from the same probabilities never share a word.
    rivals = [t for t in range(probs.shape[1]) if t not in (tag, TAGS.index("O"))]
    other = probs[:, rivals].max(axis=1) > probs[:, tag]
    if decoding.exclusive:
        on &= ~other
    runs: list[list[int]] = []
    for i in np.flatnonzero(on):
        blocked = decoding.exclusive and bool(runs) and bool(other[runs[-1][1] : i].any())
        if runs and i - runs[-1][1] <= decoding.gap and not blocked:
            runs[-1][1] = int(i) + 1
        else:
            runs.append([int(i), int(i) + 1])
    if decoding.choose == "mass":
        a, b = max(runs, key=lambda r: float(probs[r[0] : r[1], tag].sum()))
    else:
        a, b = max(runs, key=lambda r: r[1] - r[0])  # the first of equally long runs, as before
    return int(offsets[a, 0]), int(offsets[b - 1, 1])


@dataclass(frozen=True, slots=True)
class _Tokens:
    """One sentence's tokens as the causal taggers read them: states, character offsets, and the plain
    tagger's probabilities (computed for every sentence, since the causal head reads their summary)."""

    states: np.ndarray
    offsets: np.ndarray
    plain: np.ndarray


@dataclass
class _Candidate:
    doc: int
    sentence: Span
    checkworthy: float
    causal: float | None
    cause: tuple[int, int] | None
    effect: tuple[int, int] | None


@component("spinscope.claims.v1")
class Claims:
    """Check-worthy and causal sentences as ``task: "claim"`` findings with source, evidence and cause/effect."""

    name = "claims"

    def __init__(
        self, path: str | Path | None = None, *, causal_path: str | Path | None = None, threshold: float | None = None
    ) -> None:
        self.path = path
        self.causal_path = causal_path
        self.threshold = threshold
        cw_dir = Path(path) if path else MODELS_DIR / "checkworthy"
        self.meta_: dict[str, Any] = json.loads((cw_dir / "meta.json").read_text(encoding="utf-8"))
        self.head_ = LinearHead.load(cw_dir / "head.npz")
        # Which sentences of an article are listed as check-worthy. The head's own threshold was chosen
        # on CheckThat!'s debate sentences; the model's meta may give one chosen on hand-labelled op-eds
        # (``article_threshold``, see bench/checkworthy_oped.py); ``threshold`` overrides both.
        self.threshold_ = float(
            threshold if threshold is not None else self.meta_.get("article_threshold", self.head_.thresholds[0])
        )
        self.pieces_ = WordPieceBag.load(cw_dir / "pieces.npz") if self.meta_.get("pieces") else None
        causal_dir = Path(causal_path) if causal_path else MODELS_DIR / "causal"
        self.causal_meta_: dict[str, Any] | None = None
        self.causal_head_: LinearHead | None = None
        self.tagger_: LinearHead | None = None
        self.span_tagger_: LinearHead | None = None
        self.span_window_ = 0
        if (causal_dir / "head.npz").is_file():
            self.causal_meta_ = json.loads((causal_dir / "meta.json").read_text(encoding="utf-8"))
            self.causal_head_ = LinearHead.load(causal_dir / "head.npz")
            if (causal_dir / "tagger.npz").is_file():
                self.tagger_ = LinearHead.load(causal_dir / "tagger.npz")
            # The span tagger (wider context) marks the cause and effect words; the tagger above only
            # feeds the sentence head, which was fitted on its summaries.
            if (causal_dir / "spans.npz").is_file() and "span_window" in self.causal_meta_:
                self.span_tagger_ = LinearHead.load(causal_dir / "spans.npz")
                self.span_window_ = int(self.causal_meta_["span_window"])
        self.decoding_ = SpanDecoding.from_meta(self.causal_meta_)
        from ..nlp import load_parser

        self.nlp_ = load_parser()
        # Which encoder pass each head reads (``doc.cache`` key): the one its meta.json records.
        self.encoder_key_ = head_encoder(self.meta_)
        self.causal_key_ = head_encoder(self.causal_meta_) if self.causal_meta_ is not None else self.encoder_key_
        self.mismatch_ = _encoder_mismatch([self.meta_, self.causal_meta_])

    @classmethod
    def available(cls) -> bool:
        """Whether the check-worthiness head is bundled (the causal head is optional)."""
        return (MODELS_DIR / "checkworthy" / "head.npz").is_file()

    def predict(self, docs: list[Document]) -> list[list[Finding]]:
        """The claim findings of each document (its sentences that pass a head), in text order."""
        candidates = [c for i, doc in enumerate(docs) for c in self._candidates(i, doc)]
        texts = [docs[c.doc].text[c.sentence.start : c.sentence.end] for c in candidates]
        # Parsing every claim cost as much as the encoder. Parsed: sentences that may be attributed, and
        # short ones, where verbless fragments hide (a long sentence without a verb is rare and cheap to miss).
        cued = [k for k, t in enumerate(texts) if has_cue(t) or len(t.split()) <= _SHORT]
        # Parsed as they are used, so that a long text's parses are not all held at once.
        parses = iter(zip(cued, self.nlp_.pipe(texts[k] for k in cued), strict=True))
        pending = next(parses, None)
        findings: list[list[Finding]] = [[] for _ in docs]
        for k, cand in enumerate(candidates):
            parsed: Any = None
            if pending is not None and pending[0] == k:
                parsed, pending = pending[1], next(parses, None)
            if parsed is not None and not any(pos(t) in ("VERB", "AUX") for t in parsed):
                continue  # a caption, a label, a row of figures
            finding = self._finding(docs[cand.doc], cand, parsed)
            if finding is not None:
                findings[cand.doc].append(finding)
        return findings

    def set_annotations(self, docs: list[Document], preds: list[list[Finding]]) -> None:
        """Add the findings and record which models made them."""
        for doc, found in zip(docs, preds, strict=True):
            doc.findings.extend(found)
            doc.models["claim"] = ModelInfo(self.meta_["name"], self.meta_["version"], "models/checkworthy/card.md")
            if self.causal_meta_ is not None:
                doc.models["causal"] = ModelInfo(
                    self.causal_meta_["name"], self.causal_meta_["version"], "models/causal/card.md"
                )
            if self.mismatch_ and doc.sentences:
                doc.warn("model-mismatch", self.mismatch_)

    def score_sentences(
        self, spans: list[tuple[Span, Encoded]], text: str, *, causal_spans: list[tuple[Span, Encoded]] | None = None
    ) -> tuple[np.ndarray, np.ndarray | None, list[_Tokens | None]]:
        """(check-worthiness, causal score or None, the tokens the taggers read) of sentence spans of ``text``.

        Each span is pooled out of its paragraph's encoder pass: ``spans`` from the pass the
        check-worthiness head reads, ``causal_spans`` (default: ``spans``) from the causal head's. The
        evaluation scores dataset sentences through this same method.
        """
        rows = np.stack([sentence_features(enc, s.start, s.end, text) for s, enc in spans])
        hidden = spans[0][1].states.shape[1]
        x = rows[:, columns(self.meta_["parts"], hidden)]
        if self.pieces_ is not None:
            x = np.hstack([x, piece_logits(self.pieces_, spans)])
        cw = self.head_.scores(x)[:, 0]
        causal: np.ndarray | None = None
        tokens: list[_Tokens | None] = [None] * len(spans)
        if self.causal_head_ is not None and self.causal_meta_ is not None:
            if causal_spans is not None and causal_spans is not spans and self.causal_key_ != self.encoder_key_:
                spans = causal_spans
                rows = np.stack([sentence_features(enc, s.start, s.end, text) for s, enc in spans])
            x = rows[:, columns(self.causal_meta_["parts"], hidden)]
            if self.tagger_ is not None:
                summaries = []
                for k, (s, enc) in enumerate(spans):
                    a, b = enc.token_range(s.start, s.end)
                    probs = self.tagger_.scores(token_features(enc.states[a:b])) if b > a else np.zeros((0, len(TAGS)))
                    tokens[k] = _Tokens(enc.states[a:b], enc.offsets[a:b], probs)
                    summaries.append(tagger_summary(probs))
                x = np.hstack([x, np.stack(summaries)])
            causal = self.causal_head_.scores(x)[:, 0]
        return cw, causal, tokens

    def tag_probabilities(self, tokens: _Tokens) -> np.ndarray:
        """The probabilities a sentence's cause and effect are read from (:meth:`span_probabilities`),
        reusing the plain tagger's when there is no span tagger."""
        return self.span_probabilities(tokens.states) if self.span_tagger_ is not None else tokens.plain

    def span_probabilities(self, states: np.ndarray) -> np.ndarray:
        """Tag probabilities [n_tokens, len(TAGS)] the cause and effect spans are read from, for one
        sentence's token states: the span tagger's, else the plain tagger's."""
        if len(states) == 0:
            return np.zeros((0, len(TAGS)))
        if self.span_tagger_ is not None:
            return self.span_tagger_.scores(token_features(states, self.span_window_))
        assert self.tagger_ is not None
        return self.tagger_.scores(token_features(states))

    # --- internals -----------------------------------------------------------------------------

    def _candidates(self, index: int, doc: Document) -> list[_Candidate]:
        if not doc.sentences or not doc.paragraphs:
            return []
        paragraphs: list[Encoded] = cached(doc, self.encoder_key_)["paragraphs"]
        if not paragraphs:
            return []
        causal_paragraphs: list[Encoded] = cached(doc, self.causal_key_)["paragraphs"]
        starts = [p.start for p in doc.paragraphs]
        kept: list[tuple[Span, Encoded]] = []
        causal_kept: list[tuple[Span, Encoded]] = []
        for sent in doc.sentences:
            j = bisect.bisect_right(starts, sent.start) - 1
            if j < 0 or sent.end > doc.paragraphs[j].end or not self._eligible(doc, sent, j):
                continue
            kept.append((sent, paragraphs[j]))
            causal_kept.append((sent, causal_paragraphs[j]))
        if not kept:
            return []
        cw, causal, tokens = self.score_sentences(kept, doc.text, causal_spans=causal_kept)
        t_cw = self.threshold_
        t_causal = float(self.causal_head_.thresholds[0]) if self.causal_head_ is not None else 2.0
        out = []
        for k, (sent, _) in enumerate(kept):
            is_causal = causal is not None and causal[k] >= t_causal
            if cw[k] < t_cw and not is_causal:
                continue
            cause = effect = None
            explicit = explicit_relation(doc.text[sent.start : sent.end]) if is_causal else None
            if explicit is not None:  # the connective says which side is which (causal_patterns)
                cause, effect = _clip_pair(
                    (sent.start + explicit[0][0], sent.start + explicit[0][1]),
                    (sent.start + explicit[1][0], sent.start + explicit[1][1]),
                    sent,
                    doc.text,
                )
            elif is_causal and (sentence_tokens := tokens[k]) is not None:
                # Tagged here, not in score_sentences: only the causal sentences without a connective need it.
                probs, offsets = self.tag_probabilities(sentence_tokens), sentence_tokens.offsets
                cause, effect = _clip_pair(
                    decode_span(probs, offsets, TAGS.index("cause"), self.decoding_),
                    decode_span(probs, offsets, TAGS.index("effect"), self.decoding_),
                    sent,
                    doc.text,
                )
            # The causal head's F1-best threshold suits news where half the sentences are causal, so it
            # passes most sentences of an op-ed: a causal claim also needs a cause and an effect found.
            if cause is None or effect is None:
                cause = effect = None
                if cw[k] < t_cw:
                    continue
            out.append(
                _Candidate(index, sent, float(cw[k]), float(causal[k]) if causal is not None else None, cause, effect)
            )
        return out

    def _eligible(self, doc: Document, sent: Span, paragraph: int) -> bool:
        """False for headlines, bylines, list items, questions and very short sentences."""
        text = doc.text[sent.start : sent.end].strip()
        para = doc.paragraphs[paragraph]
        if len(text.split()) < _MIN_WORDS or text.endswith("?"):
            return False
        first_in_paragraph = doc.text[para.start : sent.start].strip() == ""
        if first_in_paragraph and (_BYLINE.match(text) or _LIST_ITEM.match(doc.text[para.start : para.end])):
            return False
        alone = first_in_paragraph and doc.text[sent.end : para.end].strip() == ""
        if alone and not _SENTENCE_END.search(text):
            return False  # a headline, a subheading, a caption
        title = doc.source.title
        return not (title and text == title.strip())

    def _finding(self, doc: Document, cand: _Candidate, parsed: Any) -> Finding | None:
        """The claim finding of a candidate; None if it was a causal candidate only and the cause and
        effect do not both lie in what its source is said to have said."""
        sent = cand.sentence
        who = attribute(parsed[:]) if parsed is not None else None
        source = who.source if who else None
        kind = who.kind if who else "author"
        evidence = _evidence(doc, sent)
        checkworthy = cand.checkworthy >= self.threshold_
        if who is not None and who.reported is not None and cand.cause is not None and cand.effect is not None:
            # "Budapest says the measures would hurt households": the tagger's cause often starts at
            # the source; the causal link the sentence reports is inside the reported clause.
            clause = Span(sent.start + who.reported[0], sent.start + who.reported[1])
            cause, effect = _clip_pair(cand.cause, cand.effect, clause, doc.text)
            if cause is None or effect is None:
                cause = effect = None
                if not checkworthy:
                    return None
            cand = replace(cand, cause=cause, effect=effect)
        is_causal = cand.cause is not None and cand.effect is not None
        attrs: dict[str, Any] = {
            "checkworthy": round(cand.checkworthy, 4),
            "kind": "causal" if is_causal else "factual",
            "source": source,
            "source_kind": kind,
            "evidence": evidence,
            "unsourced": checkworthy and not evidence and kind != "named",
        }
        if who is not None and who.start is not None and who.end is not None:
            attrs["source_span"] = {"start": sent.start + who.start, "end": sent.start + who.end}
        if cand.causal is not None:
            attrs["causal"] = round(cand.causal, 4)
        if cand.cause is not None:
            attrs["cause"] = {"start": cand.cause[0], "end": cand.cause[1]}
        if cand.effect is not None:
            attrs["effect"] = {"start": cand.effect[0], "end": cand.effect[1]}
        label = "causal" if is_causal else "checkworthy"
        score = cand.causal if is_causal and cand.causal is not None else cand.checkworthy
        return Finding(sent.start, sent.end, "claim", label, round(float(score), 4), attrs)


def _clip(span: tuple[int, int] | None, sent: Span, text: str) -> tuple[int, int] | None:
    """``span`` inside the sentence, widened to whole words ("s office" -> "general's office": the taggers
    work on word pieces), without the spaces and punctuation at its edges (", Russian strikes")."""
    if span is None:
        return None
    a, b = max(span[0], sent.start), min(span[1], sent.end)

    def inside_word(i: int) -> bool:  # is text[i] part of the word around it (a letter, or ' - between two)?
        return text[i].isalnum() or (text[i] in "'’-" and sent.start < i < sent.end - 1 and text[i - 1].isalnum() and text[i + 1].isalnum())

    while a > sent.start and a < b and inside_word(a) and inside_word(a - 1):
        a -= 1
    while b < sent.end and b > a and inside_word(b - 1) and inside_word(b):
        b += 1
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and not text[b - 1].isalnum():
        b -= 1
    return (a, b) if b > a else None


def _clip_pair(
    cause: tuple[int, int] | None, effect: tuple[int, int] | None, sent: Span, text: str
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Cause and effect clipped to ``sent`` and widened to whole words; a word the tagger split between
    them ("con|fiscation") goes to the side that held more of it, so the two never share a word."""
    c, e = _clip(cause, sent, text), _clip(effect, sent, text)
    if c is None or e is None or not (c[0] < e[1] and e[0] < c[1]):
        return c, e
    assert cause is not None and effect is not None
    shared = (max(c[0], e[0]), min(c[1], e[1]))

    def held(raw: tuple[int, int]) -> int:
        return max(0, min(raw[1], shared[1]) - max(raw[0], shared[0]))

    def without_shared(span: tuple[int, int]) -> tuple[int, int] | None:
        cut = (span[0], shared[0]) if span[0] < shared[0] else (shared[1], span[1])
        return _clip(cut, Span(*cut), text) if cut[1] > cut[0] else None

    if held(cause) >= held(effect):
        return c, without_shared(e)
    return without_shared(c), e


def _evidence(doc: Document, sent: Span) -> list[str]:
    """Hrefs of links inside the sentence or directly after it (only punctuation or spaces between)."""
    hrefs = []
    for link in doc.links:
        inside = link.start < sent.end and link.end > sent.start
        gap = doc.text[sent.end : link.start] if link.start >= sent.end else None
        attached = gap is not None and len(gap) <= _ATTACH_GAP and not any(ch.isalnum() for ch in gap)
        if (inside or attached) and link.href and link.href not in hrefs:
            hrefs.append(link.href)
    return hrefs


def _encoder_mismatch(metas: list[dict[str, Any] | None]) -> str | None:
    """A warning text when a head was trained on another encoder than the bundled one it reads, else None."""
    stale = []
    for meta in metas:
        if not meta or meta.get("encoder_fingerprint") is None:
            continue
        folder = MODELS_DIR / head_encoder(meta)
        if not (folder / "config.json").is_file():
            continue
        current = fingerprint(folder)
        if meta["encoder_fingerprint"] != current:
            stale.append(f"{meta['encoder_fingerprint']} (bundled {folder.name}: {current})")
    if not stale:
        return None
    return (
        f"the claim heads were trained on encoder {', '.join(stale)}: "
        "scores may be off; retrain with `spinscope train checkworthy` and `spinscope train causal`"
    )
