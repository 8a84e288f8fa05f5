"""Webis-Editorials-16 (the 266-editorial subset shipped with Webis COLING-20): argumentative units.

Layout: ``<data>/webis-editorials-16-coling20-subset/data-source/{aljazeera,foxnews,guardian}/<NNN>-<slug>.json``,
each ``{"paragraphs": [[{"number", "text", "label"}, ...], ...]}``. There are no splits; the one split is
``all``. Segment texts are kept as released (units and the ``no-unit`` text between them, e.g. a lone ``.``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataNotFound
from . import assert_trainable, check_split, read_text, require_dir

DATASET = "webis"
FOLDER = "webis-editorials-16-coling20-subset/data-source"
OUTLETS: tuple[str, ...] = ("aljazeera", "foxnews", "guardian")
LABELS: tuple[str, ...] = (
    "assumption",
    "anecdote",
    "testimony",
    "statistics",
    "common-ground",
    "other",
    "no-unit",
    "title",
)


@dataclass(frozen=True)
class Segment:
    """A unit (or the text between units) with its Webis-Editorials-16 type."""

    number: int
    text: str
    label: str


@dataclass(frozen=True)
class Editorial:
    """One editorial: paragraphs, each a sequence of segments."""

    id: str  # "<outlet>/<file stem>"
    outlet: str
    paragraphs: tuple[tuple[Segment, ...], ...]


def _editorial(path: Path, outlet: str) -> Editorial:
    try:
        raw = json.loads(read_text(path))
        paragraphs = tuple(
            tuple(Segment(int(s["number"]), str(s["text"]), str(s["label"])) for s in paragraph)
            for paragraph in raw["paragraphs"]
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
        raise DataNotFound(f"{path}: not a Webis editorial JSON ({err})") from None
    unknown = {s.label for p in paragraphs for s in p} - set(LABELS)
    if unknown:
        raise DataNotFound(f"{path}: unknown segment label(s) {', '.join(sorted(unknown))}")
    return Editorial(f"{outlet}/{path.stem}", outlet, paragraphs)


def editorials(data: Path, split: str = "all", *, for_training: bool = False) -> list[Editorial]:
    """All editorials, outlet by outlet, in file-name order."""
    check_split(DATASET, split)
    if for_training:
        assert_trainable(DATASET, split)
    root = require_dir(Path(data) / FOLDER)
    return [
        _editorial(path, outlet)
        for outlet in OUTLETS
        for path in sorted(require_dir(root / outlet).glob("*.json"))
    ]
