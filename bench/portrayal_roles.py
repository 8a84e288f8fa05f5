"""How the portrayal head's labels line up with the roles SemEval-2025 annotators gave the same mentions.

    python bench/portrayal_roles.py --data ../shared/data [--split train] [--format json]

NewsMTSC, which trains the portrayal head, labels the sentiment a sentence carries toward a target;
SemEval-2025 Task 10 labels the role a story casts an actor in (Protagonist, Antagonist, Innocent).
On conflict reporting the two part ways: a victim is sympathised with, yet its sentences are full of
what was done to it. This reads every English mention of ``--split`` (default train: the portrayal
head never saw SemEval-2025, and dev stays held out for the roles evaluation), pools it as the actors
component does, and prints, per gold main role, the share of its mentions the portrayal head calls
negative, neutral and positive.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path


def main() -> None:
    """Print the role x portrayal table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--split", default="train", help="SemEval-2025 split (train; dev is held out for the roles eval)")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    args = parser.parse_args()

    from spinscope.components.actors import PORTRAYAL_DIR
    from spinscope.encoder import head_encoder, using
    from spinscope.heads import LinearHead
    from spinscope.train.mention_data import semeval_features

    head = LinearHead.load(PORTRAYAL_DIR / "head.npz")
    meta = json.loads((PORTRAYAL_DIR / "meta.json").read_text(encoding="utf-8"))
    with using(head_encoder(meta)):  # the encoder pass the portrayal head reads in the actors component
        x, pairs, _ = semeval_features(args.data, args.split, for_training=args.split == "train")
    # Role rows are the mention features followed by the article vector; the head reads the former.
    scores = head.scores(x[:, : head.weights.shape[1]])
    pairs_of = Counter((m.main_role, head.labels[int(i)]) for (_, m), i in zip(pairs, scores.argmax(axis=1), strict=True))
    table = {}
    for role in ("Antagonist", "Protagonist", "Innocent"):
        total = sum(n for (r, _), n in pairs_of.items() if r == role)
        table[role] = {"mentions": total, **{lab: round(pairs_of[(role, lab)] / max(1, total), 3) for lab in head.labels}}
    if args.format == "json":
        print(json.dumps({"split": args.split, "roles": table}))
        return
    print(f"SemEval-2025 en {args.split}: share of each role's mentions by portrayal label")
    print(f"{'role':12} {'mentions':>8} " + " ".join(f"{lab:>9}" for lab in head.labels))
    for role, row in table.items():
        print(f"{role:12} {row['mentions']:>8} " + " ".join(f"{row[lab]:>9.2f}" for lab in head.labels))


if __name__ == "__main__":
    main()
