"""The shared tasks' official metrics, re-implemented without scikit-learn and unit-tested by hand.

Conventions follow the official scorers (read, not copied):

* Precision, recall and F1 per label use ``P = tp/(tp+fp)``, ``R = tp/(tp+fn)``,
  ``F1 = 2tp/(2tp+fp+fn)``; a ratio whose denominator is 0 takes ``zero_division`` (scikit-learn's rule,
  which the scorers call).
* SemEval-2023 Task 3 subtask 1 (genre): macro-F1 over the labels seen in gold or predictions,
  ``zero_division=0``. Subtasks 2 and 3 (frames, paragraph techniques): micro- and macro-F1 over all
  (item, label) pairs of the official label list, ``zero_division=1``.
* SemEval-2020 Task 11 spans: partial-overlap precision and recall (:func:`span_scores`).
* CheckThat! 2024 task 1: F1 of the positive ("Yes") class.
* NewsMTSC: F1m, the macro-F1 over negative, neutral and positive.
* SemEval-2025 Task 10: subtask 1 exact-match ratio of fine-role sets (:func:`exact_match_ratio`);
  subtask 2 per-article F1 averaged over articles, with its standard deviation (:func:`samples_f1`).

Every figure comes with a percentile bootstrap interval (:func:`bootstrap_interval`): the held-out
sets are small (83 articles, 91 mentions), and a bar met by a hair should be read with its spread.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# A label for single-label tasks, or a collection of labels for multi-label tasks.
Labels = Hashable | Collection[Hashable]
NEWSMTSC_POLARITIES: tuple[str, ...] = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class LabelScore:
    """Precision, recall and F1 of one label; ``support`` is its number of gold occurrences."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class PRF:
    """A precision, recall, F1 triple."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class MultiLabelScores:
    """Micro scores over all (item, label) pairs, macro-F1 over labels, and the per-label table."""

    micro: PRF
    macro_f1: float
    per_label: tuple[LabelScore, ...]


@dataclass(frozen=True)
class SpanScores:
    """SemEval-2020 Task 11 span scores, overall and per technique."""

    precision: float
    recall: float
    f1: float
    n_pred: int
    n_gold: int
    per_label: tuple[LabelScore, ...]


@dataclass(frozen=True)
class MeanStd:
    """A mean over items and its population standard deviation (as the SemEval-2025 scorer prints)."""

    mean: float
    std: float


# --- counting --------------------------------------------------------------------------------------------


def _as_set(value: Labels) -> frozenset[Hashable]:
    # A string is one label, not a collection of characters.
    if isinstance(value, str) or not isinstance(value, Collection):
        return frozenset({value})
    return frozenset(value)


def _pairs(gold: Sequence[Labels], pred: Sequence[Labels]) -> list[tuple[frozenset[Hashable], frozenset[Hashable]]]:
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    return [(_as_set(g), _as_set(p)) for g, p in zip(gold, pred, strict=True)]


def _ratio(num: float, den: float, zero_division: float) -> float:
    return num / den if den else zero_division


def _prf(tp: int, fp: int, fn: int, zero_division: float) -> PRF:
    return PRF(
        _ratio(tp, tp + fp, zero_division),
        _ratio(tp, tp + fn, zero_division),
        _ratio(2 * tp, 2 * tp + fp + fn, zero_division),
    )


def _counts(
    pairs: list[tuple[frozenset[Hashable], frozenset[Hashable]]], labels: Sequence[Hashable]
) -> dict[Hashable, tuple[int, int, int]]:
    counts = {label: [0, 0, 0] for label in labels}
    for gold, pred in pairs:
        for label in gold | pred:
            if label in counts:
                c = counts[label]
                if label in gold and label in pred:
                    c[0] += 1
                elif label in pred:
                    c[1] += 1
                else:
                    c[2] += 1
    return {label: (c[0], c[1], c[2]) for label, c in counts.items()}


def _seen(pairs: list[tuple[frozenset[Hashable], frozenset[Hashable]]]) -> list[Hashable]:
    return sorted({label for gold, pred in pairs for label in gold | pred}, key=str)


# --- classification ---------------------------------------------------------------------------------------


def per_label_scores(
    gold: Sequence[Labels],
    pred: Sequence[Labels],
    *,
    labels: Sequence[Hashable] | None = None,
    zero_division: float = 0.0,
) -> list[LabelScore]:
    """Per-label precision/recall/F1/support; items are single labels or label collections (multi-label).

    ``labels`` fixes the rows and their order; by default every label seen in gold or pred, sorted.
    """
    pairs = _pairs(gold, pred)
    rows = list(labels) if labels is not None else _seen(pairs)
    table = []
    for label, (tp, fp, fn) in _counts(pairs, rows).items():
        score = _prf(tp, fp, fn, zero_division)
        table.append(LabelScore(str(label), score.precision, score.recall, score.f1, tp + fn))
    return table


def macro_f1(
    gold: Sequence[Labels],
    pred: Sequence[Labels],
    *,
    labels: Sequence[Hashable] | None = None,
    zero_division: float = 0.0,
) -> float:
    """Unweighted mean of per-label F1 (genre: labels seen in gold or pred, ``zero_division=0``)."""
    table = per_label_scores(gold, pred, labels=labels, zero_division=zero_division)
    return sum(row.f1 for row in table) / len(table) if table else zero_division


def micro_scores(
    gold: Sequence[Labels],
    pred: Sequence[Labels],
    *,
    labels: Sequence[Hashable] | None = None,
    zero_division: float = 0.0,
) -> PRF:
    """Precision, recall and F1 pooled over all (item, label) pairs."""
    pairs = _pairs(gold, pred)
    counts = _counts(pairs, list(labels) if labels is not None else _seen(pairs)).values()
    return _prf(sum(c[0] for c in counts), sum(c[1] for c in counts), sum(c[2] for c in counts), zero_division)


def micro_f1(
    gold: Sequence[Labels],
    pred: Sequence[Labels],
    *,
    labels: Sequence[Hashable] | None = None,
    zero_division: float = 0.0,
) -> float:
    """F1 pooled over all (item, label) pairs (frames, paragraph techniques)."""
    return micro_scores(gold, pred, labels=labels, zero_division=zero_division).f1


def multilabel_scores(
    gold: Sequence[Collection[Hashable]],
    pred: Sequence[Collection[Hashable]],
    *,
    labels: Sequence[Hashable],
    zero_division: float = 1.0,
) -> MultiLabelScores:
    """SemEval-2023 subtasks 2/3: micro and macro F1 over the official ``labels`` (others are ignored)."""
    table = per_label_scores(gold, pred, labels=labels, zero_division=zero_division)
    micro = micro_scores(gold, pred, labels=labels, zero_division=zero_division)
    macro = sum(row.f1 for row in table) / len(table) if table else zero_division
    return MultiLabelScores(micro, macro, tuple(table))


def positive_f1(gold: Sequence[Hashable], pred: Sequence[Hashable], *, positive: Hashable = True) -> float:
    """F1 of the positive class (check-worthiness: ``positive=True`` or ``"Yes"``)."""
    pairs = _pairs(list(gold), list(pred))
    tp, fp, fn = _counts(pairs, [positive])[positive]
    return _prf(tp, fp, fn, 0.0).f1


def f1m(gold: Sequence[str], pred: Sequence[str]) -> float:
    """NewsMTSC F1m: macro-F1 over negative, neutral and positive (each counted even if absent)."""
    return macro_f1(gold, pred, labels=NEWSMTSC_POLARITIES)


def accuracy(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Share of items whose prediction equals the gold (main-role accuracy)."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def exact_match_ratio(gold: Sequence[Collection[Hashable]], pred: Sequence[Collection[Hashable]]) -> float:
    """SemEval-2025 subtask 1: share of mentions whose predicted fine-role set equals the gold set.

    The official scorer compares the role lists in file order; sets make it independent of the order
    a model writes roles in.
    """
    pairs = _pairs(gold, pred)
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def per_sample_f1(
    gold: Sequence[Collection[Hashable]],
    pred: Sequence[Collection[Hashable]],
    *,
    labels: Collection[Hashable] | None = None,
    zero_division: float = 0.0,
) -> list[float]:
    """F1 between each item's gold and predicted label sets (restricted to ``labels`` if given)."""
    allowed = frozenset(labels) if labels is not None else None
    scores = []
    for g, p in _pairs(gold, pred):
        if allowed is not None:
            g, p = g & allowed, p & allowed
        scores.append(_ratio(2 * len(g & p), len(g) + len(p), zero_division))
    return scores


def samples_f1(
    gold: Sequence[Collection[Hashable]],
    pred: Sequence[Collection[Hashable]],
    *,
    labels: Collection[Hashable] | None = None,
    zero_division: float = 0.0,
) -> MeanStd:
    """SemEval-2025 subtask 2: mean and population std of per-article F1 (empty vs empty scores 0)."""
    scores = per_sample_f1(gold, pred, labels=labels, zero_division=zero_division)
    if not scores:
        return MeanStd(0.0, 0.0)
    mean = sum(scores) / len(scores)
    return MeanStd(mean, math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores)))


# --- how much a figure could move ----------------------------------------------------------------------------

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """A percentile bootstrap interval of a metric: ``low``–``high`` at ``level``, resampling ``unit``s."""

    low: float
    high: float
    level: float
    resamples: int
    unit: str
    n_units: int


def bootstrap_interval(
    score: Callable[[list[int]], float],
    groups: Sequence[Hashable],
    *,
    unit: str,
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = BOOTSTRAP_LEVEL,
    seed: int = 0,
) -> Interval:
    """The percentile bootstrap interval of ``score`` over items grouped by ``groups``.

    ``groups[i]`` is item i's unit of resampling: the item itself for independent items (sentences,
    targets), its article for items that share one (paragraphs, mentions), since items of one article
    do not vary independently. Each resample draws as many units as there are, with replacement, and
    calls ``score`` with the indices of their items (repeats included). Seeded, so a rerun prints the
    same interval. A percentile interval needs only numpy; scipy.stats.bootstrap would add scipy to the
    install for the same numbers.
    """
    members: dict[Hashable, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    units = list(members.values())
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(units), size=(resamples, len(units)))
    values = [score([i for u in row for i in units[u]]) for row in draws]
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return Interval(float(low), float(high), level, resamples, unit, len(units))


def paired_interval(
    metric: Callable[[list, list], float],
    gold: Sequence,
    pred: Sequence,
    *,
    unit: str,
    groups: Sequence[Hashable] | None = None,
) -> Interval:
    """:func:`bootstrap_interval` of ``metric(gold, pred)``, resampling the (gold, pred) pairs, or their ``groups``."""
    return bootstrap_interval(
        lambda idx: metric([gold[i] for i in idx], [pred[i] for i in idx]),
        range(len(gold)) if groups is None else groups,
        unit=unit,
    )


# --- spans -------------------------------------------------------------------------------------------------

SpanTuple = tuple[str, int, int]  # (label, start, end), end exclusive


def merge_overlaps(spans: Iterable[SpanTuple], *, by_label: bool = True) -> list[SpanTuple]:
    """Merge spans that share at least one character (per label unless ``by_label=False``)."""
    groups: dict[str, list[tuple[int, int]]] = {}
    for label, start, end in spans:
        if end <= start:
            raise ValueError(f"empty or reversed span {label!r} {start}-{end}")
        groups.setdefault(label if by_label else "", []).append((start, end))
    merged: list[SpanTuple] = []
    for label, ranges in groups.items():
        ranges.sort()
        cur_start, cur_end = ranges[0]
        for start, end in ranges[1:]:
            if start < cur_end:  # overlapping, not merely touching
                cur_end = max(cur_end, end)
            else:
                merged.append((label, cur_start, cur_end))
                cur_start, cur_end = start, end
        merged.append((label, cur_start, cur_end))
    return merged


def span_scores(
    gold: Mapping[str, Iterable[SpanTuple]],
    pred: Mapping[str, Iterable[SpanTuple]],
    *,
    labelled: bool = True,
    labels: Sequence[str] | None = None,
) -> SpanScores:
    """SemEval-2020 Task 11 partial-overlap span scores over documents keyed by ID.

    Each predicted span ``s`` earns ``|s ∩ t| / |s|`` toward precision and ``|s ∩ t| / |t|`` toward
    recall for every gold span ``t`` with the same label in the same document; precision divides the
    sum by the number of predicted spans, recall by the number of gold spans. As in the official scorer,
    overlapping gold spans of one label are merged first; overlapping predictions of one label are merged
    too (the scorer rejects them unless asked to merge). No predictions and no gold gives F1 = 1.
    ``labelled=False`` ignores labels (the SI task). ``labels`` sets the per-label rows.
    """
    by_label = labelled
    docs = set(gold) | set(pred)
    n_pred = n_gold = 0
    prec_sum = rec_sum = 0.0
    per: dict[str, list[float]] = {}  # label -> [prec_sum, rec_sum, n_pred, n_gold]
    for doc in docs:
        g_spans = merge_overlaps(gold.get(doc, ()), by_label=by_label)
        p_spans = merge_overlaps(pred.get(doc, ()), by_label=by_label)
        n_pred += len(p_spans)
        n_gold += len(g_spans)
        for label, _, _ in g_spans:
            per.setdefault(label, [0.0, 0.0, 0, 0])[3] += 1
        for p_label, p_start, p_end in p_spans:
            row = per.setdefault(p_label, [0.0, 0.0, 0, 0])
            row[2] += 1
            for g_label, g_start, g_end in g_spans:
                if p_label != g_label:
                    continue
                overlap = min(p_end, g_end) - max(p_start, g_start)
                if overlap > 0:
                    prec_sum += overlap / (p_end - p_start)
                    rec_sum += overlap / (g_end - g_start)
                    row[0] += overlap / (p_end - p_start)
                    row[1] += overlap / (g_end - g_start)
    precision, recall, f1 = _overlap_prf(prec_sum, n_pred, rec_sum, n_gold)
    # Without labels there is one class; its row would repeat the overall scores.
    rows = [] if not labelled else list(labels) if labels is not None else sorted(per)
    table = []
    for label in rows:
        p_sum, r_sum, n_p, n_g = per.get(label, [0.0, 0.0, 0, 0])
        lp, lr, lf = _overlap_prf(p_sum, int(n_p), r_sum, int(n_g))
        table.append(LabelScore(label, lp, lr, lf, int(n_g)))
    return SpanScores(precision, recall, f1, n_pred, n_gold, tuple(table))


def _overlap_prf(prec_num: float, prec_den: int, rec_num: float, rec_den: int) -> tuple[float, float, float]:
    # The official compute_prec_rec_f1: both denominators 0 -> F1 = 1; otherwise F1 > 0 only if P and R are.
    precision = prec_num / prec_den if prec_den else 0.0
    recall = rec_num / rec_den if rec_den else 0.0
    if prec_den == 0 and rec_den == 0:
        return precision, recall, 1.0
    if precision > 0 and recall > 0:
        return precision, recall, 2 * precision * recall / (precision + recall)
    return precision, recall, 0.0


def span_f1(
    gold: Mapping[str, Iterable[SpanTuple]],
    pred: Mapping[str, Iterable[SpanTuple]],
    *,
    labelled: bool = True,
) -> float:
    """F1 of :func:`span_scores`."""
    return span_scores(gold, pred, labelled=labelled).f1
