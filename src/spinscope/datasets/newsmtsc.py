"""NewsMTSC (Hamborg & Donnay, EACL 2021): sentiment toward target mentions in news sentences.

Splits: ``train`` (``NewsMTSC-dataset/train.jsonl``) and the authors' dev/test halves of the two
evaluation sets, ``dev-mt``/``test-mt`` and ``dev-rw``/``test-rw``
(``experiments-datasets/newsmtsc-{mt,rw}/{dev,test}.jsonl``). The readme calls ``to`` "the last
character" but it is end-exclusive in every file (``sentence[from:to] == mention``); the reader checks that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import assert_trainable, check_split, malformed, read_text, require_dir

DATASET = "newsmtsc"
FOLDER = "newsmtsc"
POLARITIES: tuple[str, ...] = ("negative", "neutral", "positive")
_POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}

_FILES: dict[str, str] = {
    "train": "NewsMTSC-dataset/train.jsonl",
    "dev-mt": "experiments-datasets/newsmtsc-mt/dev.jsonl",
    "test-mt": "experiments-datasets/newsmtsc-mt/test.jsonl",
    "dev-rw": "experiments-datasets/newsmtsc-rw/dev.jsonl",
    "test-rw": "experiments-datasets/newsmtsc-rw/test.jsonl",
}


@dataclass(frozen=True)
class Mention:
    """A coreferent mention of a target (extracted automatically by the authors)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Target:
    """A target mention and the sentence's sentiment toward it."""

    id: str
    start: int
    end: int  # exclusive
    mention: str
    polarity: str  # negative | neutral | positive
    further_mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """One sentence with one or more targets."""

    id: str
    text: str
    targets: tuple[Target, ...]


def _mention(path: Path, number: int, text: str, raw: dict[str, Any]) -> tuple[int, int, str]:
    try:
        start, end, mention = int(raw["from"]), int(raw["to"]), str(raw["mention"])
    except (KeyError, TypeError, ValueError) as err:
        raise malformed(path, number, f"target lacks from/to/mention ({err})") from None
    if text[start:end] != mention:
        raise malformed(path, number, f"mention {mention!r} is not at {start}-{end} of the sentence")
    return start, end, mention


def _sentence(path: Path, number: int, line: str) -> Sentence:
    try:
        raw = json.loads(line)
        text = raw["sentence_normalized"]
        raw_targets = raw["targets"]
        sentence_id = str(raw["primary_gid"])
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise malformed(path, number, f"not a NewsMTSC JSON line ({err})") from None
    targets = []
    for target in raw_targets:
        start, end, mention = _mention(path, number, text, target)
        polarity = _POLARITY.get(target.get("polarity"))
        if polarity is None:
            raise malformed(path, number, f"polarity {target.get('polarity')!r} is not 2.0, 4.0 or 6.0")
        further = tuple(Mention(*_mention(path, number, text, m)) for m in target.get("further_mentions", ()))
        targets.append(Target(str(target.get("Input.gid", "")), start, end, mention, polarity, further))
    if not targets:
        raise malformed(path, number, "sentence has no targets")
    return Sentence(sentence_id, text, tuple(targets))


def sentences(data: Path, split: str, *, for_training: bool = False) -> list[Sentence]:
    """All sentences of ``split`` (train, dev-mt, test-mt, dev-rw, test-rw) in file order."""
    check_split(DATASET, split)
    if for_training:
        assert_trainable(DATASET, split)
    path = require_dir(Path(data) / FOLDER) / _FILES[split]
    return [
        _sentence(path, number, line)
        for number, line in enumerate(read_text(path).split("\n"), start=1)
        if line.strip()
    ]
