"""Causal News Corpus V2 (CASE 2023 shared task 3): causal sentences and their cause/effect/signal spans.

Layout: ``<data>/causal-news-corpus/data/V2/``. Subtask 1 (is the sentence causal?) reads
``{train,dev}_subtask1.csv`` and ``test_subtask1_text.csv``; subtask 2 reads one row per sentence from
``{train,dev}_subtask2_grouped.csv`` (all sentences; non-causal ones have no relations) and
``test_subtask2_text.csv``. The CSVs start with a UTF-8 BOM. Relations are marked inline as
``<ARG0>cause</ARG0> … <ARG1>effect</ARG1> … <SIG0>signal</SIG0>``; :func:`parse_markup` turns the
markup into end-exclusive offsets on the clean sentence, which equals the ``text`` column.
Subtask-2 sentence IDs are ``<doc_id>_<sent_id>``, the same as the subtask-1 ``index``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import CharSpan, assert_trainable, check_split, csv_rows, malformed, require_dir

DATASET = "cnc"
FOLDER = "causal-news-corpus/data/V2"
_TAG = re.compile(r"<(/?)(ARG0|ARG1|SIG\d+)>")


@dataclass(frozen=True)
class Sentence:
    """Subtask 1: a sentence and whether it states a causal relation (None on test)."""

    id: str
    text: str
    causal: bool | None


@dataclass(frozen=True)
class Relation:
    """One cause-effect pair; ``signals`` are the connective spans, if marked."""

    cause: CharSpan
    effect: CharSpan
    signals: tuple[CharSpan, ...] = ()


@dataclass(frozen=True)
class SpanSentence:
    """Subtask 2: a sentence with its causal relations (empty if not causal; None on test)."""

    id: str
    text: str
    relations: tuple[Relation, ...] | None


def parse_markup(marked: str) -> tuple[str, Relation]:
    """Strip ``<ARG0>/<ARG1>/<SIGn>`` tags from ``marked``; return the clean text and the relation on it."""
    pieces: list[str] = []
    open_at: dict[str, int] = {}
    spans: dict[str, CharSpan] = {}
    pos = 0  # offset in the clean text
    last = 0  # offset in the marked text
    for match in _TAG.finditer(marked):
        pieces.append(marked[last : match.start()])
        pos += match.start() - last
        last = match.end()
        closing, tag = match.group(1) == "/", match.group(2)
        if not closing:
            if tag in open_at or tag in spans:
                raise ValueError(f"tag <{tag}> opened twice")
            open_at[tag] = pos
        else:
            if tag not in open_at:
                raise ValueError(f"</{tag}> without <{tag}>")
            spans[tag] = CharSpan(open_at.pop(tag), pos)
    pieces.append(marked[last:])
    if open_at:
        raise ValueError(f"unclosed tag(s): {', '.join(sorted(open_at))}")
    if "ARG0" not in spans or "ARG1" not in spans:
        raise ValueError("a relation needs both <ARG0> (cause) and <ARG1> (effect)")
    signals = tuple(spans[t] for t in sorted((t for t in spans if t.startswith("SIG")), key=lambda t: int(t[3:])))
    return "".join(pieces), Relation(spans["ARG0"], spans["ARG1"], signals)


def _root(data: Path) -> Path:
    return require_dir(Path(data) / FOLDER)


def _records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a BOM-prefixed CSV as dicts keyed by the header."""
    rows = csv_rows(path, encoding="utf-8-sig")
    first = next(rows, None)
    if first is None:
        raise malformed(path, 1, "empty file, expected a header")
    header = first[1]
    for number, row in rows:
        if len(row) != len(header):
            raise malformed(path, number, f"expected {len(header)} fields, found {len(row)}")
        yield number, dict(zip(header, row, strict=True))


def _field(path: Path, number: int, record: dict[str, str], name: str) -> str:
    if name not in record:
        raise malformed(path, number, f"no {name!r} column")
    return record[name]


def _split_file(data: Path, split: str, for_training: bool, *, labelled: str, test: str) -> Path:
    """The CSV of ``split``: ``test`` on test, else ``<split>_<labelled>``; checks the split may be read."""
    check_split(DATASET, split)
    if for_training:
        assert_trainable(DATASET, split)
    return _root(data) / (test if split == "test" else f"{split}_{labelled}")


def subtask1(data: Path, split: str, *, for_training: bool = False) -> list[Sentence]:
    """Subtask 1 sentences of ``split`` (train, dev, test) with their causal label (None on test)."""
    path = _split_file(data, split, for_training, labelled="subtask1.csv", test="test_subtask1_text.csv")
    out: list[Sentence] = []
    for number, record in _records(path):
        label: bool | None = None
        if split != "test":
            value = _field(path, number, record, "label").strip()
            if value not in ("0", "1"):
                raise malformed(path, number, f"label {value!r} is not 0 or 1")
            label = value == "1"
        out.append(Sentence(_field(path, number, record, "index"), _field(path, number, record, "text"), label))
    return out


def subtask2(data: Path, split: str, *, for_training: bool = False) -> list[SpanSentence]:
    """Subtask 2 sentences of ``split`` with cause/effect/signal spans (all sentences; None relations on test)."""
    path = _split_file(
        data, split, for_training, labelled="subtask2_grouped.csv", test="test_subtask2_text.csv"
    )
    out: list[SpanSentence] = []
    for number, record in _records(path):
        text = _field(path, number, record, "text")
        sentence_id = f"{_field(path, number, record, 'doc_id')}_{_field(path, number, record, 'sent_id')}"
        relations: tuple[Relation, ...] | None = None
        if split != "test":
            try:
                marked = ast.literal_eval(_field(path, number, record, "causal_text_w_pairs"))
                if not isinstance(marked, list) or not all(isinstance(m, str) for m in marked):
                    raise ValueError("causal_text_w_pairs is not a list of strings")
                parsed = [parse_markup(m) for m in marked]
            except (ValueError, SyntaxError) as err:
                raise malformed(path, number, f"bad relation markup ({err})") from None
            for clean, _ in parsed:
                if clean != text:
                    raise malformed(path, number, "marked-up text without tags differs from the text column")
            relations = tuple(relation for _, relation in parsed)
        out.append(SpanSentence(sentence_id, text, relations))
    return out
