"""The role trainer's linear grid (the bundled heads) against its extended grid (kernel heads, joint rule).

    python bench/roles_heads.py --data ../shared/data [--out runs/roles-heads] [--format json]

Trains the role heads twice on SemEval-2025 Task 10 English train (``spinscope.train.roles.train``,
``extended=False`` and ``True``, into ``--out/linear`` and ``--out/extended``; a folder already holding
a ``meta.json`` is reused) and prints, side by side, what each selected on — grouped 5-fold CV over
train — and its score on the held-out English dev gold (``spinscope eval roles`` on that folder).

The bundled heads were chosen by a rule fixed before dev was read: the extended heads would replace
them only if dev EMR and main-role accuracy both rose. This script reports that comparison; nothing
in it feeds back into training. Needs the [train] extra; about 8 minutes on 2 cores on the trainer
of 2026-12-03, whose figures the README quotes. Since the eleventh session the trainer also searches an
offset toward the majority role over three CV repeats (the linear grid alone: 7.5 minutes), so this
script now takes far longer (not rerun since; by the grid's size, about an hour) and would print new figures.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    """Train both grids (or reuse them) and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("runs/roles-heads"))
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()

    import numpy as np

    from spinscope.components.actors import ROLES_DIR
    from spinscope.evaluate.roles import evaluate
    from spinscope.train.roles import train

    rows = []
    for name, extended in (("linear", False), ("extended", True)):
        folder = args.out / name
        if not (folder / "meta.json").is_file():
            train(args.data, folder, extended=extended)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        dev = evaluate(args.data, "dev", folder)
        same = all(np.array_equal(np.load(folder / f)["weights"], np.load(ROLES_DIR / f)["weights"]) for f in ("main.npz", "fine.npz"))
        rows.append({
            "grid": name, "main_head": meta["main_head"], "fine_head": meta["fine_head"], "restrict": meta["restrict"],
            "joint": meta["joint"], "second": meta["second"], "cv_emr": meta["cv"]["emr"], "cv_main_acc": meta["cv"]["main_acc"],
            "dev_emr": round(dev.value, 4), "dev_main_acc": round(dev.extra["main_role_accuracy"], 4),
            "dev_majority_main_acc": round(dev.extra["majority_main_role_accuracy"], 4), "n_dev": dev.n, "is_bundled": same,
        })  # fmt: skip
    if args.format == "json":
        print(json.dumps(rows))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="role heads: linear grid vs extended grid")
    for col in ("grid", "main head", "fine head", "rule", "train CV EMR", "CV main acc", "dev EMR", "dev main acc", "bundled"):
        table.add_column(col)
    for r in rows:
        rule = "within" if r["restrict"] else f"parent, joint {r['joint']:g}"
        table.add_row(r["grid"], _head(r["main_head"]), _head(r["fine_head"]), rule, f"{r['cv_emr']:.4f}", f"{r['cv_main_acc']:.4f}",
                      f"{r['dev_emr']:.4f}", f"{r['dev_main_acc']:.4f}", "yes" if r["is_bundled"] else "no")  # fmt: skip
    Console().print(table)
    print(f"dev: {rows[0]['n_dev']} gold mentions; always the majority main role: accuracy {rows[0]['dev_majority_main_acc']:.4f}")


def _head(spec: dict) -> str:  # type: ignore[type-arg]
    return f"{spec['kind']} C={spec['C']:g}" + (", balanced" if spec.get("balanced") else "")


if __name__ == "__main__":
    main()
