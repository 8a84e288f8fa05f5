"""Roles on SemEval-2025 Task 10 subtask 1, English dev (held out): exact match ratio and main-role accuracy.

The bundled heads label the gold mentions, as in the official task; the majority baselines (the most
frequent main role and fine-role set of *train*) are reported beside them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..actors import RoleModel
from ..components.actors import ROLES_DIR
from ..encoder import head_encoder, using
from ..metrics import accuracy, exact_match_ratio, paired_interval, per_label_scores
from ..train.mention_data import semeval_features
from . import EvalResult

SPLITS = ("dev",)


def evaluate(data: Path, split: str, model_dir: Path = ROLES_DIR) -> EvalResult:
    """Score the role heads in ``model_dir`` (the bundled ones) on the gold English mentions of ``split``."""
    model = RoleModel.load(model_dir)
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    with using(head_encoder(meta)):  # the encoder pass the heads read in the actors component
        x, pairs, fp = semeval_features(data, split)
    main_p, fine_p = model.probabilities(x)
    decided = [model.decide(main_p[i], fine_p[i]) for i in range(len(x))]
    gold_main = [m.main_role for _, m in pairs]
    gold_fine = [m.fine_roles for _, m in pairs]
    pred_main = [d[0].label for d in decided]
    pred_fine = [[f.label for f in d[1]] for d in decided]
    majority, majority_fine = meta["majority_main"], meta["majority_fine"]
    return EvalResult(
        task="roles",
        split=split,
        metric="exact_match_ratio",
        value=exact_match_ratio(gold_fine, pred_fine),
        n=len(pairs),
        per_label=[vars(r) for r in per_label_scores(gold_main, pred_main)],
        extra={
            "main_role_accuracy": accuracy(gold_main, pred_main),
            "majority_main_role_accuracy": accuracy(gold_main, [majority] * len(gold_main)),
            "majority_main_role": majority,
            "majority_fine_emr": exact_match_ratio(gold_fine, [majority_fine] * len(gold_fine)),
            "majority_fine_roles": majority_fine,
            "predicted_main": dict(Counter(pred_main)),
            "gold_main": dict(Counter(gold_main)),
            "encoder": fp,
        },
        # Mentions of one article are cast by one story: whole articles are resampled.
        interval=paired_interval(exact_match_ratio, gold_fine, pred_fine, unit="article", groups=[article for article, _ in pairs]),
    )
