"""PTC v2 / SemEval-2020 Task 11: propaganda span identification (SI) and technique classification (TC).

Layout: ``<data>/ptc-semeval2020-task11/datasets/{split}-articles/article<ID>.txt`` with the gold in
``{split}-task-si.labels`` (``id, start, end``) and ``{split}-task-flc-tc.labels`` (``id, technique,
start, end``); offsets are end-exclusive into the article file. Test has articles and the TC input
template only.

Overlap with SemEval-2023 Task 3 (checked by article ID): PTC train + dev are the SemEval-2023 English
subtask-3 train articles, and PTC test is the SemEval-2023 English dev set (:func:`test_ids`). That is
why ``test`` is held out here too, and why no model may train on PTC test texts while being scored on
SemEval-2023 en dev.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataNotFound
from . import (
    CharSpan,
    LabelledSpan,
    assert_trainable,
    check_split,
    malformed,
    parse_int,
    read_text,
    require_dir,
    tsv_lines,
)

DATASET = "ptc"
FOLDER = "ptc-semeval2020-task11"
TECHNIQUES_FILE = "propaganda-techniques-scorer/data/propaganda-techniques-names-semeval2020task11.txt"

_ARTICLE_FILE = re.compile(r"article(\d+)\.txt")


@dataclass(frozen=True)
class Article:
    """One PTC article with its SI and TC gold (None on test)."""

    id: str
    split: str
    text: str  # exactly as in the file
    si_spans: tuple[CharSpan, ...] | None = None
    tc_spans: tuple[LabelledSpan, ...] | None = None


def _datasets(data: Path) -> Path:
    return require_dir(require_dir(Path(data) / FOLDER) / "datasets")


def techniques(data: Path) -> tuple[str, ...]:
    """The 14 TC technique labels of SemEval-2020 Task 11."""
    text = read_text(Path(data) / FOLDER / TECHNIQUES_FILE)
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def _ids(folder: Path) -> list[str]:
    return sorted((m.group(1) for p in folder.iterdir() if (m := _ARTICLE_FILE.fullmatch(p.name))), key=int)


def test_ids(data: Path) -> frozenset[str]:
    """PTC test article IDs: the same articles as SemEval-2023 en dev (subtask 3), relabelled there."""
    return frozenset(_ids(require_dir(_datasets(data) / "test-articles")))


def _gold(path: Path, *, labelled: bool) -> dict[str, list[tuple[int, LabelledSpan]]]:
    width = 4 if labelled else 3
    gold: dict[str, list[tuple[int, LabelledSpan]]] = {}
    for number, fields in tsv_lines(path, min_fields=width, max_fields=width):
        label = fields[1].strip() if labelled else ""
        start = parse_int(path, number, fields[-2], "start")
        end = parse_int(path, number, fields[-1], "end")
        gold.setdefault(fields[0], []).append((number, LabelledSpan(label, start, end)))
    return gold


def _checked(path: Path, text: str, spans: list[tuple[int, LabelledSpan]]) -> list[LabelledSpan]:
    for number, span in spans:
        if not 0 <= span.start < span.end <= len(text):
            raise malformed(path, number, f"span {span.start}-{span.end} outside the article ({len(text)} chars)")
    return [span for _, span in spans]


def articles(data: Path, split: str, *, for_training: bool = False) -> Iterator[Article]:
    """PTC articles of ``split`` with SI and TC gold, read lazily in ID order (label files are read first)."""
    check_split(DATASET, split)
    if for_training:
        assert_trainable(DATASET, split)
    root = _datasets(data)
    folder = require_dir(root / f"{split}-articles")
    ids = _ids(folder)
    si = tc = None
    si_path = root / f"{split}-task-si.labels"
    tc_path = root / f"{split}-task-flc-tc.labels"
    if split != "test":
        si, tc = _gold(si_path, labelled=False), _gold(tc_path, labelled=True)
        unknown = (set(si) | set(tc)) - set(ids)
        if unknown:
            raise DataNotFound(f"{tc_path}: labels for article(s) {', '.join(sorted(unknown)[:5])} not in {folder}")

    def iterate() -> Iterator[Article]:
        for article_id in ids:
            text = read_text(folder / f"article{article_id}.txt")
            yield Article(
                id=article_id,
                split=split,
                text=text,
                si_spans=None
                if si is None
                else tuple(CharSpan(s.start, s.end) for s in _checked(si_path, text, si.get(article_id, []))),
                tc_spans=None if tc is None else tuple(_checked(tc_path, text, tc.get(article_id, []))),
            )

    return iterate()


def test_template(data: Path) -> dict[str, tuple[CharSpan, ...]]:
    """The TC test input spans (``test-task-tc-template.out``: ``id, ?, start, end``), per article."""
    path = _datasets(data) / "test-task-tc-template.out"
    spans: dict[str, list[CharSpan]] = {}
    for number, fields in tsv_lines(path, min_fields=4, max_fields=4):
        spans.setdefault(fields[0], []).append(
            CharSpan(parse_int(path, number, fields[2], "start"), parse_int(path, number, fields[3], "end"))
        )
    return {k: tuple(v) for k, v in spans.items()}
