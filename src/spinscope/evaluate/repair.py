"""Score ``ingest.repair.rebuild`` on clean articles damaged the way bad extractions are.

Splits (neither was seen by training, threshold choice or the layout head):

- ``webis``: the 266 op-eds of the Webis-Editorials-16 subset (no splits; never used for training);
- ``heldout``: SemEval-2023 English *train* articles whose ID falls in the held-out bucket
  (``corrupt.PARTS``; training reads only the "train" bucket, thresholds only the "val" bucket).

Each article is damaged once with a fixed seed (``corrupt.py``): anchors (parsed constituents) put on
lines of their own, some of them removed leaving a hole at the line break, paragraphs separated by one
newline, a blank line, or a mixture. ``rebuild`` then runs end to end on the raw text, and its output
is aligned back to the damaged text on the non-space characters (it only ever changes whitespace):

- join accuracy: share of line breaks rebuilt correctly as a paragraph break or a join;
- holes: a ``missing-words`` warning is right if its span covers a gold hole (each gold hole counts
  once); precision, recall and F1 over the holes.
"""

from __future__ import annotations

import random
from pathlib import Path

from ..ingest.repair import rebuild
from ..train import corrupt
from . import EvalResult

SPLITS = ("webis", "heldout")
EVAL_SEED = 2023
EVAL_LAYOUTS = ("lines", "blank", "mixed")
WRAPPED_LAYOUTS = ("wrapped", "wrapped-tight")


def _nonspace(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if not ch.isspace()]


def score_article(damaged: corrupt.Damaged, *, model: object = True) -> dict[str, int]:
    """Counts for one damaged article: breaks right per gold kind, hole TP/FP/FN."""
    out = rebuild(damaged.raw, model=model)
    raw_ns, out_ns = _nonspace(damaged.raw), _nonspace(out.text)
    if len(raw_ns) != len(out_ns):
        raise AssertionError(f"rebuild changed more than whitespace in {damaged.doc_id}")
    counts: dict[str, int] = {}

    def add(key: str, n: int = 1) -> None:
        counts[key] = counts.get(key, 0) + n

    import bisect

    gold_holes: list[int] = []  # positions in out.text right after the word before each hole
    for b in damaged.breaks:
        k = bisect.bisect_left(raw_ns, b.offset)  # first non-space char after the break
        gap = out.text[out_ns[k - 1] + 1 : out_ns[k]]
        predicted_para = "\n\n" in gap
        gold_para = b.kind == "para"
        add(f"{b.kind}_n")
        add(f"{b.kind}_right", int(predicted_para == gold_para))
        add("pred_para", int(predicted_para))
        add("pred_para_right", int(predicted_para and gold_para))
        if b.kind == "hole":
            gold_holes.append(out_ns[k - 1] + 1)
    notices = [w for w in out.warnings if w.code == "missing-words"]
    matched: set[int] = set()
    for w in notices:
        assert w.start is not None and w.end is not None
        hits = [h for h in gold_holes if w.start <= h <= w.end and h not in matched]
        if hits:
            matched.add(min(hits, key=lambda h: abs(h - (w.start + w.end) / 2)))
            add("hole_tp")
        else:
            add("hole_fp")
    add("hole_fn", len(gold_holes) - len(matched))
    add("hole_gold", len(gold_holes))
    return counts


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _articles(data: Path, split: str) -> list[corrupt.Article]:
    if split == "webis":
        return corrupt.webis_articles(data)
    return corrupt.semeval_train_articles(data, part="heldout")


def _damaged(articles: list[corrupt.Article]) -> tuple[list[corrupt.Damaged], dict[str, list[corrupt.Damaged]]]:
    """Each article damaged once in a link layout (the scored one) and once per hard-wrapped layout.

    One parse per article; the link layouts draw from their own seeded generator, as they always have,
    so their figures do not move when the hard-wrapped ones are added.
    """
    links_rng, wrap_rng = random.Random(EVAL_SEED), random.Random(EVAL_SEED + 1)
    damaged: list[corrupt.Damaged] = []
    wrapped: dict[str, list[corrupt.Damaged]] = {layout: [] for layout in WRAPPED_LAYOUTS}
    for article, parses in corrupt.parse_articles(articles):
        damaged.append(corrupt.damage(article, parses, links_rng, corrupt.draw_style(links_rng, layouts=EVAL_LAYOUTS)))
        for layout in WRAPPED_LAYOUTS:
            style = corrupt.draw_style(wrap_rng, layouts=(layout,))
            wrapped[layout].append(corrupt.damage(article, parses, wrap_rng, style))
    return damaged, wrapped


def _totals(damaged: list[corrupt.Damaged], *, model: object = True) -> dict[str, int]:
    """The counts of :func:`score_article` summed over ``damaged``."""
    total: dict[str, int] = {}
    for d in damaged:
        for key, n in score_article(d, model=model).items():
            total[key] = total.get(key, 0) + n
    return total


def _breaks(total: dict[str, int]) -> tuple[list[str], int, int]:
    """The gold break kinds present, how many breaks there are, and how many were rebuilt right."""
    kinds = [k for k in corrupt.BREAK_KINDS if total.get(f"{k}_n")]
    return kinds, sum(total[f"{k}_n"] for k in kinds), sum(total[f"{k}_right"] for k in kinds)


def _paragraphing(total: dict[str, int]) -> dict[str, float]:
    """Join accuracy and paragraph-break precision, recall and F1 from summed counts."""
    _, n_breaks, right = _breaks(total)
    tp = total.get("pred_para_right", 0)
    p, r, f = _prf(tp, total.get("pred_para", 0) - tp, total.get("para_n", 0) - tp)
    return {
        "join_accuracy": round(right / n_breaks, 4) if n_breaks else 0.0,
        "paragraph_break_precision": round(p, 4),
        "paragraph_break_recall": round(r, 4),
        "paragraph_break_f1": round(f, 4),
        "line_breaks": n_breaks,
    }


def evaluate(data: Path, split: str) -> EvalResult:
    """Damage the split's articles (fixed seed), rebuild them and score holes and line joins."""
    damaged, wrapped = _damaged(_articles(data, split))
    total = _totals(damaged)
    rules = _totals(damaged, model=False)  # the punctuation-only fallback, for comparison
    kinds, n_breaks, right = _breaks(total)
    join_acc = right / n_breaks if n_breaks else 0.0
    rules_acc = sum(rules.get(f"{k}_right", 0) for k in kinds) / n_breaks if n_breaks else 0.0
    p, r, f = _prf(total.get("hole_tp", 0), total.get("hole_fp", 0), total.get("hole_fn", 0))

    # Paragraph breaks vs joins as a two-label table.
    gold_para = total.get("para_n", 0)
    pred_para = total.get("pred_para", 0)
    tp_para = total.get("pred_para_right", 0)
    pp, pr, pf = _prf(tp_para, pred_para - tp_para, gold_para - tp_para)
    gold_join = n_breaks - gold_para
    tp_join = right - tp_para
    jp, jr, jf = _prf(tp_join, (n_breaks - pred_para) - tp_join, gold_join - tp_join)
    per_label = [
        {"label": "hole", "precision": p, "recall": r, "f1": f, "support": total.get("hole_gold", 0)},
        {"label": "join", "precision": jp, "recall": jr, "f1": jf, "support": gold_join},
        {"label": "paragraph-break", "precision": pp, "recall": pr, "f1": pf, "support": gold_para},
    ]
    extra = {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "join_accuracy": round(join_acc, 4),
        "join_accuracy_rules_only": round(rules_acc, 4),
        "articles": len(damaged),
        "line_breaks": n_breaks,
        "holes": total.get("hole_gold", 0),
        "false_alarms": total.get("hole_fp", 0),
        "break_accuracy_by_kind": {k: round(total[f"{k}_right"] / total[f"{k}_n"], 4) for k in kinds},
        "breaks_by_kind": {k: total[f"{k}_n"] for k in kinds},
        # The same articles hard-wrapped at 60-80 columns (no links): with and without a blank line
        # between paragraphs. Not in the headline figures, which keep the link layouts.
        "hard_wrapped": {layout: _paragraphing(_totals(docs)) for layout, docs in wrapped.items()},
        "seed": EVAL_SEED,
    }
    return EvalResult("repair", split, "hole_f1", f, total.get("hole_gold", 0), per_label, extra)
