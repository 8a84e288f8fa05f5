"""Which bundled encoder each head that can read either reads: both fitted, compared on selection splits only.

    python bench/encoder_choice.py --data ../shared/data [--out runs/encoder-choice] [--format json]

Fits the frames, check-worthiness, causal, portrayal and role heads on each bundled encoder
(``spinscope train TASK --encoder NAME``, into ``--out/NAME/TASK``; a folder that already holds a
``meta.json`` is reused) and prints the score each trainer selects on — never a held-out split:

- frames: micro-F1 on the 63 SemEval-2023 en train articles that neither encoder's fine-tuning saw
  (both hold out the same ones);
- checkworthy: positive-class F1 on CheckThat! 2024 **dev** (the dataset also has test gold);
- causal: positive-class F1 on the CNC train sentences held out of the multi-task fine-tuning (for
  the multi-task encoder; ``encoder`` never saw CNC, so its head is chosen by 5-fold CV on train);
- portrayal: mean F1m on the NewsMTSC **dev** halves (dev-rw, dev-mt);
- roles: exact match ratio of fine roles on the SemEval-2025 train articles held out of the
  multi-task fine-tuning (``encoder``: grouped 5-fold CV on train, as for causal), main-role
  accuracy breaking ties (the role trainer's own key).

Neither encoder was fine-tuned on the texts its heads are scored on, so each column is an unbiased
estimate for its encoder (for causal and roles on different samples of train). The
rule, fixed before the run: a head reads the multi-task encoder only where it scores higher there
(four decimals, then the trainer's own tie-break); full ties keep ``encoder``. Needs the [train] extra; about 26 minutes on 2 cores with cold feature caches.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

TASKS = ("frames", "checkworthy", "causal", "portrayal", "roles")
ENCODERS = ("encoder", "encoder-multitask")


def selection_score(task: str, meta: dict) -> tuple[tuple[float, ...], str]:  # type: ignore[type-arg]
    """(the score ``task``'s trainer selected on, rounded to 4 places and with its tie-break; what it is)."""
    if task == "frames":
        return (
            round(meta["selection_micro_f1"], 4),
        ), f"SemEval-2023 held-out train micro-F1 ({meta['selection']})"
    if task == "checkworthy":
        return (round(meta["dev_f1"], 4),), "CheckThat! dev F1"
    if task == "causal":
        return (round(meta["selection_f1"], 4),), f"CNC train F1 ({meta['selection']}, n={meta['n_selection']})"
    if task == "portrayal":
        return (round(meta["dev_f1m"]["mean"], 4),), "NewsMTSC dev F1m (mean of rw, mt)"
    # The role trainer's own key: exact match ratio, main-role accuracy breaking ties.
    cv = meta["cv"]
    return (round(cv["emr"], 4), round(cv["main_acc"], 4)), (
        f"SemEval-2025 train EMR, then main-role accuracy ({meta.get('selection', 'cv')}, "
        f"n={meta.get('n_selection', meta['n_train'])}; majority main-role accuracy {cv['majority_main_acc']:.3f})"
    )


def main() -> None:
    """Fit what is missing, then print the table and the choice per head."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("runs/encoder-choice"))
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()

    from spinscope.train import run

    rows = []
    for task in TASKS:
        scores = {}
        for name in ENCODERS:
            folder = args.out / name / task
            if not (folder / "meta.json").is_file():
                run(task, args.data, folder, encoder=name)
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            scores[name] = selection_score(task, meta)
        best = "encoder-multitask" if scores["encoder-multitask"][0] > scores["encoder"][0] else "encoder"
        rows.append({"task": task, **{name: list(s[0]) for name, s in scores.items()},
                     **{f"{name} measure": s[1] for name, s in scores.items()}, "choice": best})  # fmt: skip
    if args.format == "json":
        print(json.dumps(rows))
        return
    print("| head | encoder | encoder-multitask | choice | selection measure: encoder; encoder-multitask |")
    print("|---|---|---|---|---|")
    for r in rows:
        cells = [" / ".join(f"{v:.4f}" for v in r[name]) for name in ENCODERS]
        measures = r["encoder measure"] if r["encoder measure"] == r["encoder-multitask measure"] else f"{r['encoder measure']}; {r['encoder-multitask measure']}"
        print(f"| {r['task']} | {cells[0]} | {cells[1]} | {r['choice']} | {measures} |")


if __name__ == "__main__":
    main()
