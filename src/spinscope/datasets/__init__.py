"""Readers for the research datasets in ``../shared/data``, and the rules that keep held-out splits out of training.

One module per dataset: ``semeval2023``, ``ptc``, ``newsmtsc``, ``checkthat``, ``cnc``, ``semeval2025``,
``webis``. Every reader takes the data root (the folder that holds ``semeval2023-task3/`` and the others)
and a split name, returns plain typed dataclasses, and raises :class:`~spinscope.errors.DataNotFound`
naming the path it looked for (``file:line`` for a malformed line).

Training code asks for data with ``for_training=True``. That calls :func:`assert_trainable` first, so a
held-out split raises :class:`~spinscope.errors.HeldOutSplit` before a single file is read, and it drops
items known to leak into a held-out split (SemEval-2023: :func:`semeval2023.contaminated_ids`).
Evaluation code reads with the default ``for_training=False``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ..errors import DataNotFound, HeldOutSplit, UnknownSplit

# Split names each reader accepts.
SPLITS: dict[str, tuple[str, ...]] = {
    "semeval2023": ("train", "dev", "test"),
    "ptc": ("train", "dev", "test"),
    "newsmtsc": ("train", "dev-mt", "test-mt", "dev-rw", "test-rw"),
    "checkthat": ("train", "dev", "dev-test", "test"),
    "cnc": ("train", "dev", "test"),
    "semeval2025": ("train", "dev", "test"),
    "webis": ("all",),
}

# Splits that are for evaluation only: never train, tune or select on them.
HELD_OUT: dict[str, frozenset[str]] = {
    # No public test gold: dev stands in for test.
    "semeval2023": frozenset({"dev", "test"}),
    # PTC test = SemEval-2023 en dev (same article IDs). PTC dev is SemEval-2023 en train, so it stays trainable.
    "ptc": frozenset({"test"}),
    # Dev and test gold both exist: dev may be used for selection.
    "newsmtsc": frozenset({"test-mt", "test-rw"}),
    # dev-test is a test split by name and purpose (released for scoring, not for tuning).
    "checkthat": frozenset({"dev-test", "test"}),
    # Test is text-only, so dev is the only gold left for evaluation: it stands in for test like SemEval dev.
    "cnc": frozenset({"dev", "test"}),
    "semeval2025": frozenset({"dev", "test"}),
    "webis": frozenset(),
}


def check_split(dataset: str, split: str) -> None:
    """Raise ``UnknownSplit`` unless ``split`` is one of ``dataset``'s splits."""
    if dataset not in SPLITS:
        raise UnknownSplit(f"unknown dataset {dataset!r}; choose one of: {', '.join(SPLITS)}")
    if split not in SPLITS[dataset]:
        raise UnknownSplit(f"dataset {dataset!r} has no split {split!r}; choose one of: {', '.join(SPLITS[dataset])}")


def is_held_out(dataset: str, split: str) -> bool:
    """True if ``split`` of ``dataset`` is for evaluation only."""
    check_split(dataset, split)
    return split in HELD_OUT[dataset]


def assert_trainable(dataset: str, split: str) -> None:
    """Raise ``HeldOutSplit`` if training must not read ``split`` of ``dataset``."""
    if is_held_out(dataset, split):
        raise HeldOutSplit(
            f"{dataset} {split} is held out for evaluation; train on one of: "
            f"{', '.join(s for s in SPLITS[dataset] if s not in HELD_OUT[dataset]) or '(none)'}"
        )


class CharSpan(NamedTuple):
    """A half-open character range ``text[start:end]``."""

    start: int
    end: int


class LabelledSpan(NamedTuple):
    """A labelled half-open character range (the tuple shape :mod:`spinscope.metrics` scores)."""

    label: str
    start: int
    end: int


# --- file helpers shared by the reader modules -------------------------------------------------------


def require_dir(path: Path) -> Path:
    """Return ``path`` if it is a folder, else raise ``DataNotFound`` naming it."""
    if not path.is_dir():
        raise DataNotFound(f"missing folder {path}")
    return path


def read_text(path: Path, *, encoding: str = "utf-8") -> str:
    """The file's text with line endings and any BOM kept, so released offsets stay valid."""
    try:
        with open(path, encoding=encoding, newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise DataNotFound(f"missing file {path}") from None
    except IsADirectoryError:
        raise DataNotFound(f"expected a file, found a folder: {path}") from None
    except UnicodeDecodeError as err:
        raise DataNotFound(f"{path}: not {encoding} text ({err.reason} at byte {err.start})") from None


def malformed(path: Path, line: int, why: str) -> DataNotFound:
    """The error for a line that does not have the documented format."""
    return DataNotFound(f"{path}:{line}: {why}")


def tsv_lines(path: Path, *, min_fields: int, max_fields: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, fields)`` for each non-blank line of a plain (unquoted) TSV file, CR stripped."""
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < min_fields or (max_fields is not None and len(fields) > max_fields):
            expected = str(min_fields) if max_fields == min_fields else f"at least {min_fields}"
            raise malformed(path, number, f"expected {expected} tab-separated fields, found {len(fields)}")
        yield number, fields


def csv_rows(path: Path, *, delimiter: str = ",", encoding: str = "utf-8") -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, row)`` for a quoted CSV/TSV file, header included; line numbers are 1-based."""
    text = read_text(path, encoding=encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if row:
                # line_num counts physical lines read so far, i.e. the last line of this record.
                yield reader.line_num, row
    except csv.Error as err:
        raise malformed(path, reader.line_num, f"bad CSV quoting ({err})") from None


def parse_int(path: Path, line: int, value: str, what: str) -> int:
    """``int(value)``, or ``DataNotFound`` naming the file and line."""
    try:
        return int(value)
    except ValueError:
        raise malformed(path, line, f"{what} {value!r} is not an integer") from None
