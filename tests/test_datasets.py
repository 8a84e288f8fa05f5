"""Dataset readers over hand-written fixtures in the real formats, and (slow) over the staged data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import real_data
from dataset_fixtures import write_datasets
from spinscope.datasets import (
    HELD_OUT,
    SPLITS,
    assert_trainable,
    checkthat,
    cnc,
    is_held_out,
    newsmtsc,
    ptc,
    semeval2023,
    semeval2025,
    webis,
)
from spinscope.errors import DataNotFound, HeldOutSplit, UnknownSplit


@pytest.fixture(scope="session")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The invented dataset tree (``dataset_fixtures.FILES``), written once; tests only read it."""
    return write_datasets(tmp_path_factory.mktemp("datasets"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the fixture tree that a test may corrupt."""
    return write_datasets(tmp_path / "data")


def spans_text(text: str, spans) -> list[tuple[str, str]]:
    return [(s.label, text[s.start : s.end]) for s in spans]


# --- held-out rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "split"),
    [
        ("semeval2023", "dev"),
        ("semeval2023", "test"),
        ("semeval2025", "dev"),
        ("semeval2025", "test"),
        ("ptc", "test"),
        ("newsmtsc", "test-mt"),
        ("newsmtsc", "test-rw"),
        ("checkthat", "test"),
        ("checkthat", "dev-test"),
        ("cnc", "test"),
        ("cnc", "dev"),
    ],
)
def test_held_out_splits_refuse_training(dataset: str, split: str) -> None:
    assert is_held_out(dataset, split)
    with pytest.raises(HeldOutSplit, match=f"{dataset} {split} is held out"):
        assert_trainable(dataset, split)


@pytest.mark.parametrize(
    ("dataset", "split"),
    [
        ("semeval2023", "train"),
        ("semeval2025", "train"),
        ("ptc", "train"),
        ("ptc", "dev"),
        ("newsmtsc", "train"),
        ("newsmtsc", "dev-mt"),
        ("newsmtsc", "dev-rw"),
        ("checkthat", "train"),
        ("checkthat", "dev"),
        ("cnc", "train"),
        ("webis", "all"),
    ],
)
def test_trainable_splits(dataset: str, split: str) -> None:
    assert_trainable(dataset, split)


def test_every_test_split_is_held_out() -> None:
    for dataset, splits in SPLITS.items():
        assert set(HELD_OUT[dataset]) <= set(splits)
        for split in splits:
            if "test" in split:
                assert split in HELD_OUT[dataset], (dataset, split)


def test_unknown_dataset_or_split() -> None:
    with pytest.raises(UnknownSplit, match="unknown dataset"):
        assert_trainable("imdb", "train")
    with pytest.raises(UnknownSplit, match="no split 'validation'"):
        assert_trainable("semeval2023", "validation")


@pytest.mark.parametrize(
    "read",
    [
        lambda d: list(semeval2023.articles(d, "en", "dev", for_training=True)),
        lambda d: semeval2023.genre_labels(d, "en", "dev", for_training=True),
        lambda d: semeval2023.technique_spans(d, "en", "test", for_training=True),
        lambda d: list(ptc.articles(d, "test", for_training=True)),
        lambda d: newsmtsc.sentences(d, "test-mt", for_training=True),
        lambda d: checkthat.sentences(d, "test", for_training=True),
        lambda d: cnc.subtask1(d, "test", for_training=True),
        lambda d: cnc.subtask2(d, "dev", for_training=True),
        lambda d: list(semeval2025.articles(d, "EN", "dev", for_training=True)),
    ],
)
def test_training_reads_of_held_out_splits_fail_before_touching_files(read, tmp_path: Path) -> None:
    # The data folder does not exist: the held-out check must come first.
    with pytest.raises(HeldOutSplit):
        read(tmp_path / "nowhere")


# --- SemEval-2023 -----------------------------------------------------------------------------------------


def test_semeval2023_paragraphs_are_the_numbered_non_blank_lines(tree: Path) -> None:
    article = next(semeval2023.articles(tree, "en", "train"))
    assert article.id == "1001"
    assert [line.number for line in article.paragraphs] == [1, 3, 5]
    assert set(article.techniques) == {1, 3, 5}
    assert article.text[article.paragraphs[1].start : article.paragraphs[1].end] == (
        "The council voted on Tuesday to rebuild the bridge."
    )


def test_semeval2023_opinion_train_articles_are_the_opinion_files_in_a_fixed_order(tree: Path) -> None:
    genres = semeval2023.genre_labels(tree, "en", "train", for_training=True)
    files = semeval2023.opinion_train_articles(tree)
    assert files and files == semeval2023.opinion_train_articles(tree)  # seeded: the op-ed benches' samples stay put
    assert sorted(f.stem for f in files) == sorted(f"article{a}" for a, g in genres.items() if g == "opinion" and (
        tree / "semeval2023-task3" / "data" / "en" / "train-articles-subtask-3" / f"article{a}.txt").is_file())


def test_semeval2023_whitespace_only_lines_are_not_paragraphs() -> None:
    lines = semeval2023.split_lines("Title\n\nOne.\n \nTwo.\n\xa0\n")
    assert [(line.number, line.start, line.end) for line in lines] == [(1, 0, 5), (3, 7, 11), (5, 14, 18)]


def test_semeval2023_typo_label_is_normalised(tree: Path) -> None:
    article = next(semeval2023.articles(tree, "en", "train"))
    assert article.techniques[5] == ("Loaded_Language", "Appeal_to_Fear-Prejudice")
    assert "Appeal_to_Fear-Prejudice" in {s.label for s in article.spans}
    labels = semeval2023.paragraph_labels(tree, "en", "train")
    assert all("Prejudi-čce" not in t for lines in labels.values() for ts in lines.values() for t in ts)


def test_semeval2023_bom_is_kept_and_offsets_count_it(tree: Path) -> None:
    article = [a for a in semeval2023.articles(tree, "en", "train") if a.id == "1002"][0]
    assert article.text.startswith("\ufeff")
    assert article.title == "Mayor promises cleaner streets"
    assert article.paragraphs[0].start == 1  # line 1 starts after the BOM
    assert spans_text(article.text, article.spans) == [
        ("Name_Calling-Labeling", "a fool"),
        ("Doubt", "would be clean by spring"),
    ]
    assert [line.number for line in article.paragraphs] == [1, 3, 5]  # line 4 is a lone space


def test_semeval2023_crlf_offsets_are_mapped_back(tree: Path) -> None:
    (article,) = semeval2023.articles(tree, "fr", "train")
    assert article.span_offsets == "crlf"
    assert spans_text(article.text, article.spans) == [("Doubt", "fut calme"), ("Loaded_Language", "honte absolue")]
    english = list(semeval2023.articles(tree, "en", "train"))
    assert {a.span_offsets for a in english} == {"lf"}


def test_semeval2023_align_spans_prefers_lf_when_both_fit() -> None:
    text = "Title\n\nA cat sat.\n"
    spans = [semeval2023.LabelledSpan("X", 9, 12)]  # "cat"
    assert semeval2023.align_spans(text, spans) == (spans, "lf")


def test_semeval2023_labels_per_subtask(tree: Path) -> None:
    by_subtask = {st: list(semeval2023.articles(tree, "en", "train", subtask=st)) for st in (1, 2, 3)}
    assert [(a.id, a.genre) for a in by_subtask[1]] == [("1001", "opinion"), ("1002", "reporting"), ("2001", "satire")]
    assert [a.frames for a in by_subtask[2]] == [("Economic", "Political"), (), ("Morality",)]
    assert all(a.genre is None and a.frames is None for a in by_subtask[3])
    assert semeval2023.frame_labels(tree, "en", "train")["1002"] == ()
    assert semeval2023.genre_labels(tree, "en", "dev") == {"2002": "reporting"}


def test_semeval2023_test_split_has_no_labels(tree: Path) -> None:
    (article,) = semeval2023.articles(tree, "en", "test", subtask=3)
    assert (article.genre, article.frames, article.techniques, article.spans) == (None, None, None, None)
    assert [line.number for line in article.paragraphs] == [1, 3]


def test_semeval2023_technique_spans_and_empty_span_file(tree: Path) -> None:
    spans = semeval2023.technique_spans(tree, "en", "dev")
    assert spans["2001"] == ()
    assert [(s.label, s.start, s.end) for s in spans["2002"]] == [("Loaded_Language", 15, 28)]


def test_semeval2023_contamination_is_skipped_for_training(tree: Path) -> None:
    assert semeval2023.contaminated_ids(tree) == frozenset({"2001"})
    assert semeval2023.contamination_report(tree)["en"] == {"subtask1": 1, "subtask2": 1, "subtask3": 0}
    ids = [a.id for a in semeval2023.articles(tree, "en", "train", subtask=1, for_training=True)]
    assert ids == ["1001", "1002"]
    assert "2001" not in semeval2023.genre_labels(tree, "en", "train", for_training=True)
    assert "2001" in semeval2023.genre_labels(tree, "en", "train")


def test_semeval2023_languages_and_label_lists(tree: Path) -> None:
    assert semeval2023.languages(tree, "train") == ("en", "fr")
    assert semeval2023.languages(tree, "test") == ("en", "es")
    assert semeval2023.frames(tree)[0] == "Economic"
    assert "Appeal_to_Fear-Prejudice" in semeval2023.techniques(tree)


def test_semeval2023_missing_folder_names_the_path(tmp_path: Path, tree: Path) -> None:
    with pytest.raises(DataNotFound, match=str(tmp_path / "semeval2023-task3")):
        list(semeval2023.articles(tmp_path, "en", "train"))
    with pytest.raises(DataNotFound, match="dev-articles-subtask-1"):
        list(semeval2023.articles(tree, "es", "dev", subtask=1))


def test_semeval2023_unknown_language_or_subtask(tree: Path) -> None:
    with pytest.raises(UnknownSplit, match="no language 'de'"):
        semeval2023.articles(tree, "de", "train")
    with pytest.raises(UnknownSplit, match="no subtask 4"):
        semeval2023.articles(tree, "en", "train", subtask=4)


def test_semeval2023_malformed_lines_name_file_and_line(data: Path) -> None:
    labels = data / "semeval2023-task3/data/en/train-labels-subtask-1.txt"
    labels.write_text("1001\topinion\n1002\tnews\n", encoding="utf-8")
    with pytest.raises(DataNotFound, match=rf"{labels}:2: genre 'news'"):
        semeval2023.genre_labels(data, "en", "train")
    spans = data / "semeval2023-task3/data/en/train-labels-subtask-3-spans/article1001-labels-subtask-3.txt"
    spans.write_text("1001\tDoubt\t5\n", encoding="utf-8")
    with pytest.raises(DataNotFound, match=rf"{spans}:1: expected 4 tab-separated fields"):
        list(semeval2023.articles(data, "en", "train"))
    spans.write_text("1001\tDoubt\t5\t99999\n", encoding="utf-8")
    with pytest.raises(DataNotFound, match=rf"{spans}:1: span 5-99999 outside"):
        list(semeval2023.articles(data, "en", "train"))


def test_semeval2023_article_without_label_is_an_error(data: Path) -> None:
    labels = data / "semeval2023-task3/data/en/train-labels-subtask-1.txt"
    labels.write_text("1001\topinion\n", encoding="utf-8")
    with pytest.raises(DataNotFound, match="no labels for article"):
        semeval2023.articles(data, "en", "train", subtask=1)


def test_semeval2023_reads_lazily(data: Path) -> None:
    articles = semeval2023.articles(data, "en", "train")
    (data / "semeval2023-task3/data/en/train-articles-subtask-3/article1002.txt").unlink()
    assert next(articles).id == "1001"
    with pytest.raises(DataNotFound, match="article1002.txt"):
        next(articles)


# --- PTC --------------------------------------------------------------------------------------------------


def test_ptc_train_spans(tree: Path) -> None:
    first, second = ptc.articles(tree, "train")
    assert [first.text[s.start : s.end] for s in first.si_spans] == ["reckless waste"]
    assert [(s.label, first.text[s.start : s.end]) for s in first.tc_spans] == [
        ("Loaded_Language", "reckless waste"),
        ("Doubt", "reckless waste"),
    ]
    assert (second.si_spans, second.tc_spans) == ((), ())
    assert ptc.techniques(tree) == ("Loaded_Language", "Name_Calling,Labeling", "Doubt")


def test_ptc_test_is_semeval2023_en_dev(tree: Path) -> None:
    assert all(a.si_spans is None and a.tc_spans is None for a in ptc.articles(tree, "test"))
    semeval_dev = {a.id for a in semeval2023.articles(tree, "en", "dev")}
    assert ptc.test_ids(tree) == semeval_dev
    assert set(ptc.test_template(tree)) == {"2002"}


def test_ptc_span_outside_article(data: Path) -> None:
    path = data / "ptc-semeval2020-task11/datasets/dev-task-si.labels"
    path.write_text("1002\t0\t5000\n", encoding="utf-8")
    with pytest.raises(DataNotFound, match=rf"{path}:1: span 0-5000 outside"):
        list(ptc.articles(data, "dev"))


# --- NewsMTSC ---------------------------------------------------------------------------------------------


def test_newsmtsc_targets(tree: Path) -> None:
    first, second = newsmtsc.sentences(tree, "train")
    (target,) = first.targets
    assert (target.mention, target.polarity) == ("Senator Vale", "positive")
    assert first.text[target.start : target.end] == "Senator Vale"
    assert [m.text for m in target.further_mentions] == ["she"]
    assert [t.polarity for t in second.targets] == ["neutral", "negative"]
    assert newsmtsc.sentences(tree, "dev-rw")[0].targets[0].polarity == "negative"
    assert newsmtsc.sentences(tree, "test-mt")[0].targets[0].polarity == "positive"


def test_newsmtsc_misaligned_mention(data: Path) -> None:
    path = data / "newsmtsc/experiments-datasets/newsmtsc-mt/dev.jsonl"
    text = path.read_text(encoding="utf-8").replace('"from": 13', '"from": 14')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataNotFound, match=rf"{path}:1: mention 'Judge Marsh' is not at 14-24"):
        newsmtsc.sentences(data, "dev-mt")


def test_newsmtsc_bad_polarity(data: Path) -> None:
    path = data / "newsmtsc/NewsMTSC-dataset/train.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace("6.0", "5.0"), encoding="utf-8")
    with pytest.raises(DataNotFound, match=rf"{path}:1: polarity 5.0"):
        newsmtsc.sentences(data, "train")


# --- CheckThat! -------------------------------------------------------------------------------------------


def test_checkthat_quoted_crlf_tsv(tree: Path) -> None:
    dev = checkthat.sentences(tree, "dev")
    assert [(s.id, s.text, s.checkworthy) for s in dev] == [
        ("201", "Unemployment fell to 4 percent.", True),
        ("202", 'Well, "maybe" we should talk.', False),
    ]
    assert checkthat.sentences(tree, "train")[1].text == 'I said, "thank you," and sat down.'
    assert [s.id for s in checkthat.sentences(tree, "test")] == ["401"]


def test_checkthat_bad_label_and_header(data: Path) -> None:
    path = data / "checkthat2024-task1-english/CT24_checkworthy_english/CT24_checkworthy_english_train.tsv"
    path.write_text("Sentence_id\tText\tclass_label\n1\tHello.\tMaybe\n", encoding="utf-8")
    with pytest.raises(DataNotFound, match=rf"{path}:2: class_label 'Maybe'"):
        checkthat.sentences(data, "train")
    path.write_text("id\ttext\n1\tHello.\n", encoding="utf-8")
    with pytest.raises(DataNotFound, match=rf"{path}:1: expected the header"):
        checkthat.sentences(data, "train")


# --- Causal News Corpus -----------------------------------------------------------------------------------


def test_cnc_subtask1(tree: Path) -> None:
    train = cnc.subtask1(tree, "train")
    assert [(s.id, s.causal) for s in train] == [("train_01_0_5", True), ("train_01_1_6", False), ("train_02_0_7", True)]
    assert not train[0].id.startswith("\ufeff")
    assert [s.causal for s in cnc.subtask1(tree, "test")] == [None]


def test_cnc_subtask2_spans(tree: Path) -> None:
    first, negative, double = cnc.subtask2(tree, "train")
    (relation,) = first.relations
    text = first.text
    assert text[relation.cause.start : relation.cause.end] == "wages were cut"
    assert text[relation.effect.start : relation.effect.end] == "Workers struck"
    assert [text[s.start : s.end] for s in relation.signals] == ["because"]
    assert negative.relations == ()
    assert [double.text[s.start : s.end] for s in double.relations[1].signals] == ["which", "led to"]
    assert cnc.subtask2(tree, "test")[0].relations is None
    assert {s.id for s in cnc.subtask2(tree, "train")} == {s.id for s in cnc.subtask1(tree, "train")}


def test_cnc_parse_markup() -> None:
    clean, relation = cnc.parse_markup("<ARG0>Rain</ARG0> <SIG0>caused</SIG0> <ARG1>floods</ARG1> .")
    assert clean == "Rain caused floods ."
    assert (relation.cause, relation.effect, relation.signals) == ((0, 4), (12, 18), ((5, 11),))
    for bad in ("<ARG0>Rain</ARG0> caused floods", "<ARG0>Rain <ARG1>x</ARG1>", "</ARG0>x<ARG1>y</ARG1>"):
        with pytest.raises(ValueError):
            cnc.parse_markup(bad)


def test_cnc_markup_that_disagrees_with_text(data: Path) -> None:
    path = data / "causal-news-corpus/data/V2/dev_subtask2_grouped.csv"
    raw = path.read_text(encoding="utf-8-sig").replace("wages were cut</ARG0>", "pay was cut</ARG0>")
    path.write_text(raw, encoding="utf-8-sig")
    with pytest.raises(DataNotFound, match=rf"{path}:2: marked-up text"):
        cnc.subtask2(data, "dev")


# --- SemEval-2025 -----------------------------------------------------------------------------------------


def test_semeval2025_mentions_are_end_exclusive(tree: Path) -> None:
    article = next(semeval2025.articles(tree, "EN", "train"))
    (mention,) = article.mentions
    assert article.text[mention.start : mention.end] == "Lund"
    assert (mention.main_role, mention.fine_roles) == ("Antagonist", ("Deceiver", "Tyrant"))


def test_semeval2025_narratives_are_deduplicated(tree: Path) -> None:
    article, other = semeval2025.articles(tree, "EN", "train")
    assert article.narratives == ("CC: Criticism of climate movement",)
    assert len(article.subnarratives) == 2
    assert (other.narratives, other.subnarratives, other.mentions, other.dominant) == (("Other",), ("Other",), (), None)
    assert article.dominant.explanation == "The text paints the activist as a hypocrite."


def test_semeval2025_ru_train_crlf_restored_only_where_needed(tree: Path) -> None:
    restored, plain = semeval2025.articles(tree, "RU", "train")
    assert restored.crlf_restored and "\r\n" in restored.text
    assert restored.text[restored.mentions[0].start : restored.mentions[0].end] == "Москву"
    assert not plain.crlf_restored and plain.text.startswith("\ufeff")
    assert plain.text[plain.mentions[0].start : plain.mentions[0].end] == "Москва"
    assert restored.dominant.subnarrative == "none"
    ids = [a.id for a in semeval2025.articles(tree, "RU", "train", for_training=True)]
    assert "RU-URW-1195" not in ids


def test_semeval2025_dev_and_test(tree: Path) -> None:
    other, article = semeval2025.articles(tree, "EN", "dev")
    assert article.text.endswith("\r\n")
    assert article.text[article.mentions[0].start : article.mentions[0].end] == "Hale"
    assert (other.mentions, other.dominant) == (None, None)  # not in the subtask-1/3 folders
    assert other.narratives == ("CC: Amplifying Climate Fears",)
    labelled, unlabelled = semeval2025.articles(tree, "EN", "test")
    assert labelled.mentions[0].main_role is None and labelled.narratives is None
    assert unlabelled.mentions is None


def test_semeval2025_label_inventories(tree: Path) -> None:
    narratives = semeval2025.narrative_labels(tree)
    assert narratives[:3] == ("CC: Criticism of climate movement", "Other", "URW: Discrediting Ukraine")
    assert "CC: Amplifying Climate Fears" in narratives  # used in dev gold, missing from the list
    assert "CC: Criticism of climate movement: Other" in semeval2025.subnarrative_labels(tree)
    assert semeval2025.role_taxonomy(tree)["Innocent"] == ("Victim",)
    assert semeval2025.languages(tree, "train") == ("EN", "RU")


def test_semeval2025_bad_main_role(data: Path) -> None:
    path = data / "semeval2025-task10/target_4_December_release/EN/subtask-1-annotations.txt"
    path.write_text("EN_CC_100.txt\tLund\t44\t47\tVillain\tTyrant\n", encoding="utf-8")
    with pytest.raises(DataNotFound, match=rf"{path}:1: main role 'Villain'"):
        semeval2025.articles(data, "EN", "train")


# --- Webis ------------------------------------------------------------------------------------------------


def test_webis_editorials(tree: Path) -> None:
    editorials = webis.editorials(tree)
    assert [e.outlet for e in editorials] == ["aljazeera", "foxnews", "guardian"]
    first = editorials[0]
    assert first.id == "aljazeera/001-bridgesmatter"
    assert [s.label for s in first.paragraphs[1]] == ["statistics", "no-unit", "assumption", "no-unit"]


def test_webis_unknown_label(data: Path) -> None:
    path = data / "webis-editorials-16-coling20-subset/data-source/foxnews/001-taxday.json"
    path.write_text(path.read_text(encoding="utf-8").replace("anecdote", "story"), encoding="utf-8")
    with pytest.raises(DataNotFound, match="unknown segment label"):
        webis.editorials(data)


def test_undecodable_file(data: Path) -> None:
    path = data / "checkthat2024-task1-english/CT24_checkworthy_english/CT24_checkworthy_english_dev.tsv"
    path.write_bytes(b"Sentence_id\tText\tclass_label\n1\t\xff\xfe\tNo\n")
    with pytest.raises(DataNotFound, match="not utf-8 text"):
        checkthat.sentences(data, "dev")


# --- the staged data (slow) ------------------------------------------------------------------------------


# SOURCE.md: articles st1/st2/st3, paragraphs and spans per split; genre counts (opinion, reporting, satire).
SEMEVAL2023 = {
    ("en", "train"): ((433, 433, 446), 9498, 7201, (382, 41, 10)),
    ("en", "dev"): ((83, 83, 90), 3127, 1801, (20, 54, 9)),
    ("fr", "train"): ((157, 158, 158), 2259, 5595, (103, 43, 11)),
    ("fr", "dev"): ((54, 53, 53), 610, 1586, (35, 15, 4)),
    ("ge", "train"): ((132, 132, 132), 1555, 4501, (86, 27, 19)),
    ("ge", "dev"): ((45, 45, 45), 522, 1236, (29, 9, 7)),
    ("it", "train"): ((226, 227, 227), 2623, 6027, (174, 44, 8)),
    ("it", "dev"): ((77, 76, 76), 882, 1934, (59, 15, 3)),
    ("po", "train"): ((144, 145, 145), 2310, 2839, (104, 25, 15)),
    ("po", "dev"): ((50, 49, 49), 800, 985, (35, 9, 6)),
    ("ru", "train"): ((142, 143, 143), 1962, 3399, (93, 41, 8)),
    ("ru", "dev"): ((49, 48, 48), 515, 739, (32, 14, 3)),
}
SEMEVAL2023_TEST = {"en": 54, "fr": 50, "ge": 50, "it": 61, "po": 47, "ru": 72, "es": 30, "gr": 64, "ka": 29}


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "split"), sorted(SEMEVAL2023))
def test_real_semeval2023_counts(lang: str, split: str) -> None:
    data = real_data()
    (n1, n2, n3), paragraphs, spans, genres = SEMEVAL2023[(lang, split)]
    st1 = list(semeval2023.articles(data, lang, split, subtask=1))
    st3 = list(semeval2023.articles(data, lang, split, subtask=3))
    assert (len(st1), sum(1 for _ in semeval2023.articles(data, lang, split, subtask=2)), len(st3)) == (n1, n2, n3)
    assert sum(len(a.techniques) for a in st3) == paragraphs
    assert sum(len(a.spans) for a in st3) == spans
    counts = Counter(a.genre for a in st1)
    assert (counts["opinion"], counts["reporting"], counts["satire"]) == genres
    for article in st3:
        assert set(article.techniques) <= {line.number for line in article.paragraphs}
    # After the CRLF repair nearly every span starts at a word start (en dev: a few PTC-version offsets).
    starts = [
        (s.start == 0 or not a.text[s.start - 1].isalnum()) and not a.text[s.start].isspace()
        for a in st3
        for s in a.spans
    ]
    assert sum(starts) / len(starts) > 0.97


@pytest.mark.slow
def test_real_semeval2023_test_and_contamination() -> None:
    data = real_data()
    assert {lang: sum(1 for _ in semeval2023.articles(data, lang, "test")) for lang in SEMEVAL2023_TEST} == (
        SEMEVAL2023_TEST
    )
    report = semeval2023.contamination_report(data)
    assert report["en"] == {"subtask1": 7, "subtask2": 7, "subtask3": 0}  # the 7 the issue names
    assert len(semeval2023.contaminated_ids(data)) == 415
    assert len(semeval2023.frames(data)) == 14 and len(semeval2023.techniques(data)) == 23
    train = {a.id for a in semeval2023.articles(data, "en", "train", subtask=1, for_training=True)}
    assert len(train) == 426 and not train & semeval2023.contaminated_ids(data)


@pytest.mark.slow
def test_real_ptc_counts() -> None:
    data = real_data()
    counts = {}
    for split in ("train", "dev", "test"):
        arts = list(ptc.articles(data, split))
        counts[split] = (
            len(arts),
            sum(len(a.si_spans or ()) for a in arts),
            sum(len(a.tc_spans or ()) for a in arts),
            sum(bool(a.tc_spans) for a in arts),
        )
    assert counts == {"train": (371, 5468, 6128, 357), "dev": (75, 940, 1063, 74), "test": (90, 0, 0, 0)}
    assert len(ptc.techniques(data)) == 14
    assert sum(len(v) for v in ptc.test_template(data).values()) == 1790
    assert ptc.test_ids(data) == {a.id for a in semeval2023.articles(data, "en", "dev")}
    train_dev = {a.id for s in ("train", "dev") for a in ptc.articles(data, s)}
    assert train_dev == {a.id for a in semeval2023.articles(data, "en", "train")}


@pytest.mark.slow
def test_real_newsmtsc_counts() -> None:
    data = real_data()
    expected = {
        "train": (7758, 8739, (3316, 3028, 2395)),
        "dev-mt": (216, 442, (136, 217, 89)),
        "test-mt": (505, 1034, (346, 531, 157)),
        "dev-rw": (320, 343, (134, 136, 73)),
        "test-rw": (747, 803, (295, 319, 189)),
    }
    for split, (n_sentences, n_targets, polarities) in expected.items():
        sentences = newsmtsc.sentences(data, split)
        counts = Counter(t.polarity for s in sentences for t in s.targets)
        assert (len(sentences), sum(counts.values()), tuple(counts[p] for p in newsmtsc.POLARITIES)) == (
            n_sentences,
            n_targets,
            polarities,
        )


@pytest.mark.slow
def test_real_checkthat_counts() -> None:
    data = real_data()
    expected = {"train": (22501, 5413), "dev": (1032, 238), "dev-test": (318, 108), "test": (341, 88)}
    for split, (rows, yes) in expected.items():
        sentences = checkthat.sentences(data, split)
        assert (len(sentences), sum(s.checkworthy for s in sentences)) == (rows, yes)
        assert len({s.id for s in sentences}) == rows
        assert not any("\r" in s.text or "\t" in s.text for s in sentences)


@pytest.mark.slow
def test_real_cnc_counts() -> None:
    data = real_data()
    expected = {"train": (3075, 1624, 2257), "dev": (340, 185, 249), "test": (352, None, None)}
    for split, (rows, causal, relations) in expected.items():
        st1 = cnc.subtask1(data, split)
        st2 = cnc.subtask2(data, split)
        assert len(st1) == rows and len(st2) == rows
        if causal is None:
            assert all(s.causal is None for s in st1) and all(s.relations is None for s in st2)
            continue
        assert sum(s.causal for s in st1) == causal
        assert sum(len(s.relations) for s in st2) == relations
        assert sum(bool(s.relations) for s in st2) == causal
        labels = {s.id: s.causal for s in st1}
        assert all(labels[s.id] == bool(s.relations) for s in st2)


@pytest.mark.slow
def test_real_semeval2025_counts() -> None:
    data = real_data()
    # SOURCE.md: articles, mentions, articles with mentions, narr, sub, Other-only, st3 articles.
    train = {
        "BG": (401, 627, 259, 689, 855, 30, 357),
        "EN": (399, 686, 202, 679, 875, 169, 203),
        "HI": (366, 2331, 342, 554, 655, 98, 193),
        "PT": (400, 1251, 306, 882, 1217, 27, 252),
        "RU": (215, 722, 212, 390, 494, 4, 210),
    }
    dev = {
        "BG": (35, 31, 15, 54, 67, 6, 28),
        "EN": (41, 91, 27, 85, 114, 11, 30),
        "HI": (35, 280, 35, 65, 85, 2, 29),
        "PT": (35, 116, 31, 62, 79, 1, 25),
        "RU": (32, 86, 28, 65, 79, 4, 28),
    }
    test = {"BG": (100, 124, 54), "EN": (101, 235, 63), "HI": (99, 316, 78), "PT": (100, 297, 71), "RU": (60, 214, 57)}
    aligned = Counter()
    roles = Counter()
    for split, table in (("train", train), ("dev", dev)):
        for lang, row in table.items():
            arts = list(semeval2025.articles(data, lang, split))
            mentions = [(a, m) for a in arts for m in a.mentions or ()]
            aligned[split] += sum(a.text[m.start : m.end] == m.mention for a, m in mentions)
            if split == "train":
                roles.update(m.main_role for _, m in mentions)
            assert (
                len(arts),
                len(mentions),
                sum(bool(a.mentions) for a in arts),
                sum(len(a.narratives) for a in arts),
                sum(len(a.subnarratives) for a in arts),
                sum(a.narratives == ("Other",) for a in arts),
                sum(a.dominant is not None for a in arts),
            ) == row, (split, lang)
    for lang, row in test.items():
        arts = list(semeval2025.articles(data, lang, "test"))
        assert (len(arts), sum(len(a.mentions or ()) for a in arts), sum(a.mentions is not None for a in arts)) == row
    # Every mention lines up except the ones SOURCE.md quirk 3 lists (17 train, 2 dev).
    assert aligned == {"train": 5617 - 17, "dev": 604 - 2}
    assert roles == {"Antagonist": 2643, "Protagonist": 1866, "Innocent": 1108}
    assert sum(a.crlf_restored for a in semeval2025.articles(data, "RU", "train")) == 109
    assert len(semeval2025.narrative_labels(data)) == 22
    assert len(semeval2025.subnarrative_labels(data)) == 95
    taxonomy = semeval2025.role_taxonomy(data)
    assert {k: len(v) for k, v in taxonomy.items()} == {"Protagonist": 6, "Antagonist": 12, "Innocent": 4}


@pytest.mark.slow
def test_real_webis_counts() -> None:
    editorials = webis.editorials(real_data())
    labels = Counter(s.label for e in editorials for p in e.paragraphs for s in p)
    assert len(editorials) == 266
    assert Counter(e.outlet for e in editorials) == {"aljazeera": 96, "foxnews": 85, "guardian": 85}
    assert labels == {
        "no-unit": 15193,
        "assumption": 9049,
        "anecdote": 2430,
        "testimony": 1064,
        "statistics": 381,
        "title": 266,
        "common-ground": 232,
        "other": 157,
    }
