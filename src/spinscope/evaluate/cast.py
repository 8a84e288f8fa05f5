"""Casting gate on SemEval-2025 Task 10 English dev (held out): F1 of the actors found that the story casts.

An actor found by the actors component counts as cast when one of its mentions overlaps a gold
role-annotated mention. Reported beside it: marking every actor cast, and how many gold mentions the
found actors cover at all (what the actors component misses, no gate can recover).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..actors import decide_cast
from ..components.actors import CAST_DIR
from ..heads import LinearHead
from ..metrics import paired_interval, per_label_scores, positive_f1
from ..train.mention_data import semeval_entities
from . import EvalResult

SPLITS = ("dev",)


def evaluate(data: Path, split: str) -> EvalResult:
    """Score the bundled casting gate on the actors found in the gold-annotated English articles of ``split``."""
    head = LinearHead.load(CAST_DIR / "head.npz")
    meta = json.loads((CAST_DIR / "meta.json").read_text(encoding="utf-8"))
    x, y, groups, counts = semeval_entities(data, split)
    p = head.scores(x)[:, 0]
    pred = decide_cast(p, float(head.thresholds[0]), groups)
    gold = ["cast" if g else "not cast" for g in y]
    table = per_label_scores(gold, ["cast" if q else "not cast" for q in pred], labels=["cast", "not cast"])
    n_articles = max(1, len(set(groups.tolist())))
    return EvalResult(
        task="cast",
        split=split,
        metric="cast_f1",
        value=positive_f1(y.tolist(), pred.tolist()),
        n=int(len(y)),
        per_label=[vars(r) for r in table],
        extra={
            "precision": table[0].precision,
            "recall": table[0].recall,
            "always_cast_f1": positive_f1(y.tolist(), [True] * len(y)),
            "threshold": float(head.thresholds[0]),
            "actors_per_article": len(y) / n_articles,
            "cast_per_article_gold": float(y.sum()) / n_articles,
            "cast_per_article_predicted": float(pred.sum()) / n_articles,
            "gold_mention_coverage": counts["gold_mentions_covered"] / max(1, counts["gold_mentions"]),
            **counts,
            "encoder": meta.get("encoder_fingerprint", meta.get("encoder")),
        },
        interval=paired_interval(positive_f1, y.tolist(), pred.tolist(), unit="article", groups=groups.tolist()),
    )
