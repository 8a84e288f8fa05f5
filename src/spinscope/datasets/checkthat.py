"""CLEF-2024 CheckThat! Task 1, English: is a sentence from a political debate check-worthy?

Layout: ``<data>/checkthat2024-task1-english/CT24_checkworthy_english/CT24_checkworthy_english_{split}.tsv``
with a ``Sentence_id, Text, class_label`` header; ``test`` is the released ``test_gold`` file. The files
are CSV-quoted TSV (quotes doubled inside quoted texts), dev and dev-test with CRLF line ends, so they
are read with the ``csv`` module rather than split on tabs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import assert_trainable, check_split, csv_rows, malformed, require_dir

DATASET = "checkthat"
FOLDER = "checkthat2024-task1-english/CT24_checkworthy_english"
HEADER = ["Sentence_id", "Text", "class_label"]
_FILES = {"train": "train", "dev": "dev", "dev-test": "dev-test", "test": "test_gold"}
_LABELS = {"Yes": True, "No": False}


@dataclass(frozen=True)
class Sentence:
    """A debate sentence and whether it is check-worthy."""

    id: str
    text: str
    checkworthy: bool


def sentences(data: Path, split: str, *, for_training: bool = False) -> list[Sentence]:
    """All sentences of ``split`` (train, dev, dev-test, test) in file order."""
    check_split(DATASET, split)
    if for_training:
        assert_trainable(DATASET, split)
    path = require_dir(Path(data) / FOLDER) / f"CT24_checkworthy_english_{_FILES[split]}.tsv"
    rows = csv_rows(path, delimiter="\t")
    first = next(rows, None)
    if first is None or [c.strip() for c in first[1]] != HEADER:
        raise malformed(path, 1, f"expected the header {' '.join(HEADER)}")
    out: list[Sentence] = []
    for number, row in rows:
        if len(row) != 3:
            raise malformed(path, number, f"expected 3 fields, found {len(row)}")
        label = _LABELS.get(row[2].strip())
        if label is None:
            raise malformed(path, number, f"class_label {row[2]!r} is not Yes or No")
        out.append(Sentence(row[0].strip(), row[1], label))
    return out
