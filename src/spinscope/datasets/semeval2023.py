"""SemEval-2023 Task 3: genre (subtask 1), frames (subtask 2), persuasion techniques (subtask 3).

Layout: ``<data>/semeval2023-task3/data/<lang>/{split}-articles-subtask-{1,2,3}/article<ID>.txt`` and the
label files beside them (see that folder's SOURCE.md). Article text is kept exactly as in the file,
including the byte-order mark two English articles start with: the released span offsets count it.

Quirks handled here, measured on the staged copy:

* Paragraphs are the file's non-blank lines; subtask-3 labels and ``.template`` files number them by
  their 1-based line number in the file (blank and whitespace-only lines are skipped, not renumbered).
* The released paragraph label ``Appeal_to_Fear-Prejudi-čce`` is read as ``Appeal_to_Fear-Prejudice``.
* In many non-English articles the span offsets were computed on a CRLF copy of the text (every newline
  counted twice). Each article's offsets are tested both ways and mapped back onto the LF text when the
  CRLF reading puts clearly more span starts at word starts; :attr:`Article.span_offsets` says which.
* Subtask 1 and subtasks 2/3 split the non-English articles differently: about a quarter of the
  subtask-1 train articles are subtask-2/3 dev articles and the reverse (identical texts, same IDs). In
  English, 7 subtask-1/2 train articles are subtask-3 dev articles. :func:`contaminated_ids` lists them
  all; ``for_training=True`` drops them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..document import Document, Paragraph
from ..errors import DataNotFound, UnknownSplit
from . import (
    LabelledSpan,
    assert_trainable,
    check_split,
    malformed,
    parse_int,
    read_text,
    require_dir,
    tsv_lines,
)

DATASET = "semeval2023"
FOLDER = "semeval2023-task3"
LANGUAGES: tuple[str, ...] = ("en", "fr", "ge", "it", "po", "ru", "es", "gr", "ka")
SUBTASKS: tuple[int, ...] = (1, 2, 3)
GENRES: tuple[str, ...] = ("opinion", "reporting", "satire")
TYPOS: dict[str, str] = {"Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice"}

_ARTICLE_FILE = re.compile(r"article(\d+)\.txt")
_SPAN_FILE = re.compile(r"article(\d+)-labels-subtask-3\.txt")


@dataclass(frozen=True)
class Line:
    """One non-blank line of an article file: the paragraph unit of subtask 3."""

    number: int  # 1-based line number in the file, as the subtask-3 labels use it
    start: int
    end: int  # exclusive; the newline is not included


@dataclass(frozen=True)
class Article:
    """One article of one subtask folder, with the gold labels that folder's subtask has (None on test)."""

    id: str
    lang: str
    split: str
    subtask: int
    text: str  # exactly as in the file
    genre: str | None = None  # subtask 1
    frames: tuple[str, ...] | None = None  # subtask 2
    techniques: Mapping[int, tuple[str, ...]] | None = field(default=None, compare=False)  # subtask 3: line -> labels
    spans: tuple[LabelledSpan, ...] | None = None  # subtask 3: technique spans into ``text``
    span_offsets: str = "lf"  # "crlf" if the released offsets counted newlines twice and were mapped back

    @property
    def title(self) -> str:
        """The first line, without BOM or surrounding whitespace."""
        return self.text.split("\n", 1)[0].lstrip("\ufeff").strip()

    @cached_property
    def paragraphs(self) -> tuple[Line, ...]:
        """The non-blank lines with their offsets; line 1 starts after a BOM if there is one."""
        return split_lines(self.text)


def split_lines(text: str) -> tuple[Line, ...]:
    """Non-blank lines of ``text`` as :class:`Line` (split on ``\\n`` only, as the released numbering is)."""
    lines: list[Line] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        first = start + 1 if number == 1 and line.startswith("\ufeff") else start
        if line.strip():
            lines.append(Line(number, first, end))
        start = end + 1
    return tuple(lines)


def article_document(text: str) -> Document:
    """A Document whose paragraphs are the article file's non-blank lines (the subtask-3 paragraph unit)."""
    return Document(text, paragraphs=[Paragraph(line.start, line.end) for line in split_lines(text)])


# --- paths -------------------------------------------------------------------------------------------


def _root(data: Path) -> Path:
    return require_dir(Path(data) / FOLDER)


def _lang_dir(data: Path, lang: str) -> Path:
    if lang not in LANGUAGES:
        raise UnknownSplit(f"SemEval-2023 has no language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    return require_dir(_root(data) / "data" / lang)


def _article_dir(data: Path, lang: str, split: str, subtask: int) -> Path:
    check_split(DATASET, split)
    if subtask not in SUBTASKS:
        raise UnknownSplit(f"SemEval-2023 has no subtask {subtask!r}; choose 1, 2 or 3")
    return require_dir(_lang_dir(data, lang) / f"{split}-articles-subtask-{subtask}")


def _article_ids(folder: Path) -> list[str]:
    """IDs of the ``article<ID>.txt`` files in ``folder``, in numeric order."""
    ids = [m.group(1) for p in folder.iterdir() if (m := _ARTICLE_FILE.fullmatch(p.name))]
    return sorted(ids, key=int)


def languages(data: Path, split: str) -> tuple[str, ...]:
    """The languages that have ``split`` on disk (train/dev: en fr ge it po ru; test: all nine)."""
    check_split(DATASET, split)
    root = _root(data) / "data"
    return tuple(lang for lang in LANGUAGES if (root / lang / f"{split}-articles-subtask-1").is_dir())


# --- label lists -------------------------------------------------------------------------------------


def _label_list(path: Path) -> tuple[str, ...]:
    return tuple(line.strip() for line in read_text(path).split("\n") if line.strip())


def frames(data: Path) -> tuple[str, ...]:
    """The 14 frame labels of subtask 2 (``scorers/frames_subtask2.txt``)."""
    return _label_list(_root(data) / "scorers" / "frames_subtask2.txt")


def techniques(data: Path) -> tuple[str, ...]:
    """The 23 persuasion-technique labels of subtask 3 (``scorers/techniques_subtask3.txt``)."""
    return _label_list(_root(data) / "scorers" / "techniques_subtask3.txt")


# --- gold labels ---------------------------------------------------------------------------------------


def _normalise(label: str) -> str:
    return TYPOS.get(label, label)


def _split_labels(value: str) -> tuple[str, ...]:
    return tuple(_normalise(x.strip()) for x in value.split(",") if x.strip())


def _guard(data: Path, split: str, for_training: bool) -> frozenset[str]:
    """Check the split; for training, refuse held-out splits and return the IDs to skip."""
    check_split(DATASET, split)
    if not for_training:
        return frozenset()
    assert_trainable(DATASET, split)
    return contaminated_ids(data)


def genre_labels(data: Path, lang: str, split: str, *, for_training: bool = False) -> dict[str, str]:
    """Subtask 1: article ID -> opinion | reporting | satire."""
    skip = _guard(data, split, for_training)
    path = _lang_dir(data, lang) / f"{split}-labels-subtask-1.txt"
    labels: dict[str, str] = {}
    for number, (article_id, genre) in tsv_lines(path, min_fields=2, max_fields=2):
        if genre.strip() not in GENRES:
            raise malformed(path, number, f"genre {genre!r} is not one of {', '.join(GENRES)}")
        if article_id not in skip:
            labels[article_id] = genre.strip()
    return labels


# The op-ed benches label slices of the English train opinion articles in this seeded order
# (bench/causal_claims_oped.py the first 14, bench/checkworthy_oped.py the next 12).
OPED_SEED = 20261206
OPED_LABELLED = 26


def opinion_train_articles(data: Path) -> list[Path]:
    """The English train articles of gold genre opinion (subtask-3 files), shuffled with :data:`OPED_SEED`.

    Its first :data:`OPED_LABELLED` are the op-ed benches' samples; trainers that read article texts
    beyond the task's own labels (the check-worthiness teacher) leave them out.
    """
    genres = genre_labels(data, "en", "train", for_training=True)
    files = [f for f in sorted(_article_dir(data, "en", "train", 3).glob("article*.txt")) if genres.get(f.stem[len("article") :]) == "opinion"]
    random.Random(OPED_SEED).shuffle(files)
    return files


def frame_labels(data: Path, lang: str, split: str, *, for_training: bool = False) -> dict[str, tuple[str, ...]]:
    """Subtask 2: article ID -> its frames (possibly none), in file order."""
    skip = _guard(data, split, for_training)
    path = _lang_dir(data, lang) / f"{split}-labels-subtask-2.txt"
    labels: dict[str, tuple[str, ...]] = {}
    for _, fields in tsv_lines(path, min_fields=1, max_fields=2):
        if fields[0] not in skip:
            labels[fields[0]] = _split_labels(fields[1]) if len(fields) == 2 else ()
    return labels


def paragraph_labels(
    data: Path, lang: str, split: str, *, for_training: bool = False
) -> dict[str, dict[int, tuple[str, ...]]]:
    """Subtask 3: article ID -> {line number -> techniques (possibly none)}."""
    skip = _guard(data, split, for_training)
    path = _lang_dir(data, lang) / f"{split}-labels-subtask-3.txt"
    labels: dict[str, dict[int, tuple[str, ...]]] = {}
    for number, fields in tsv_lines(path, min_fields=2, max_fields=3):
        article_id, line = fields[0], parse_int(path, number, fields[1], "paragraph number")
        if article_id not in skip:
            labels.setdefault(article_id, {})[line] = _split_labels(fields[2]) if len(fields) == 3 else ()
    return labels


def technique_spans(
    data: Path, lang: str, split: str, *, for_training: bool = False
) -> dict[str, tuple[LabelledSpan, ...]]:
    """Subtask 3: article ID -> technique spans as end-exclusive offsets into the subtask-3 article text."""
    return {
        article.id: article.spans or ()
        for article in articles(data, lang, split, subtask=3, for_training=for_training)
    }


def _raw_spans(path: Path, article_id: str) -> list[tuple[int, LabelledSpan]]:
    spans: list[tuple[int, LabelledSpan]] = []
    for number, (file_id, technique, start, end) in tsv_lines(path, min_fields=4, max_fields=4):
        if file_id != article_id:
            raise malformed(path, number, f"article ID {file_id!r} in the spans file of article {article_id}")
        span = LabelledSpan(
            _normalise(technique.strip()), parse_int(path, number, start, "start"), parse_int(path, number, end, "end")
        )
        spans.append((number, span))
    return spans


# --- CRLF offset repair -----------------------------------------------------------------------------


def _word_start(text: str, i: int) -> bool:
    return 0 <= i < len(text) and not text[i].isspace() and (i == 0 or not text[i - 1].isalnum())


def crlf_to_lf(text: str) -> list[int]:
    """Map every offset into ``text`` with LF turned into CRLF back to an offset into ``text``."""
    mapping: list[int] = []
    for i, char in enumerate(text):
        mapping.append(i)
        if char == "\n":  # the CR and the LF of a CRLF pair both map onto the LF
            mapping.append(i)
    mapping.append(len(text))
    return mapping


def align_spans(text: str, spans: list[LabelledSpan]) -> tuple[list[LabelledSpan], str]:
    """Decide whether ``spans`` count newlines once (``"lf"``) or twice (``"crlf"``) and return LF offsets."""
    if not spans or "\n" not in text:
        return spans, "lf"
    mapping = crlf_to_lf(text)
    lf_hits = sum(_word_start(text, s.start) for s in spans)
    crlf_hits = sum(s.start < len(mapping) and _word_start(text, mapping[s.start]) for s in spans)
    beyond = any(s.end > len(text) for s in spans)
    if crlf_hits > lf_hits or (beyond and all(s.end < len(mapping) for s in spans)):
        return [LabelledSpan(s.label, mapping[s.start], mapping[s.end]) for s in spans], "crlf"
    return spans, "lf"


# --- articles ----------------------------------------------------------------------------------------


def articles(
    data: Path, lang: str, split: str, *, subtask: int = 3, for_training: bool = False
) -> Iterator[Article]:
    """The articles of one subtask folder with that subtask's gold labels, read lazily in ID order.

    Folders and label files are checked before this returns; article files are read while iterating.
    With ``for_training=True`` a held-out split raises ``HeldOutSplit`` and contaminated IDs are skipped.
    """
    skip = _guard(data, split, for_training)
    folder = _article_dir(data, lang, split, subtask)
    ids = [i for i in _article_ids(folder) if i not in skip]
    has_gold = split != "test"
    genres = genre_labels(data, lang, split) if has_gold and subtask == 1 else None
    frame_map = frame_labels(data, lang, split) if has_gold and subtask == 2 else None
    paragraph_map = paragraph_labels(data, lang, split) if has_gold and subtask == 3 else None
    span_dir = require_dir(_lang_dir(data, lang) / f"{split}-labels-subtask-3-spans") if paragraph_map else None
    for labels, path in (
        (genres, f"{split}-labels-subtask-1.txt"),
        (frame_map, f"{split}-labels-subtask-2.txt"),
        (paragraph_map, f"{split}-labels-subtask-3.txt"),
    ):
        missing = [i for i in ids if labels is not None and i not in labels]
        if missing:
            raise DataNotFound(
                f"{_lang_dir(data, lang) / path}: no labels for article(s) {', '.join(missing[:5])} of {folder}"
            )
    return _iter_articles(folder, ids, lang, split, subtask, genres, frame_map, paragraph_map, span_dir)


def _iter_articles(
    folder: Path,
    ids: list[str],
    lang: str,
    split: str,
    subtask: int,
    genres: dict[str, str] | None,
    frame_map: dict[str, tuple[str, ...]] | None,
    paragraph_map: dict[str, dict[int, tuple[str, ...]]] | None,
    span_dir: Path | None,
) -> Iterator[Article]:
    for article_id in ids:
        path = folder / f"article{article_id}.txt"
        text = read_text(path)
        spans: tuple[LabelledSpan, ...] | None = None
        offsets = "lf"
        techniques_by_line = None
        if paragraph_map is not None and span_dir is not None:
            techniques_by_line = paragraph_map[article_id]
            line_numbers = {line.number for line in split_lines(text)}
            unknown = sorted(set(techniques_by_line) - line_numbers)
            if unknown:
                raise DataNotFound(f"{path}: labelled paragraph line(s) {unknown[:5]} are blank or past the end")
            span_path = span_dir / f"article{article_id}-labels-subtask-3.txt"
            raw = _raw_spans(span_path, article_id)
            aligned, offsets = align_spans(text, [span for _, span in raw])
            for (number, _), span in zip(raw, aligned, strict=True):
                if not 0 <= span.start < span.end <= len(text):
                    raise malformed(span_path, number, f"span {span.start}-{span.end} outside the article ({len(text)} chars)")
            spans = tuple(aligned)
        yield Article(
            id=article_id,
            lang=lang,
            split=split,
            subtask=subtask,
            text=text,
            genre=genres[article_id] if genres is not None else None,
            frames=frame_map[article_id] if frame_map is not None else None,
            techniques=techniques_by_line,
            spans=spans,
            span_offsets=offsets,
        )


# --- contamination -----------------------------------------------------------------------------------


def _subtask_ids(data: Path, lang: str, split: str, subtask: int) -> set[str]:
    folder = _lang_dir(data, lang) / f"{split}-articles-subtask-{subtask}"
    return set(_article_ids(folder)) if folder.is_dir() else set()


def _folder_ids(data: Path, lang: str, split: str) -> set[str]:
    return set().union(*(_subtask_ids(data, lang, split, st) for st in SUBTASKS))


def contaminated_ids(data: Path) -> frozenset[str]:
    """Train article IDs (any subtask folder) that are also dev or test articles (any subtask folder).

    Training on them would show a shared encoder the text of held-out articles. IDs are unique across
    languages, so one set serves all of them.
    """
    ids: set[str] = set()
    for lang in languages(data, "train"):
        held_out = _folder_ids(data, lang, "dev") | _folder_ids(data, lang, "test")
        ids |= _folder_ids(data, lang, "train") & held_out
    return frozenset(ids)


def contamination_report(data: Path) -> dict[str, dict[str, int]]:
    """Per language, how many train articles of each subtask folder are dev articles of any subtask."""
    report: dict[str, dict[str, int]] = {}
    for lang in languages(data, "train"):
        dev = _folder_ids(data, lang, "dev")
        report[lang] = {
            f"subtask{st}": len(_subtask_ids(data, lang, "train", st) & dev) for st in SUBTASKS
        }
    return report
