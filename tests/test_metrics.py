"""Official metrics on cases computed by hand (the comments show the arithmetic)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinscope import metrics
from spinscope.metrics import LabelScore

approx = pytest.approx


# --- single-label (genre) ----------------------------------------------------------------------------------


def test_per_label_table_single_label() -> None:
    gold = ["opinion", "opinion", "reporting", "satire"]
    pred = ["opinion", "reporting", "reporting", "opinion"]
    table = metrics.per_label_scores(gold, pred)
    # opinion: tp 1, fp 1 (satire item), fn 1 -> P .5 R .5 F .5
    # reporting: tp 1, fp 1 (2nd item), fn 0 -> P .5 R 1 F 2/3
    # satire: tp 0, fp 0, fn 1 -> P 0 (zero division) R 0 F 0
    assert table == [
        LabelScore("opinion", 0.5, 0.5, 0.5, 2),
        LabelScore("reporting", 0.5, 1.0, approx(2 / 3), 1),
        LabelScore("satire", 0.0, 0.0, 0.0, 1),
    ]
    assert metrics.macro_f1(gold, pred) == approx((0.5 + 2 / 3 + 0) / 3)
    assert metrics.micro_f1(gold, pred) == approx(0.5)  # single-label micro-F1 = accuracy
    assert metrics.accuracy(gold, pred) == 0.5


def test_macro_f1_counts_labels_seen_only_in_predictions() -> None:
    # a: tp 1, fn 1 -> F 2/3; b: fp 1 -> F 0. The SemEval-2023 subtask-1 scorer averages over both.
    assert metrics.macro_f1(["a", "a"], ["a", "b"]) == approx(1 / 3)
    assert metrics.macro_f1(["a", "a"], ["a", "b"], labels=["a"]) == approx(2 / 3)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="gold has 2 items but pred has 1"):
        metrics.macro_f1(["a", "b"], ["a"])


# --- multi-label (frames, paragraph techniques) ------------------------------------------------------------


def test_multilabel_micro_and_macro() -> None:
    gold = [{"A", "B"}, set(), {"C"}]
    pred = [{"A"}, {"B"}, {"C", "D"}]  # D is not an official label: ignored
    scores = metrics.multilabel_scores(gold, pred, labels=["A", "B", "C"])
    # A: tp 1 -> F 1; B: fp 1, fn 1 -> F 0; C: tp 1 -> F 1
    # micro: TP 2, FP 1, FN 1 -> P 2/3, R 2/3, F 2/3
    assert scores.micro == metrics.PRF(approx(2 / 3), approx(2 / 3), approx(2 / 3))
    assert scores.macro_f1 == approx(2 / 3)
    assert [row.f1 for row in scores.per_label] == [1.0, 0.0, 1.0]
    assert [row.support for row in scores.per_label] == [1, 1, 1]
    assert metrics.micro_f1(gold, pred, labels=["A", "B", "C"]) == approx(2 / 3)


def test_multilabel_zero_division_follows_the_scorer() -> None:
    # B never occurs: the SemEval-2023 scorer (zero_division=1) scores it F1 = 1.
    assert metrics.multilabel_scores([{"A"}], [{"A"}], labels=["A", "B"]).macro_f1 == 1.0
    assert metrics.multilabel_scores([{"A"}], [{"A"}], labels=["A", "B"], zero_division=0).macro_f1 == 0.5
    # Nothing gold, nothing predicted: micro-F1 is the zero-division value.
    assert metrics.multilabel_scores([set()], [set()], labels=["A"]).micro.f1 == 1.0


# --- spans (SemEval-2020 Task 11) ------------------------------------------------------------------------


def test_span_partial_overlap() -> None:
    gold = {"d1": [("LL", 0, 10)]}
    # overlap 5 of a 10-char prediction and a 10-char gold span: P .5, R .5
    assert metrics.span_scores(gold, {"d1": [("LL", 5, 15)]}).f1 == approx(0.5)
    # a second, wrong prediction halves precision: P (.5 + 0) / 2 = .25, R .5 -> F = 2*.25*.5/.75 = 1/3
    scores = metrics.span_scores(gold, {"d1": [("LL", 5, 15), ("LL", 20, 24)]})
    assert (scores.precision, scores.recall, scores.f1) == (0.25, 0.5, approx(1 / 3))
    assert (scores.n_pred, scores.n_gold) == (2, 1)


def test_span_label_must_match_unless_unlabelled() -> None:
    gold = {"d1": [("Loaded_Language", 0, 10)]}
    pred = {"d1": [("Doubt", 0, 10)]}
    assert metrics.span_f1(gold, pred) == 0.0
    assert metrics.span_f1(gold, pred, labelled=False) == 1.0  # the SI task ignores labels


def test_span_prediction_covering_two_gold_spans() -> None:
    # P = 4/10 + 4/10 = .8 over 1 prediction; R = (4/4 + 4/4) / 2 = 1 -> F = 1.6/1.8 = 8/9
    scores = metrics.span_scores({"d": [("X", 0, 4), ("X", 6, 10)]}, {"d": [("X", 0, 10)]})
    assert (scores.precision, scores.recall, scores.f1) == (approx(0.8), 1.0, approx(8 / 9))


def test_overlapping_gold_spans_are_merged_first() -> None:
    # gold (0,10) and (5,20) merge into (0,20): P = 10/10 = 1, R = 10/20 = .5 -> F 2/3
    scores = metrics.span_scores({"d": [("X", 0, 10), ("X", 5, 20)]}, {"d": [("X", 0, 10)]})
    assert (scores.precision, scores.recall, scores.f1, scores.n_gold) == (1.0, 0.5, approx(2 / 3), 1)
    # spans that only touch are not merged: P = 5/10 + 5/10 = 1, R = (5/5 + 5/5) / 2 = 1
    assert metrics.span_f1({"d": [("X", 0, 5), ("X", 5, 10)]}, {"d": [("X", 0, 10)]}) == 1.0
    # different labels never merge
    assert len(metrics.merge_overlaps([("X", 0, 10), ("Y", 5, 20)])) == 2
    assert metrics.merge_overlaps([("X", 0, 10), ("Y", 5, 20)], by_label=False) == [("", 0, 20)]


def test_span_documents_missing_on_one_side() -> None:
    gold = {"d1": [("X", 0, 4)], "d2": [("X", 0, 4)]}
    pred = {"d1": [("X", 0, 4)], "d3": [("X", 0, 4)]}
    # P = 1 of 2 predictions, R = 1 of 2 gold spans
    assert metrics.span_scores(gold, pred).f1 == approx(0.5)
    assert metrics.span_f1({}, {}) == 1.0  # nothing to find, nothing found
    assert metrics.span_f1({"d": [("X", 0, 4)]}, {}) == 0.0
    assert metrics.span_f1({}, {"d": [("X", 0, 4)]}) == 0.0


def test_span_per_label_rows() -> None:
    gold = {"d": [("A", 0, 10), ("B", 20, 30)]}
    pred = {"d": [("A", 0, 5), ("B", 40, 50)]}
    scores = metrics.span_scores(gold, pred, labels=["A", "B", "C"])
    # A: P 5/5 = 1, R 5/10 = .5 -> F 2/3; B: no overlap -> 0; C: nothing either side -> F 1 (scorer rule)
    assert [(r.label, r.precision, r.recall, r.f1, r.support) for r in scores.per_label] == [
        ("A", 1.0, 0.5, approx(2 / 3), 1),
        ("B", 0.0, 0.0, 0.0, 1),
        ("C", 0.0, 0.0, 1.0, 0),
    ]
    # overall: P (1 + 0) / 2 = .5, R (.5 + 0) / 2 = .25 -> F 1/3
    assert scores.f1 == approx(1 / 3)
    assert metrics.span_scores(gold, pred, labelled=False).per_label == ()


def test_empty_span_is_rejected() -> None:
    with pytest.raises(ValueError, match="empty or reversed span"):
        metrics.span_f1({"d": [("X", 4, 4)]}, {})


# --- binary, sentiment, narratives, roles -------------------------------------------------------------------


def test_positive_class_f1() -> None:
    # tp 1, fp 1, fn 1 -> F .5
    assert metrics.positive_f1([True, True, False, False], [True, False, True, False]) == 0.5
    assert metrics.positive_f1(["Yes", "No"], ["Yes", "Yes"], positive="Yes") == approx(2 / 3)
    assert metrics.positive_f1([False, False], [False, False]) == 0.0


def test_newsmtsc_f1m() -> None:
    gold = ["negative", "neutral", "positive", "positive"]
    pred = ["negative", "positive", "positive", "neutral"]
    # negative F 1; neutral: fp 1, fn 1 -> 0; positive: tp 1, fp 1, fn 1 -> .5; mean .5
    assert metrics.f1m(gold, pred) == approx(0.5)
    # all three classes count even when one never occurs
    assert metrics.f1m(["negative"], ["negative"]) == approx(1 / 3)


def test_samples_f1() -> None:
    gold = [{"a", "b"}, {"c"}]
    pred = [{"a"}, {"d"}]
    # item 1: 2*1/(2+1) = 2/3; item 2: 0 -> mean 1/3, population std 1/3
    assert metrics.per_sample_f1(gold, pred) == [approx(2 / 3), 0.0]
    assert metrics.samples_f1(gold, pred) == metrics.MeanStd(approx(1 / 3), approx(1 / 3))
    # restricted to an official label list, unknown labels vanish: item 2 becomes empty vs empty -> 0
    assert metrics.per_sample_f1(gold, pred, labels={"a", "b"}) == [approx(2 / 3), 0.0]
    assert metrics.samples_f1([], []) == metrics.MeanStd(0.0, 0.0)


def test_exact_match_ratio_of_role_sets() -> None:
    gold = [("Tyrant", "Deceiver"), ("Victim",)]
    pred = [("Deceiver", "Tyrant"), ("Victim", "Martyr")]
    assert metrics.exact_match_ratio(gold, pred) == 0.5  # order does not matter, extra roles do


def test_bootstrap_interval_brackets_the_figure_and_narrows_with_more_items() -> None:
    def accuracy_of(gold: list[bool], pred: list[bool]):
        return lambda idx: metrics.accuracy([gold[i] for i in idx], [pred[i] for i in idx])

    small = metrics.bootstrap_interval(accuracy_of([True] * 20, [True] * 14 + [False] * 6), range(20), unit="item")
    large = metrics.bootstrap_interval(accuracy_of([True] * 2000, [True] * 1400 + [False] * 600), range(2000), unit="item")
    assert small.low < 0.7 < small.high and large.low < 0.7 < large.high
    assert large.high - large.low < (small.high - small.low) / 5  # ~ 1/sqrt(100) as wide
    assert (small.unit, small.n_units, small.resamples, small.level) == ("item", 20, 1000, 0.95)
    # Seeded: the same call prints the same interval.
    again = metrics.bootstrap_interval(accuracy_of([True] * 20, [True] * 14 + [False] * 6), range(20), unit="item")
    assert again == small
    # Every item right: no resample can say otherwise.
    perfect = metrics.bootstrap_interval(accuracy_of([True] * 5, [True] * 5), range(5), unit="item")
    assert (perfect.low, perfect.high) == (1.0, 1.0)
    # The pairs' shorthand resamples the same way.
    assert metrics.paired_interval(metrics.accuracy, [True] * 20, [True] * 14 + [False] * 6, unit="item") == small


def test_bootstrap_interval_resamples_whole_groups() -> None:
    # Two articles, one all right, one all wrong: a resample holds whole articles, so the accuracy of
    # any resample is 0, 0.5 or 1 (never 0.25 or 0.75, as resampling the items alone would give).
    seen: list[list[int]] = []

    def score(idx: list[int]) -> float:
        seen.append(idx)
        return sum(i < 4 for i in idx) / len(idx)

    ci = metrics.bootstrap_interval(score, ["a"] * 4 + ["b"] * 4, unit="article", resamples=200)
    assert ci.n_units == 2 and ci.unit == "article"
    assert len(seen) == 200
    assert {score_ for score_ in (sum(i < 4 for i in idx) / len(idx) for idx in seen)} <= {0.0, 0.5, 1.0}
    assert all(len(idx) == 8 for idx in seen)
    assert ci.low == 0.0 and ci.high == 1.0


# --- agreement with scikit-learn, which the official scorers call -------------------------------------------

LABELS = ["a", "b", "c", "d"]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_matches_sklearn(data: st.DataObject) -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    n = data.draw(st.integers(1, 8))
    gold = data.draw(st.lists(st.sampled_from(LABELS), min_size=n, max_size=n))
    pred = data.draw(st.lists(st.sampled_from(LABELS), min_size=n, max_size=n))
    assert metrics.macro_f1(gold, pred) == approx(sklearn_metrics.f1_score(gold, pred, average="macro", zero_division=0))
    gold_sets = data.draw(st.lists(st.frozensets(st.sampled_from(LABELS), max_size=3), min_size=n, max_size=n))
    pred_sets = data.draw(st.lists(st.frozensets(st.sampled_from(LABELS), max_size=3), min_size=n, max_size=n))
    binarizer = preprocessing.MultiLabelBinarizer(classes=LABELS).fit([LABELS])
    y_true, y_pred = binarizer.transform(gold_sets), binarizer.transform(pred_sets)
    scores = metrics.multilabel_scores(gold_sets, pred_sets, labels=LABELS)
    assert scores.micro.f1 == approx(sklearn_metrics.f1_score(y_true, y_pred, average="micro", zero_division=1))
    assert scores.macro_f1 == approx(sklearn_metrics.f1_score(y_true, y_pred, average="macro", zero_division=1))
