"""How long the claims list is on real op-eds: the share of an article's sentences that become claims.

    python bench/claims_share.py --data ../shared/data [--n N] [--format json]

Issue 5 asks that on a real op-ed the claims list read as a fact-checker's list, "not every sentence
(≤ 60 % of sentences)". This runs the installed pipeline over the SemEval-2023 English train articles
whose gold genre is opinion (train data: no held-out split is read) and prints, per article, the
share of sentences listed as claims — all; check-worthy (the check-worthiness score passes the
bundled head's threshold, causal or not); causal (a cause and an effect found); causal only (listed
for their causal reading alone) — as median, 90th percentile and the number of articles over 60 %,
and how the claims are sourced (named, vague, the author).

A claim's label says "causal" whenever it is causal, check-worthy or not, so until 2026-12-06 the
check-worthy share here counted the label and left out the check-worthy claims that are causal too.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter
from pathlib import Path

from spinscope.datasets.semeval2023 import genre_labels

TRAIN = Path("semeval2023-task3") / "data" / "en" / "train-articles-subtask-3"


def summary(shares: list[float]) -> dict[str, float]:
    ordered = sorted(shares)
    return {
        "median": round(statistics.median(ordered), 3),
        "p90": round(ordered[int(0.9 * (len(ordered) - 1))], 3),
        "over_60pct": sum(s > 0.6 for s in ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=0, help="at most N articles (default: all)")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args()

    import spinscope

    genres = genre_labels(args.data, "en", "train", for_training=True)
    files = [f for f in sorted((args.data / TRAIN).glob("article*.txt")) if genres.get(f.stem[len("article") :]) == "opinion"]
    if args.n:
        files = files[: args.n]
    if not files:
        raise SystemExit(f"no English opinion train articles under {args.data / TRAIN}")
    nlp = spinscope.load()
    # The claims component's own test: the score against its threshold for articles.
    # Findings carry the score rounded to 4 places, so a claim within 0.00005 of it may count either way.
    threshold = next(c for c in nlp.components if c.name == "claims").threshold_
    shares: dict[str, list[float]] = {"claims": [], "checkworthy": [], "causal": [], "causal_only": []}
    sources: Counter[str] = Counter()
    for doc in nlp.pipe((f.read_text(encoding="utf-8") for f in files), n_process=args.processes):
        claims = [f for f in doc.findings if f.task == "claim"]
        if not doc.sentences:
            continue
        n = len(doc.sentences)
        shares["claims"].append(len(claims) / n)
        checkworthy = [f.attrs.get("checkworthy", 0.0) >= threshold for f in claims]
        shares["checkworthy"].append(sum(checkworthy) / n)
        shares["causal"].append(sum(f.attrs.get("kind") == "causal" for f in claims) / n)
        shares["causal_only"].append(sum(not cw for cw in checkworthy) / n)
        sources.update(str(f.attrs.get("source_kind")) for f in claims)
    result = {
        "articles": len(shares["claims"]),
        **{name: summary(values) for name, values in shares.items()},
        "claims_by_source_kind": dict(sources.most_common()),
    }
    if args.format == "json":
        print(json.dumps(result))
        return
    print(f"{result['articles']} English opinion articles (SemEval-2023 train)")
    for name in shares:
        s = result[name]
        print(f"  sentences listed as {name.replace('_', ' '):<12} median {s['median']:.3f}  p90 {s['p90']:.3f}  articles over 60%: {s['over_60pct']}")
    print("  claims by source:", ", ".join(f"{k} {v}" for k, v in result["claims_by_source_kind"].items()))


if __name__ == "__main__":
    main()
