"""The other tasks the shared encoder is fine-tuned on, beside persuasion (``spinscope train persuasion``).

The claims and actors heads read the same encoder as persuasion, but a linear head on frozen vectors
tops out below their bars (causal CV ceiling ~0.75, portrayal 0.72, check-worthiness 0.59). So the
fine-tuning run also sees, each with a small training head that is thrown away after:

- ``causal``: Causal News Corpus subtask 1 **train** sentences, one sigmoid on the mean-pooled vector;
  a seeded 15% of them is held out of fine-tuning and only scores the epochs;
- ``checkworthy``: a fresh seeded sample of CheckThat! 2024 English **train** sentences each epoch,
  one sigmoid on the pooled vector; its **dev** split (allowed for selection) scores the epochs;
- ``checkworthy_news`` (only with a teacher file, ``spinscope train multitask --checkworthy-teacher``):
  SemEval-2023 English **train** paragraphs, each sentence's target the probability a check-worthiness
  model fine-tuned end to end on CheckThat! train gives it read alone (:mod:`.checkworthy_teacher`),
  pooled from the paragraph's pass as the claims component pools it at run time; a fresh sample each epoch;
- ``sentiment``: NewsMTSC **train** targets, three classes on [target mean | sentence mean] (the
  target's word pieces pooled, as the portrayal head pools a mention); **dev-rw/dev-mt** score the epochs;
- ``roles``: SemEval-2025 Task 10 English **train** mentions in their paragraph, main role (3 classes)
  and fine roles (22 sigmoids) on [mention mean | paragraph mean]; 15% of the articles are held out.

Every evaluation split (CNC dev, CheckThat! test, NewsMTSC test, SemEval dev) stays unread:
``for_training=True`` refuses them.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..datasets import checkthat, cnc, newsmtsc, semeval2023, semeval2025

MAX_TOKENS = 256
VAL_SHARE = 0.15
CHECKWORTHY_PER_EPOCH = 8000
CHECKWORTHY_NEWS_PER_EPOCH = 3000
SENTIMENT = ("negative", "neutral", "positive")


@dataclass
class AuxExample:
    """One text of an auxiliary task: word-piece ids with [CLS]/[SEP] and its targets.

    ``spans`` are token ranges (in ``ids``) of the targets/mentions, one per row of ``y``; sentence-level
    tasks have no spans and one row.
    """

    task: str
    ids: list[int]
    y: np.ndarray  # causal/checkworthy: [1]; sentiment: [n_spans] class index; roles: [n_spans, 1 + n_fine]
    spans: list[tuple[int, int]] = field(default_factory=list)
    group: str = ""  # article id (roles) or sentence id, for the held-out split
    teacher: np.ndarray | None = None


def _encode(tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    enc = tokenizer.encode(text, add_special_tokens=False)
    return enc.ids, enc.offsets


def _wrap(tokenizer, ids: list[int]) -> list[int]:
    return [tokenizer.token_to_id("[CLS]"), *ids[: MAX_TOKENS - 2], tokenizer.token_to_id("[SEP]")]


def _token_span(offsets: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    # Word pieces overlapping [start, end), as indices into the wrapped ids (+1 for [CLS]).
    hit = [k for k, (s, e) in enumerate(offsets) if s < end and e > start]
    if not hit:
        return None
    i, j = hit[0] + 1, hit[-1] + 2
    return (i, j) if 1 <= i < j <= MAX_TOKENS - 1 else None


def held_out(groups: list[str], *, seed: int) -> set[str]:
    """A seeded VAL_SHARE of the distinct groups."""
    ordered = sorted(set(groups))
    random.Random(seed).shuffle(ordered)
    return set(ordered[: round(len(ordered) * VAL_SHARE)])


def causal(data: Path, tokenizer, *, seed: int) -> tuple[list[AuxExample], list[AuxExample]]:
    """(fine-tune, held-out) CNC subtask-1 train sentences."""
    rows = [
        AuxExample("causal", _wrap(tokenizer, _encode(tokenizer, s.text)[0]), np.array([float(s.causal)], np.float32), group=s.id)
        for s in cnc.subtask1(data, "train", for_training=True)
        if s.causal is not None
    ]
    val = held_out([r.group for r in rows], seed=seed)
    return [r for r in rows if r.group not in val], [r for r in rows if r.group in val]


def checkworthy(data: Path, tokenizer, split: str) -> list[AuxExample]:
    """CheckThat! 2024 English sentences of ``split`` (train or dev)."""
    return [
        AuxExample("checkworthy", _wrap(tokenizer, _encode(tokenizer, s.text)[0]), np.array([float(s.checkworthy)], np.float32), group=s.id)
        for s in checkthat.sentences(data, split, for_training=True)
    ]


def sample_checkworthy(rows: list[AuxExample], rng: random.Random) -> list[AuxExample]:
    """This epoch's share of the CheckThat! train sentences (a fresh sample each epoch)."""
    return rng.sample(rows, min(CHECKWORTHY_PER_EPOCH, len(rows)))


def checkworthy_news(data: Path, tokenizer, teacher: Path, *, exclude: set[str]) -> list[AuxExample]:
    """SemEval-2023 English train paragraphs with the teacher's check-worthiness of each sentence.

    ``teacher`` is :func:`.checkworthy_teacher.score_paragraphs`'s JSON Lines (article, paragraph start,
    sentence spans relative to it, probabilities); articles in ``exclude`` (the run's validation
    articles) are left out.
    """
    texts = {a.id: a.text for a in semeval2023.articles(data, "en", "train", subtask=3, for_training=True)}
    out = []
    for line in Path(teacher).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["article"] in exclude or row["article"] not in texts:
            continue
        paragraph = texts[row["article"]][row["start"] : row["start"] + max(e for _, e in row["sentences"])]
        ids, offsets = _encode(tokenizer, paragraph)
        spans, ys = [], []
        for (s, e), p in zip(row["sentences"], row["probs"], strict=True):
            span = _token_span(offsets, s, e)
            if span is not None:
                spans.append(span)
                ys.append(p)
        if spans:
            out.append(AuxExample("checkworthy_news", _wrap(tokenizer, ids), np.array(ys, np.float32), spans, group=row["article"]))
    return out


def sentiment(data: Path, tokenizer, split: str) -> list[AuxExample]:
    """NewsMTSC sentences of ``split``, one row per target the word pieces cover."""
    out = []
    for s in newsmtsc.sentences(data, split, for_training=True):
        ids, offsets = _encode(tokenizer, s.text)
        spans, ys = [], []
        for t in s.targets:
            span = _token_span(offsets, t.start, t.end)
            if span is not None:
                spans.append(span)
                ys.append(SENTIMENT.index(t.polarity))
        if spans:
            out.append(AuxExample("sentiment", _wrap(tokenizer, ids), np.array(ys, np.int64), spans, group=s.id))
    return out


def roles(data: Path, tokenizer, *, seed: int) -> tuple[list[AuxExample], list[AuxExample], list[str]]:
    """(fine-tune, held-out, fine-role labels): each English train paragraph holding labelled mentions.

    Targets per mention: main-role index, then one column per fine role. A paragraph longer than the
    window is cut to a window starting at most half a window before its first mention.
    """
    taxonomy = semeval2025.role_taxonomy(data)
    mains = list(semeval2025.MAIN_ROLES)
    fine = [f for m in mains for f in taxonomy[m]]
    out = []
    for a in semeval2025.articles(data, "EN", "train", for_training=True):
        if not a.mentions:
            continue
        pos = 0
        for line in a.text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            inside = [m for m in a.mentions if start <= m.start < end and m.main_role]
            if not inside or not line.strip():
                continue
            ids, offsets = _encode(tokenizer, line)
            first = min(k for k, (s, e) in enumerate(offsets) if e > min(m.start for m in inside) - start) if offsets else 0
            shift = max(0, min(first - (MAX_TOKENS - 2) // 2, len(ids) - (MAX_TOKENS - 2)))
            spans, ys = [], []
            for m in inside:
                span = _token_span(offsets[shift:], m.start - start, m.end - start)
                if span is None:
                    continue
                row = np.zeros(1 + len(fine), np.float32)
                row[0] = mains.index(m.main_role)
                for r in m.fine_roles:
                    if r in fine:
                        row[1 + fine.index(r)] = 1.0
                spans.append(span)
                ys.append(row)
            if spans:
                out.append(AuxExample("roles", _wrap(tokenizer, ids[shift:]), np.stack(ys), spans, group=a.id))
    val = held_out([r.group for r in out], seed=seed)
    return [r for r in out if r.group not in val], [r for r in out if r.group in val], fine
