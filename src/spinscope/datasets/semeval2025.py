"""SemEval-2025 Task 10: entity framing (subtask 1), narratives (subtask 2), narrative explanations (subtask 3).

Layout under ``<data>/semeval2025-task10/`` (see SOURCE.md):

* train: ``target_4_December_release/<LANG>/raw-documents/`` and ``subtask-{1,2,3}-annotations.txt``;
  RU comes from ``training_data_RU_final_19_January_2025_release/RU/`` (the December RU set holds
  ``RU-URW-1195``, which is also a test article; it is never returned for training).
* dev: ``cleaned_dev_10_january_2025/<LANG>/`` (documents per subtask, gold for all three).
* test: ``testdata_ST12/<LANG>/`` (subtask-1/2 inputs only, no gold).

Offsets: the files give ``start``/``end`` with ``end`` inclusive; mentions here are end-exclusive.
Texts are read with their bytes kept (CRLF, BOM), because the offsets count them. In the RU train
release some articles lost their CR characters; for those (and only those) every bare LF is turned back
into CRLF, which is the one reading under which all their mentions line up (:attr:`Article.crlf_restored`).
A handful of official offsets are off by 1-3 characters (SOURCE.md quirk 3); they are kept as released.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataNotFound, UnknownSplit
from . import assert_trainable, check_split, malformed, parse_int, read_text, require_dir, tsv_lines

DATASET = "semeval2025"
FOLDER = "semeval2025-task10"
LANGUAGES: tuple[str, ...] = ("BG", "EN", "HI", "PT", "RU")
MAIN_ROLES: tuple[str, ...] = ("Protagonist", "Antagonist", "Innocent")
TRAIN_RELEASE = "target_4_December_release"
TRAIN_RU_RELEASE = "training_data_RU_final_19_January_2025_release"
DEV_RELEASE = "cleaned_dev_10_january_2025"
TEST_RELEASE = "testdata_ST12"
# Train articles whose text is also a test article (SOURCE.md quirk 4).
LEAKED_IDS: frozenset[str] = frozenset({"RU-URW-1195"})

_BARE_LF = re.compile(r"(?<!\r)\n")


@dataclass(frozen=True)
class EntityMention:
    """An entity mention to label with one main role and one or more fine roles (None/() on test)."""

    mention: str
    start: int
    end: int  # exclusive
    main_role: str | None = None
    fine_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """Subtask 3: the dominant narrative and subnarrative (``none`` allowed) and the gold explanation."""

    narrative: str
    subnarrative: str
    explanation: str | None = None


@dataclass(frozen=True)
class Article:
    """One article with the gold its split has: None where a subtask does not cover the article."""

    id: str  # file name without .txt
    lang: str
    split: str
    text: str
    mentions: tuple[EntityMention, ...] | None = None
    narratives: tuple[str, ...] | None = None  # deduplicated, file order
    subnarratives: tuple[str, ...] | None = None  # deduplicated, file order
    dominant: Explanation | None = None
    crlf_restored: bool = False


# --- paths -------------------------------------------------------------------------------------------


def _root(data: Path) -> Path:
    return require_dir(Path(data) / FOLDER)


def _lang_dir(data: Path, lang: str, split: str) -> Path:
    check_split(DATASET, split)
    if lang not in LANGUAGES:
        raise UnknownSplit(f"SemEval-2025 has no language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    release = {"train": TRAIN_RU_RELEASE if lang == "RU" else TRAIN_RELEASE, "dev": DEV_RELEASE, "test": TEST_RELEASE}
    return require_dir(_root(data) / release[split] / lang)


def _doc_dir(lang_dir: Path, split: str) -> Path:
    return require_dir(lang_dir / ("raw-documents" if split == "train" else "subtask-2-documents"))


def _doc_ids(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.iterdir() if p.suffix == ".txt")


def _stem(path: Path, number: int, name: str) -> str:
    if not name.endswith(".txt"):
        raise malformed(path, number, f"article ID {name!r} does not end in .txt")
    return name[: -len(".txt")]


# --- annotation files ---------------------------------------------------------------------------------


def _mentions(path: Path, *, labelled: bool) -> dict[str, list[tuple[int, EntityMention]]]:
    out: dict[str, list[tuple[int, EntityMention]]] = {}
    for number, fields in tsv_lines(path, min_fields=6 if labelled else 4, max_fields=None if labelled else 4):
        start = parse_int(path, number, fields[2], "start")
        end = parse_int(path, number, fields[3], "end") + 1  # released end is inclusive
        main, fine = (fields[4].strip(), tuple(f.strip() for f in fields[5:] if f.strip())) if labelled else (None, ())
        if labelled and main not in MAIN_ROLES:
            raise malformed(path, number, f"main role {main!r} is not one of {', '.join(MAIN_ROLES)}")
        if not 0 <= start < end:
            raise malformed(path, number, f"bad offsets {fields[2]}-{fields[3]}")
        mention = EntityMention(fields[1], start, end, main, fine)
        out.setdefault(_stem(path, number, fields[0]), []).append((number, mention))
    return out


def _dedupe(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def _narratives(path: Path) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for number, (name, narratives, subnarratives) in tsv_lines(path, min_fields=3, max_fields=3):
        coarse, fine = narratives.split(";"), subnarratives.split(";")
        if len(coarse) != len(fine):
            raise malformed(path, number, f"{len(coarse)} narratives but {len(fine)} subnarratives")
        out[_stem(path, number, name)] = (_dedupe(coarse), _dedupe(fine))
    return out


def _explanations(path: Path, *, with_text: bool) -> dict[str, Explanation]:
    width = 4 if with_text else 3
    out: dict[str, Explanation] = {}
    for number, fields in tsv_lines(path, min_fields=width, max_fields=width):
        out[_stem(path, number, fields[0])] = Explanation(
            fields[1].strip(), fields[2].strip(), fields[3].strip() if with_text else None
        )
    return out


def _aligned(text: str, mentions: list[tuple[int, EntityMention]]) -> bool:
    return all(text[m.start : m.end] == m.mention for _, m in mentions)


# --- articles ----------------------------------------------------------------------------------------


def articles(data: Path, lang: str, split: str, *, for_training: bool = False) -> Iterator[Article]:
    """Articles of one language and split with their gold, read lazily in ID order (annotations first).

    train: every article has narratives; ``mentions`` is () where subtask 1 annotated nothing; ``dominant``
    is None where subtask 3 has no line. dev/test: ``mentions``/``dominant`` are None for articles outside
    the subtask-1/3 document folders. test has unlabelled mentions and no narratives.
    """
    check_split(DATASET, split)
    if for_training:
        assert_trainable(DATASET, split)
    lang_dir = _lang_dir(data, lang, split)
    folder = _doc_dir(lang_dir, split)
    ids = [i for i in _doc_ids(folder) if not (for_training and i in LEAKED_IDS)]
    if split == "test":
        mentions = _mentions(lang_dir / "subtask-1-entity-mentions.txt", labelled=False)
        narratives = None
        dominant = None
    else:
        mentions = _mentions(lang_dir / "subtask-1-annotations.txt", labelled=True)
        narratives = _narratives(lang_dir / "subtask-2-annotations.txt")
        dominant = _explanations(lang_dir / "subtask-3-annotations.txt", with_text=True)
    st1_ids = set(ids) if split == "train" else set(_doc_ids(require_dir(lang_dir / "subtask-1-documents")))
    st3_ids = set(ids) if split == "train" else set()
    if split == "dev":
        st3_ids = set(_doc_ids(require_dir(lang_dir / "subtask-3-documents")))
    for source, name in ((mentions, "subtask-1"), (narratives or {}, "subtask-2"), (dominant or {}, "subtask-3")):
        stray = sorted(set(source) - set(_doc_ids(folder)))
        if stray:
            raise DataNotFound(f"{lang_dir}: {name} annotations for article(s) {', '.join(stray[:5])} not in {folder}")
    if narratives is not None:
        missing = [i for i in ids if i not in narratives]
        if missing:
            raise DataNotFound(f"{lang_dir / 'subtask-2-annotations.txt'}: no line for article(s) {', '.join(missing[:5])}")

    def iterate() -> Iterator[Article]:
        for article_id in ids:
            text = read_text(folder / f"{article_id}.txt")
            found = mentions.get(article_id, [])
            restored = False
            if split == "train" and lang == "RU" and found and not _aligned(text, found):
                fixed = _BARE_LF.sub("\r\n", text)
                if _aligned(fixed, found):
                    text, restored = fixed, True
            for number, mention in found:
                if mention.end > len(text):
                    path = lang_dir / ("subtask-1-entity-mentions.txt" if split == "test" else "subtask-1-annotations.txt")
                    raise malformed(path, number, f"mention ends past the article ({len(text)} chars)")
            in_st1 = article_id in st1_ids
            labels = narratives.get(article_id) if narratives is not None else None
            yield Article(
                id=article_id,
                lang=lang,
                split=split,
                text=text,
                mentions=tuple(m for _, m in found) if in_st1 else None,
                narratives=labels[0] if labels else None,
                subnarratives=labels[1] if labels else None,
                dominant=dominant.get(article_id) if dominant is not None and article_id in st3_ids else None,
                crlf_restored=restored,
            )

    return iterate()


# --- label inventories ------------------------------------------------------------------------------


def _list_file(data: Path, name: str) -> list[str]:
    path = _root(data) / "semeval2025task10-scorers-baselines" / name
    return [line.strip() for line in read_text(path).split("\n") if line.strip()]


def languages(data: Path, split: str) -> tuple[str, ...]:
    """The languages that have ``split`` on disk."""
    check_split(DATASET, split)
    root = _root(data)
    release = {"train": TRAIN_RELEASE, "dev": DEV_RELEASE, "test": TEST_RELEASE}[split]
    return tuple(
        lang
        for lang in LANGUAGES
        if (root / (TRAIN_RU_RELEASE if split == "train" and lang == "RU" else release) / lang).is_dir()
    )


def _used_labels(data: Path) -> tuple[set[str], set[str]]:
    coarse: set[str] = set()
    fine: set[str] = set()
    for split in ("train", "dev"):
        for lang in languages(data, split):
            for narratives, subnarratives in _narratives(_lang_dir(data, lang, split) / "subtask-2-annotations.txt").values():
                coarse.update(narratives)
                fine.update(subnarratives)
    return coarse, fine


def narrative_labels(data: Path) -> tuple[str, ...]:
    """Coarse narrative labels: the official list, then any label used in train/dev gold but missing from it."""
    listed = _list_file(data, "subtask2_narratives.txt")
    return tuple(listed) + tuple(sorted(_used_labels(data)[0] - set(listed)))


def subnarrative_labels(data: Path) -> tuple[str, ...]:
    """Fine subnarrative labels: the official list (91), then the 4 it lacks that the gold uses."""
    listed = _list_file(data, "subtask2_subnarratives.txt")
    return tuple(listed) + tuple(sorted(_used_labels(data)[1] - set(listed)))


def role_taxonomy(data: Path) -> dict[str, tuple[str, ...]]:
    """Main role -> its fine roles, from ``taxonomy/entity-framing-taxonomy.json`` (3 main, 22 fine)."""
    path = _root(data) / "taxonomy" / "entity-framing-taxonomy.json"
    try:
        tree = json.loads(read_text(path))
        return {main["name"]: tuple(child["name"] for child in main["children"]) for main in tree["children"]}
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise DataNotFound(f"{path}: not the entity-framing taxonomy ({err})") from None
